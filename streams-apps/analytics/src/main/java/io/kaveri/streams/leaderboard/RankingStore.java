package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.Neighbour;
import io.kaveri.schemas.games.RelativeRank;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relative leaderboards of a task's games, in memory, as a state store so that interactive queries reach it.
 * It keeps no changelog of its own: it is derived state, rebuilt on start from the changelogged store of best
 * scores. The stream thread writes and query threads read, so each game's ranking is guarded by its own lock.
 */
final class RankingStore implements StateStore, LeaderboardQueries.Rankings {

    private final String name;
    private final Map<String, GameRanking> games = new ConcurrentHashMap<>();
    private volatile boolean open;

    RankingStore(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
        });
        open = true;
    }

    @Override
    public void close() {
        games.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    GameRanking game(String gameId) {
        return games.computeIfAbsent(gameId, g -> new GameRanking());
    }

    @Override
    public Optional<RelativeRank> relative(String gameId, String playerId, int neighbours) {
        GameRanking ranking = games.get(gameId);
        if (ranking == null) {
            return Optional.empty();
        }
        synchronized (ranking) {
            Standing s = ranking.get(playerId);
            return s == null ? Optional.empty() : Optional.of(relative(gameId, ranking, s, neighbours));
        }
    }

    /** The relative rank of a standing held by {@code ranking}; the caller holds the ranking's lock. */
    static RelativeRank relative(String gameId, GameRanking ranking, Standing s, int neighbours) {
        int index = ranking.indexOf(s);
        return RelativeRank.newBuilder()
                .setGameId(gameId).setPlayerId(s.playerId()).setRank(index + 1L).setScore(s.score())
                .setTotalPlayers(ranking.size())
                .setAbove(neighbours(ranking.above(index, neighbours), index - Math.min(index, neighbours)))
                .setBelow(neighbours(ranking.below(index, neighbours), index + 1))
                // Ranks within the bound are exact; once a player was evicted, the total is a lower bound.
                .setApproximate(ranking.evicted())
                .setAsOf(Instant.ofEpochMilli(ranking.asOf()))
                .build();
    }

    @Override
    public List<Neighbour> top(String gameId, int k) {
        GameRanking ranking = games.get(gameId);
        if (ranking == null) {
            return List.of();
        }
        synchronized (ranking) {
            return neighbours(ranking.top(k), 0);
        }
    }

    @Override
    public Map<String, Integer> games() {
        Map<String, Integer> sizes = new java.util.TreeMap<>();
        games.forEach((game, ranking) -> {
            synchronized (ranking) {
                if (ranking.size() > 0) {
                    sizes.put(game, ranking.size());
                }
            }
        });
        return sizes;
    }

    private static List<Neighbour> neighbours(List<Standing> standings, int firstIndex) {
        List<Neighbour> out = new ArrayList<>(standings.size());
        for (int i = 0; i < standings.size(); i++) {
            Standing s = standings.get(i);
            out.add(new Neighbour(s.playerId(), (long) firstIndex + i + 1, s.score()));
        }
        return out;
    }

    /** Builds the store; it has no changelog and no cache, whatever is asked. */
    static StoreBuilder<RankingStore> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<RankingStore> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<RankingStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<RankingStore> withLoggingEnabled(Map<String, String> config) {
                return this;
            }

            @Override
            public StoreBuilder<RankingStore> withLoggingDisabled() {
                return this;
            }

            @Override
            public RankingStore build() {
                return new RankingStore(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
