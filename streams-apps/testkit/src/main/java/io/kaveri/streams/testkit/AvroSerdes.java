package io.kaveri.streams.testkit;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import io.kaveri.schemas.serde.GenericAvroSerde;
import io.kaveri.schemas.serde.PrimitiveAvroSerde;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Kaveri's Avro serdes configured against the test's own {@code mock://} registry (and every
 * serde property given to the kit, such as a subject name strategy). Each call returns a new,
 * configured serde; a topology and the test's topics built from the same kit share the schemas.
 */
public final class AvroSerdes {

    private final String scope;
    private final Map<String, Object> config;

    AvroSerdes(String scope, Map<String, Object> config) {
        this.scope = scope;
        this.config = config;
    }

    public Serde<GenericRecord> genericKey() {
        return configure(new GenericAvroSerde(), true);
    }

    public Serde<GenericRecord> genericValue() {
        return configure(new GenericAvroSerde(), false);
    }

    /** {@code type} only fixes the Java type; the reader follows the writer schema's class name. */
    public <T extends SpecificRecord> Serde<T> specificKey(Class<T> type) {
        return configure(new SpecificAvroSerde<T>(), true);
    }

    public <T extends SpecificRecord> Serde<T> specificValue(Class<T> type) {
        return configure(new SpecificAvroSerde<T>(), false);
    }

    /** Avro primitives (String, Integer, Long, Float, Double, Boolean, byte[]) in the wire format. */
    public <T> Serde<T> primitiveKey(Class<T> type) {
        return configure(new PrimitiveAvroSerde<T>(), true);
    }

    public <T> Serde<T> primitiveValue(Class<T> type) {
        return configure(new PrimitiveAvroSerde<T>(), false);
    }

    /** The test's registry, to check what was registered or to register schemas up front. */
    public MockSchemaRegistry registry() {
        return MockSchemaRegistry.scope(scope);
    }

    private <T, S extends Serde<T>> S configure(S serde, boolean isKey) {
        serde.configure(config, isKey);
        return serde;
    }
}
