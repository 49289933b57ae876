package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.Neighbour;
import io.kaveri.schemas.games.RelativeRank;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the interactive-query layer asks the leaderboard app: where a player stands in a game. Get the store with
 * {@code streams.store(StoreQueryParameters.fromNameAndType(LeaderboardQueries.STORE, LeaderboardQueries.storeType()))};
 * games are partitioned by game id, so a game lives on the instance that owns its key (route there first).
 */
public final class LeaderboardQueries {

    /** Name of the in-memory relative-leaderboard store. */
    public static final String STORE = "leaderboard-rankings";

    private LeaderboardQueries() {
    }

    /** The topic of top-K board changes. */
    public static String topTopic(StreamsAppConfig config) {
        return config.getString(LeaderboardConfig.TOP_TOPIC_CONFIG);
    }

    /** The topic of players' rank changes. */
    public static String ranksTopic(StreamsAppConfig config) {
        return config.getString(LeaderboardConfig.RANKS_TOPIC_CONFIG);
    }

    /** The read side of the relative leaderboards. */
    public interface Rankings {
        /**
         * The player's rank with up to {@code neighbours} players above and below; empty when the player has no
         * score in the game here, or fell below the best {@code leaderboard.relative.max.players} ("beyond the top
         * M": its rank is then unknown, only that it is larger than M).
         */
        Optional<RelativeRank> relative(String gameId, String playerId, int neighbours);

        /** The best {@code k} players of a game, best first (the all-time board); empty when the game is not here. */
        List<Neighbour> top(String gameId, int k);

        /** The games held here, each with the number of players ranked in it. */
        Map<String, Integer> games();
    }

    /** {@link Rankings#relative}, with the arguments checked. */
    public static Optional<RelativeRank> relative(Rankings store, String gameId, String playerId, int neighbours) {
        if (neighbours < 0) {
            throw new IllegalArgumentException("neighbours must not be negative for game " + gameId + ": " + neighbours);
        }
        return store.relative(gameId, playerId, neighbours);
    }

    /** The store type for {@code KafkaStreams.store}: asks every local store of the name, first answer wins. */
    public static QueryableStoreType<Rankings> storeType() {
        return new QueryableStoreType<>() {
            @Override
            public boolean accepts(StateStore store) {
                return store instanceof Rankings;
            }

            @Override
            public Rankings create(StateStoreProvider provider, String storeName) {
                List<Rankings> local = provider.stores(storeName, this);
                return new Rankings() {
                    @Override
                    public Optional<RelativeRank> relative(String game, String player, int n) {
                        return local.stream().map(r -> r.relative(game, player, n)).flatMap(Optional::stream).findFirst();
                    }

                    @Override
                    public List<Neighbour> top(String game, int k) {
                        // A game lives in one task: the first store holding it has its whole board.
                        return local.stream().map(r -> r.top(game, k)).filter(t -> !t.isEmpty()).findFirst().orElse(List.of());
                    }

                    @Override
                    public Map<String, Integer> games() {
                        Map<String, Integer> all = new HashMap<>();
                        local.forEach(r -> all.putAll(r.games()));
                        return all;
                    }
                };
            }
        };
    }
}
