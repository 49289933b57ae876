package io.kaveri.streams.runtime;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Processor suppliers that bring their own store, so that {@code stream.process(supplier, Named.as(...))} wires
 * the store without a separate {@code addStateStore} call that could drift from the processor using it.
 */
public final class StatefulProcessors {

    private StatefulProcessors() {
    }

    /** {@code processor} must return a new instance on each call (one per task). */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> withStore(
            StoreBuilder<?> store, Supplier<Processor<KIn, VIn, KOut, VOut>> processor) {
        return withStores(Set.of(store), processor);
    }

    /** {@code processor} must return a new instance on each call (one per task). */
    public static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> withStores(
            Set<StoreBuilder<?>> stores, Supplier<Processor<KIn, VIn, KOut, VOut>> processor) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                return processor.get();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    /** {@code processor} must return a new instance on each call (one per task). */
    public static <K, VIn, VOut> FixedKeyProcessorSupplier<K, VIn, VOut> fixedKeyWithStore(
            StoreBuilder<?> store, Supplier<FixedKeyProcessor<K, VIn, VOut>> processor) {
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<K, VIn, VOut> get() {
                return processor.get();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
    }
}
