package io.kaveri.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte {@code 0}, the schema id as 4 bytes big-endian, then the Avro binary
 * encoding of the value (for a {@code bytes} schema, the raw bytes without a length prefix, as Confluent writes
 * them).
 */
public final class AvroWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private AvroWireFormat() {
    }

    /**
     * The schema id in a payload's header.
     *
     * @param topic named in the error
     * @throws SerializationException naming the topic when the payload is shorter than the header or does not
     *     start with the magic byte
     */
    public static int schemaId(String topic, byte[] payload) {
        return schemaId(topic, null, payload);
    }

    static int schemaId(String topic, String subject, byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw failure("Truncated payload: " + payload.length + " bytes, the Confluent wire format needs at least "
                    + HEADER_SIZE + " (magic byte and schema id)", topic, subject, null, null);
        }
        if (payload[0] != MAGIC_BYTE) {
            throw failure(String.format("Unknown magic byte 0x%02x, expected 0x00: not written by an Avro "
                    + "serializer of the Confluent wire format", payload[0] & 0xff), topic, subject, null, null);
        }
        return ((payload[1] & 0xff) << 24) | ((payload[2] & 0xff) << 16) | ((payload[3] & 0xff) << 8)
                | (payload[4] & 0xff);
    }

    /**
     * An error naming what is known of the record. A Kafka (de)serializer is not told the partition and offset,
     * so they are not in the message: the consumer or the Connect worker adds them.
     */
    static SerializationException failure(String what, String topic, String subject, Integer schemaId, Throwable cause) {
        StringBuilder message = new StringBuilder(what).append(" (topic '").append(topic).append('\'');
        if (subject != null) {
            message.append(", subject '").append(subject).append('\'');
        }
        if (schemaId != null) {
            message.append(", schema id ").append(schemaId);
        }
        message.append(')');
        if (cause != null && cause.getMessage() != null && !what.contains(cause.getMessage())) {
            message.append(": ").append(cause.getMessage());
        }
        return new SerializationException(message.toString(), cause);
    }
}
