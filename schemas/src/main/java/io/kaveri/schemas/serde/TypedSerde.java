package io.kaveri.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Typed views of the Object serializer and deserializer, for the Streams serdes. */
final class TypedSerde {

    private TypedSerde() {
    }

    static <T> Serializer<T> serializer(KaveriAvroSerializer inner) {
        return new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                inner.configure(configs, isKey);
            }

            @Override
            public byte[] serialize(String topic, T data) {
                return inner.serialize(topic, data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                return inner.serialize(topic, headers, data);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    @SuppressWarnings("unchecked")
    static <T> Deserializer<T> deserializer(KaveriAvroDeserializer inner) {
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                inner.configure(configs, isKey);
            }

            @Override
            public T deserialize(String topic, byte[] data) {
                return (T) inner.deserialize(topic, data);
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return (T) inner.deserialize(topic, headers, data);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }
}
