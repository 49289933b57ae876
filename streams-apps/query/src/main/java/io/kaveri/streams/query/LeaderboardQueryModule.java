package io.kaveri.streams.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kaveri.schemas.games.Neighbour;
import io.kaveri.streams.leaderboard.LeaderboardQueries;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The leaderboard app's queries, over its relative-leaderboard store with IQv1 (a custom store, which IQv2's
 * typed queries do not reach):
 * <ul>
 *   <li>{@code /api/leaderboard/games/{game}/top?k=}: the game's all-time top K;</li>
 *   <li>{@code /api/leaderboard/games/{game}/players/{player}?neighbours=}: the player's rank and neighbours;</li>
 *   <li>{@code /api/leaderboard/games}: every game with its player count and leader (fan-out).</li>
 * </ul>
 * The store is rebuilt by the active task from the best-score changelog and is empty on standbys, so only active
 * replicas answer, whatever maxLagMs says.
 */
final class LeaderboardQueryModule implements QueryModule {

    @Override
    public String app() {
        return "leaderboard";
    }

    @Override
    public List<Endpoint> endpoints(KafkaStreams streams, StreamsAppConfig config) {
        String store = LeaderboardQueries.STORE;
        return List.of(
                new Endpoint.Keyed("/games/{game}/top", store, List.of("k"), p -> p.pathValue("game"), false,
                        (params, game, partition, activeOnly) -> {
                            int k = params.intBetween("k", 10, 1, 1000);
                            return read(streams, partition, rankings -> {
                                List<Neighbour> top = rankings.top(game, k);
                                return top.isEmpty()
                                        ? new LocalRead.Absent("game " + game + " has no scores")
                                        : new LocalRead.Found(AvroJson.toJson(top), null);
                            });
                        }),
                new Endpoint.Keyed("/games/{game}/players/{player}", store, List.of("neighbours"),
                        p -> p.pathValue("game"), false,
                        (params, game, partition, activeOnly) -> {
                            String player = params.pathValue("player");
                            int neighbours = params.intBetween("neighbours", 3, 0, 100);
                            return read(streams, partition, rankings -> LeaderboardQueries
                                    .relative(rankings, game, player, neighbours)
                                    .<LocalRead>map(rank -> new LocalRead.Found(AvroJson.toJson(rank), null))
                                    .orElseGet(() -> new LocalRead.Absent("player " + player + " has no score in game "
                                            + game + ", or is ranked beyond the players the leaderboard keeps")));
                        }),
                new Endpoint.Global("/games", store, List.of(), (params, partitions) -> games(streams, partitions),
                        Endpoint.Merger.unionSortedBy("gameId")));
    }

    @Override
    public List<Feed> feeds(StreamsAppConfig config) {
        return List.of(new Feed(LeaderboardQueries.topTopic(config), "leaderboard"),
                new Feed(LeaderboardQueries.ranksTopic(config), "rank"));
    }

    private static LocalRead read(KafkaStreams streams, int partition,
                                  Function<LeaderboardQueries.Rankings, LocalRead> query) {
        try {
            LeaderboardQueries.Rankings rankings = streams.store(StoreQueryParameters
                    .fromNameAndType(LeaderboardQueries.STORE, LeaderboardQueries.storeType()).withPartition(partition));
            return query.apply(rankings);
        } catch (InvalidStateStoreException e) {
            return new LocalRead.NotReady("partition " + partition + " of store " + LeaderboardQueries.STORE + ": "
                    + e.getMessage());
        }
    }

    private static LocalRead games(KafkaStreams streams, Set<Integer> partitions) {
        ArrayNode games = Reply.JSON.createArrayNode();
        for (int partition : new TreeSet<>(partitions)) {
            LocalRead part = read(streams, partition, rankings -> {
                ArrayNode here = Reply.JSON.createArrayNode();
                for (Map.Entry<String, Integer> game : rankings.games().entrySet()) {
                    Optional<Neighbour> leader = rankings.top(game.getKey(), 1).stream().findFirst();
                    here.addObject().put("gameId", game.getKey()).put("players", game.getValue())
                            .set("leader", leader.map(AvroJson::toJson).orElse(null));
                }
                return new LocalRead.Found(here, null);
            });
            if (!(part instanceof LocalRead.Found found)) {
                return part;
            }
            games.addAll((ArrayNode) found.value());
        }
        return new LocalRead.Found(games, null);
    }
}
