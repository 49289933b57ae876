package io.kaveri.streams.testkit;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;

/** Entry points of the kit's assertions, to import statically. */
public final class KitAssertions {

    private KitAssertions() {
    }

    public static HeaderAssert assertHeaders(TestRecord<?, ?> record) {
        return new HeaderAssert(record.headers(), "record with key " + record.key());
    }

    public static HeaderAssert assertHeaders(Headers headers) {
        return new HeaderAssert(headers, "record");
    }

    /** A dead-letter record written by Kafka Streams' dead-letter queue (or a handler using its headers). */
    public static DeadLetterAssert assertDeadLetter(TestRecord<byte[], byte[]> record) {
        return new DeadLetterAssert(record, DeadLetterAssert.STREAMS);
    }

    public static DeadLetterAssert assertDeadLetter(TestRecord<byte[], byte[]> record,
                                                    DeadLetterAssert.HeaderNames names) {
        return new DeadLetterAssert(record, names);
    }
}
