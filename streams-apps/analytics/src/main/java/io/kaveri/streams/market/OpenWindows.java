package io.kaveri.streams.market;

import org.apache.kafka.streams.state.WindowStore;

import java.util.HashMap;
import java.util.Map;

/**
 * The candle windows a processor still updates, kept decoded beside their store: a trade reads its window from
 * here, and the store (written through on every change, so its cache and changelog stay the truth) is read only for a
 * window first touched in this run, e.g. one restored after a restart. Its owner forgets windows that can take no
 * more trades, so this holds no more windows than the store does.
 */
final class OpenWindows {

    private record Key(String symbol, long start) {
    }

    private final WindowStore<String, CandleState> store;
    private final Map<Key, CandleState> open = new HashMap<>();

    OpenWindows(WindowStore<String, CandleState> store) {
        this.store = store;
    }

    /** The window's state, empty if it holds no trade yet; changed in place, then {@link #put}. */
    CandleState get(String symbol, long start) {
        return open.computeIfAbsent(new Key(symbol, start), key -> {
            CandleState stored = store.fetch(symbol, start);
            return stored == null ? CandleState.empty() : stored;
        });
    }

    void put(String symbol, long start, CandleState state) {
        store.put(symbol, state, start);
    }

    void delete(String symbol, long start) {
        open.remove(new Key(symbol, start));
        store.put(symbol, null, start);
    }

    /** Drops the decoded windows that start before {@code start}; the store keeps them until they expire. */
    void forgetBefore(long start) {
        open.keySet().removeIf(key -> key.start() < start);
    }
}
