package io.kaveri.streams.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * An output topic of the driver. Reading consumes: each record is returned by one read only.
 */
public final class TestOutput<K, V> {

    private final String topic;
    private final TestOutputTopic<K, V> delegate;
    private final Predicate<K> keep;

    TestOutput(String topic, TestOutputTopic<K, V> delegate, Predicate<K> keep) {
        this.topic = topic;
        this.delegate = delegate;
        this.keep = keep;
    }

    public String topic() {
        return topic;
    }

    /** A view that skips records whose key matches, e.g. the output caused by tick records. */
    public TestOutput<K, V> withoutKeys(Predicate<? super K> ignored) {
        return new TestOutput<>(topic, delegate, keep.and(key -> !ignored.test(key)));
    }

    /** Every record, with headers and timestamps, in the order the topology wrote them. */
    public List<TestRecord<K, V>> readRecords() {
        List<TestRecord<K, V>> out = new ArrayList<>();
        for (TestRecord<K, V> record : delegate.readRecordsToList()) {
            if (keep.test(record.key())) {
                out.add(record);
            }
        }
        return out;
    }

    public List<TimedRecord<K, V>> readAll() {
        List<TimedRecord<K, V>> out = new ArrayList<>();
        for (TestRecord<K, V> record : readRecords()) {
            out.add(TimedRecord.of(record.key(), record.value(), record.timestamp()));
        }
        return out;
    }

    /** The next record; fails naming the topic when there is none. */
    public TestRecord<K, V> readOne() {
        while (!delegate.isEmpty()) {
            TestRecord<K, V> record = delegate.readRecord();
            if (keep.test(record.key())) {
                return record;
            }
        }
        throw new AssertionError("output topic " + topic + " has no (more) records");
    }

    /**
     * The table the topic describes: the last value per key, in first-seen key order, where a
     * null value (tombstone) removes the key. This is the result a compacted topic converges to.
     */
    public Map<K, V> readFinal() {
        Map<K, V> table = new LinkedHashMap<>();
        for (TestRecord<K, V> record : readRecords()) {
            if (record.value() == null) {
                table.remove(record.key());
            } else {
                table.put(record.key(), record.value());
            }
        }
        return table;
    }

    /** Whether no record is left to read, counting those a {@link #withoutKeys} view would skip. */
    public boolean isEmpty() {
        return delegate.isEmpty();
    }
}
