package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.HashStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.kaveri.streams.fraud.FraudFixtures.M;
import static io.kaveri.streams.fraud.FraudFixtures.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What the topology tests cannot show: open windows found in the store on start (restored) close like any other. */
class TumblingVelocityTest {

    private static final String STORE = "open";

    @Test
    void windowsRestoredIntoTheStoreCloseAfterARestartByEndThenCardAndLeaveTheStore() {
        MockProcessorContext<Windowed<String>, VelocityWindow> context = new MockProcessorContext<>();
        KeyValueStore<Windowed<String>, VelocityWindow> store = Stores.keyValueStoreBuilder(HashStores.inMemory(STORE),
                        new WindowedSerdes.TimeWindowedSerde<>(Serdes.String(), M), FraudSerdes.velocityWindow())
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        // As restored from the changelog before the processor starts: two windows of [0, 1 min), one of the next.
        store.put(window("card-b", 0), VelocityWindow.empty().add("b1", 10 * S));
        store.put(window("card-a", 0), VelocityWindow.empty().add("a2", 30 * S).add("a1", 20 * S));
        store.put(window("card-a", M), VelocityWindow.empty().add("a3", 70 * S));

        Processor<String, Payment, Windowed<String>, VelocityWindow> velocity =
                TumblingVelocity.supplier(STORE, Duration.ofMinutes(1), Duration.ofSeconds(30)).get();
        velocity.init(context);
        context.setCurrentStreamTimeMs(89 * S);
        process(velocity, FraudFixtures.payment("c1", "card-c", "10", "FR", Instant.ofEpochMilli(89 * S)));
        assertThat(context.forwarded()).as("stream time before end plus grace of the first windows").isEmpty();

        context.setCurrentStreamTimeMs(90 * S);
        process(velocity, FraudFixtures.payment("c2", "card-c", "10", "FR", Instant.ofEpochMilli(90 * S)));

        assertThat(context.forwarded()).extracting(f -> f.record().key().key(), f -> f.record().key().window().start(),
                        f -> f.record().key().window().end(), f -> f.record().value().count(), f -> f.record().timestamp())
                .containsExactly(tuple("card-a", 0L, M, 2L, 30 * S), tuple("card-b", 0L, M, 1L, 10 * S));
        assertThat(context.forwarded().get(0).record().value().newest()).extracting(VelocityWindow.Seen::paymentId)
                .containsExactly("a1", "a2");
        List<String> left = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, VelocityWindow> it = store.all()) {
            it.forEachRemaining((KeyValue<Windowed<String>, VelocityWindow> kv) ->
                    left.add(kv.key.key() + "@" + kv.key.window().start() + "=" + kv.value.count()));
        }
        assertThat(left).containsExactlyInAnyOrder("card-a@" + M + "=1", "card-c@" + M + "=2");
    }

    private static Windowed<String> window(String card, long start) {
        return new Windowed<>(card, new TimeWindow(start, start + M));
    }

    private static void process(Processor<String, Payment, Windowed<String>, VelocityWindow> p, Payment payment) {
        p.process(new Record<>(payment.getCardId(), payment, payment.getTs().toEpochMilli()));
    }
}
