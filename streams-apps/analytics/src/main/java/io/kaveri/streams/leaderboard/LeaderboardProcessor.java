package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.LeaderboardEntry;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.schemas.games.Score;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.LateRecords;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All boards of the games of one task, from one pass over their scores: the windowed and the all-time top-K, and
 * the relative leaderboard. A score late for its window (stream time past end plus grace) goes to the late topic
 * but still counts all time and in the relative board, which have no window to miss.
 *
 * <p>The relative board is {@link RankingStore}, rebuilt in {@link #init} (which Kafka Streams calls after the
 * stores are restored) from the changelogged best score per player. Duplicated scores change nothing: a best
 * score is a maximum, and the same score at the same time is the same standing.
 */
final class LeaderboardProcessor implements Processor<String, Score, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(LeaderboardProcessor.class);

    static final String WINDOW_TOP = "leaderboard-window-top";
    static final String ALL_TIME_TOP = "leaderboard-all-time-top";
    static final String BEST = "leaderboard-best-scores";
    static final String TOP_SINK = "leaderboard-top-sink";
    static final String RANKS_SINK = "leaderboard-ranks-sink";
    static final String LATE_SINK = "leaderboard-late-sink";
    static final String ROUTE = "leaderboard-window-top";
    private static final long ALL_TIME = Long.MIN_VALUE;
    /**
     * Boards kept decoded beside their stores (each at most K standings): every score reads its game's window and
     * all-time boards, and decoding them per score was a tenth of the app's CPU.
     */
    private static final int MAX_DECODED_BOARDS = 4_096;

    private final LeaderboardConfig.Boards boards;
    private final long sizeMs;
    private final long graceMs;
    private ProcessorContext<String, SpecificRecord> context;
    private WindowStore<String, TopK> windowTop;
    private KeyValueStore<String, TopK> allTimeTop;
    private KeyValueStore<String, Standing> best;
    private RankingStore rankings;
    private LateRecords.Route<String, SpecificRecord> late;
    private Map<Board, TopK> decoded;

    private LeaderboardProcessor(LeaderboardConfig.Boards boards) {
        this.boards = boards;
        this.sizeMs = boards.window().toMillis();
        this.graceMs = boards.grace().toMillis();
    }

    static ProcessorSupplier<String, Score, String, SpecificRecord> supplier(LeaderboardConfig.Boards boards) {
        Set<StoreBuilder<?>> stores = Set.of(
                // A window takes no score once stream time passes its end plus grace: keep it no longer.
                Stores.windowStoreBuilder(Stores.inMemoryWindowStore(WINDOW_TOP, boards.window().plus(boards.grace()),
                        boards.window(), false), Serdes.String(), StandingSerdes.topK()),
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ALL_TIME_TOP), Serdes.String(), StandingSerdes.topK()),
                // Read by key only (and whole on init): a hash map, not a sorted map comparing key bytes per put.
                Stores.keyValueStoreBuilder(HashStores.inMemory(BEST), Serdes.String(), StandingSerdes.standing()),
                RankingStore.builder(LeaderboardQueries.STORE));
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Score, String, SpecificRecord> get() {
                return new LeaderboardProcessor(boards);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.windowTop = context.getStateStore(WINDOW_TOP);
        this.allTimeTop = context.getStateStore(ALL_TIME_TOP);
        this.best = context.getStateStore(BEST);
        this.rankings = context.getStateStore(LeaderboardQueries.STORE);
        this.late = LateRecords.route(context, ROUTE, LATE_SINK);
        // Dropped on every init: the stores may have been restored or wiped since.
        this.decoded = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Board, TopK> eldest) {
                return size() > MAX_DECODED_BOARDS;
            }
        };
        long players = 0;
        try (KeyValueIterator<String, Standing> all = best.all()) {
            while (all.hasNext()) {
                KeyValue<String, Standing> entry = all.next();
                GameRanking game = rankings.game(gameOf(entry.key));
                synchronized (game) {
                    game.restore(entry.value);
                    game.seen(entry.value.reachedAt());
                    if (game.size() >= boards.maxPlayers()) {
                        game.markEvicted(); // full: players may have been evicted before the restart
                    }
                }
                players++;
            }
        }
        log.info("relative leaderboard rebuilt task={} players={}", context.taskId(), players);
    }

    @Override
    public void process(Record<String, Score> record) {
        String game = record.key();
        Score score = record.value();
        long ts = record.timestamp();
        Standing s = new Standing(score.getPlayerId(), score.getScore(), ts);

        long windowStart = Math.floorDiv(ts, sizeMs) * sizeMs;
        long closesAt = windowStart + sizeMs + graceMs;
        long streamTime = context.currentStreamTimeMs();
        if (closesAt <= streamTime) {
            late.send(record, streamTime, closesAt);
        } else {
            TopK top = board(game, windowStart);
            List<Integer> changed = top.offer(s, boards.k());
            if (!changed.isEmpty()) {
                windowTop.put(game, top, windowStart);
                publish(game + "@" + windowStart, game, windowStart, top, changed, ts);
            }
        }

        TopK allTime = board(game, ALL_TIME);
        List<Integer> changed = allTime.offer(s, boards.k());
        if (!changed.isEmpty()) {
            allTimeTop.put(game, allTime);
            publish(game, game, null, allTime, changed, ts);
        }

        relative(game, s, ts);
    }

    private void relative(String game, Standing s, long ts) {
        // The ranking holds exactly the players of the best-scores store (both are written together below, and
        // the ranking is rebuilt from the store on init), so it answers without reading and decoding the store.
        GameRanking ranking = rankings.game(game);
        Standing improved;
        Standing evicted;
        RelativeRank rank = null;
        synchronized (ranking) {
            ranking.seen(ts);
            Standing old = ranking.get(s.playerId());
            improved = s.best(old);
            if (improved == old) {
                return;
            }
            evicted = ranking.put(improved, boards.maxPlayers());
            if (evicted != improved) {
                rank = RankingStore.relative(game, ranking, improved, boards.neighbours());
            }
        }
        if (evicted != null) {
            best.delete(key(game, evicted.playerId()));
        }
        if (rank != null) { // else below the best M: stays "beyond the top M", nothing to publish
            best.put(key(game, s.playerId()), improved);
            context.forward(new Record<>(game + "/" + s.playerId(), (SpecificRecord) rank, ts), RANKS_SINK);
        }
    }

    /**
     * A board, decoded: from the cache of recently used boards, else from its store. Boards are mutated in place
     * by {@link TopK#offer} and written through to the store when they change, so the cache never disagrees
     * with the store; a window board leaves the cache once unused, never before its window closes for good
     * (a late score does not reach it).
     */
    private TopK board(String game, long windowStart) {
        Board key = new Board(game, windowStart);
        TopK top = decoded.get(key);
        if (top == null) {
            top = windowStart == ALL_TIME ? allTimeTop.get(game) : windowTop.fetch(game, windowStart);
            top = top == null ? new TopK(List.of()) : top;
            decoded.put(key, top);
        }
        return top;
    }

    private record Board(String game, long windowStart) {
    }

    private void publish(String boardKey, String game, Long windowStart, TopK top, List<Integer> ranks, long ts) {
        List<Standing> ranked = top.ranked();
        for (int i : ranks) {
            Standing s = ranked.get(i);
            LeaderboardEntry entry = LeaderboardEntry.newBuilder()
                    .setGameId(game)
                    .setWindowStart(windowStart == null ? null : Instant.ofEpochMilli(windowStart))
                    .setWindowEnd(windowStart == null ? null : Instant.ofEpochMilli(windowStart + sizeMs))
                    .setRank(i + 1).setPlayerId(s.playerId()).setScore(s.score())
                    .setUpdatedAt(Instant.ofEpochMilli(ts))
                    .build();
            context.forward(new Record<>(boardKey + "#" + (i + 1), (SpecificRecord) entry, ts), TOP_SINK);
        }
    }

    // A separator that ids do not contain, so that game "a" player "b/c" and game "a/b" player "c" differ.
    private static String key(String game, String player) {
        return game + '\u0000' + player;
    }

    private static String gameOf(String key) {
        return key.substring(0, key.indexOf('\u0000'));
    }
}
