package io.kaveri.bench;

import io.kaveri.schemas.serde.KaveriAvroSerializer;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fills an app's input topics before the app starts, with Kaveri's Avro serializer against the stack's registry,
 * as the connectors would: String-keyed events, and change events keyed by the row's primary key.
 */
final class Feeder implements AutoCloseable {

    private final StreamsAppConfig config;
    private final KafkaProducer<String, Object> events;
    private final KafkaProducer<Object, Object> changes;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback onError = (metadata, e) -> {
        if (e != null) {
            failure.compareAndSet(null, e);
        }
    };
    private long records;

    Feeder(StreamsAppConfig config) {
        this.config = config;
        Map<String, Object> producer = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(StreamsAppConfig.BOOTSTRAP_SERVERS_CONFIG)),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.events = new KafkaProducer<>(producer, new StringSerializer(), avro(false));
        this.changes = new KafkaProducer<>(producer, avro(true), avro(false));
    }

    private Serializer<Object> avro(boolean isKey) {
        KaveriAvroSerializer serializer = new KaveriAvroSerializer();
        serializer.configure(config.serdeConfigs(), isKey);
        return serializer;
    }

    /** The name of the app's topic configured under {@code key}. */
    String topic(String key) {
        return config.getString(key);
    }

    void send(String topic, String key, SpecificRecord value, long timestamp) {
        events.send(new ProducerRecord<>(topic, null, timestamp, key, value), onError);
        records++;
    }

    void sendGeneric(String topic, GenericRecord key, GenericRecord value, long timestamp) {
        changes.send(new ProducerRecord<>(topic, null, timestamp, key, value), onError);
        records++;
    }

    /** Records sent so far, table side included. */
    long records() {
        return records;
    }

    /** Waits until every record is acknowledged; fails if one was not. */
    @Override
    public void close() {
        events.close();
        changes.close();
        if (failure.get() != null) {
            throw new IllegalStateException("preloading the input of " + config.appName() + " failed", failure.get());
        }
    }
}
