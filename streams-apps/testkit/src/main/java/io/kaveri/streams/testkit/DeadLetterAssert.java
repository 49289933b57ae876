package io.kaveri.streams.testkit;

import java.util.Arrays;
import org.apache.kafka.streams.test.TestRecord;
import org.opentest4j.AssertionFailedError;

/**
 * Checks a dead-letter record: it carries the original key and value bytes untouched, and
 * headers that say why and where from. Header names default to those Kafka Streams writes
 * ({@code errors.dead.letter.queue.topic.name}); {@link #CONNECT} reads Kafka Connect's.
 */
public final class DeadLetterAssert {

    /** Header names of one dead-letter convention. */
    public record HeaderNames(String exceptionClass, String message, String topic) {
    }

    public static final HeaderNames STREAMS =
            new HeaderNames("__streams.errors.exception", "__streams.errors.message", "__streams.errors.topic");
    public static final HeaderNames CONNECT = new HeaderNames("__connect.errors.exception.class.name",
            "__connect.errors.exception.message", "__connect.errors.topic");

    private final TestRecord<byte[], byte[]> record;
    private final HeaderNames names;
    private final HeaderAssert headers;

    DeadLetterAssert(TestRecord<byte[], byte[]> record, HeaderNames names) {
        this.record = record;
        this.names = names;
        this.headers = new HeaderAssert(record.headers(), "dead-letter record");
    }

    /** The cause header names exactly this exception class. */
    public DeadLetterAssert hasCause(Class<? extends Throwable> cause) {
        headers.hasString(names.exceptionClass(), cause.getName());
        return this;
    }

    public DeadLetterAssert hasMessageContaining(String part) {
        headers.hasStringContaining(names.message(), part);
        return this;
    }

    public DeadLetterAssert cameFrom(String topic) {
        headers.hasString(names.topic(), topic);
        return this;
    }

    /** The record's value is the original value, byte for byte. */
    public DeadLetterAssert hasOriginalValue(byte[] original) {
        return sameBytes("value", original, record.value());
    }

    public DeadLetterAssert hasOriginalKey(byte[] original) {
        return sameBytes("key", original, record.key());
    }

    public HeaderAssert headers() {
        return headers;
    }

    private DeadLetterAssert sameBytes(String part, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionFailedError("dead-letter " + part + " is not the original bytes: expected "
                    + Arrays.toString(expected) + ", got " + Arrays.toString(actual), expected, actual);
        }
        return this;
    }
}
