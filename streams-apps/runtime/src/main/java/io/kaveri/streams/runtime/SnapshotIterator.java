package io.kaveri.streams.runtime;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.List;
import java.util.NoSuchElementException;

/** Iterates rows copied under a store's lock: the store may change while the caller iterates. */
final class SnapshotIterator implements KeyValueIterator<Bytes, byte[]> {
    private final List<KeyValue<Bytes, byte[]>> rows;
    private int next;

    SnapshotIterator(List<KeyValue<Bytes, byte[]>> rows) {
        this.rows = rows;
    }

    @Override
    public boolean hasNext() {
        return next < rows.size();
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return rows.get(next++);
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return rows.get(next).key;
    }

    @Override
    public void close() {
    }
}
