package io.kaveri.streams.runtime;

import io.kaveri.schemas.serde.GenericAvroSerde;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

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

    public static Serde<GenericRecord> generic(StreamsAppConfig config, boolean isKey) {
        GenericAvroSerde serde = new GenericAvroSerde();
        serde.configure(config.serdeConfigs(), isKey);
        return serde;
    }
}
