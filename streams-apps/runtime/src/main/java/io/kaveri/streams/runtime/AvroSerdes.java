package io.kaveri.streams.runtime;

import io.kaveri.schemas.serde.AvroSerdeConfig;
import io.kaveri.schemas.serde.GenericAvroSerde;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import java.util.HashMap;
import java.util.Map;

/** Kaveri's Avro serdes configured from an app's configuration (registry URL, auth, subject strategies). */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    public static <T extends SpecificRecord> Serde<T> specificValue(StreamsAppConfig config) {
        return specific(config, false);
    }

    public static <T extends SpecificRecord> Serde<T> specific(StreamsAppConfig config, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }

    /**
     * For the late topic, which holds records of several of an app's inputs: each record type gets its own subject
     * ({@code <topic>-<record full name>}, Confluent's TopicRecordNameStrategy), so that the types need not be
     * compatible with each other. Readers of the topic deserialize by the schema id and need no setting.
     */
    public static <T extends SpecificRecord> Serde<T> lateValue(StreamsAppConfig config) {
        return perRecordTypeValue(config);
    }

    /**
     * Values whose subject is {@code <topic>-<record full name>}: for a topic that holds several record types,
     * and for a store whose "changelog" is a source topic of another type (a global store reading a CDC topic).
     */
    public static <T extends SpecificRecord> Serde<T> perRecordTypeValue(StreamsAppConfig config) {
        Map<String, Object> configs = new HashMap<>(config.serdeConfigs());
        configs.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, "TopicRecordNameStrategy");
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(configs, false);
        return serde;
    }

    public static Serde<GenericRecord> generic(StreamsAppConfig config, boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }
}
