package io.kaveri.streams.testkit;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** A topic name with the serdes its keys and values are written in. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "topic name");
        Objects.requireNonNull(keySerde, () -> "key serde of topic " + name);
        Objects.requireNonNull(valueSerde, () -> "value serde of topic " + name);
    }

    public static <K, V> Topic<K, V> of(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new Topic<>(name, keySerde, valueSerde);
    }
}
