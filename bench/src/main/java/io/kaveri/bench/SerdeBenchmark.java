package io.kaveri.bench;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.kaveri.schemas.serde.KaveriAvroDeserializer;
import io.kaveri.schemas.serde.KaveriAvroSerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.HashMap;
import java.util.Map;

/**
 * Serialize then deserialize one record, Kaveri's serde against Apicurio Registry's Avro serde with its
 * Confluent-compatible 4-byte ids, both against the same running Apicurio Registry and both with warm caches
 * (the setup writes and reads the record once, so the measured loop never calls the registry).
 */
@State(Scope.Thread)
public class SerdeBenchmark {

    /** The running registry's base URL ({@code http://host:port}), passed by {@link Bench} to every fork. */
    static final String REGISTRY_PROPERTY = "kaveri.bench.registry";

    @Param({"kaveri", "apicurio"})
    public String serde;

    @Param({"small", "medium"})
    public String size;

    @Param({"specific", "generic"})
    public String kind;

    private Serializer<Object> serializer;
    private Deserializer<Object> deserializer;
    private Object record;
    private String topic;

    @Setup(Level.Trial)
    public void setUp() {
        String base = System.getProperty(REGISTRY_PROPERTY);
        if (base == null) {
            throw new IllegalStateException("-D" + REGISTRY_PROPERTY + " is not set; run the benchmarks through io.kaveri.bench.Bench");
        }
        boolean specific = kind.equals("specific");
        record = specific ? Records.specific(size) : Records.generic(size);
        topic = "bench-" + serde + "-" + size + "-" + kind;
        Map<String, Object> config = new HashMap<>();
        if (serde.equals("kaveri")) {
            config.put("schema.registry.url", base + "/apis/ccompat/v7");
            config.put("specific.avro.reader", specific);
            serializer = cast(new KaveriAvroSerializer());
            deserializer = cast(new KaveriAvroDeserializer());
        } else {
            config.put(SerdeConfig.REGISTRY_URL, base + "/apis/registry/v2");
            config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
            config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
            config.put(SerdeConfig.ENABLE_HEADERS, false);
            config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, specific);
            serializer = cast(new AvroKafkaSerializer<>());
            deserializer = cast(new AvroKafkaDeserializer<>());
        }
        serializer.configure(config, false);
        deserializer.configure(config, false);
        Object back = deserializer.deserialize(topic, serializer.serialize(topic, record));
        if (!back.toString().equals(record.toString())) {
            throw new IllegalStateException(serde + " did not round-trip the " + size + " " + kind + " record:\n" + record + "\n" + back);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        serializer.close();
        deserializer.close();
    }

    @Benchmark
    public Object roundTrip() {
        return deserializer.deserialize(topic, serializer.serialize(topic, record));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
