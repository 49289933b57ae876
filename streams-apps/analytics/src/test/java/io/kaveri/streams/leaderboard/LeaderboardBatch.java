package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.Score;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The leaderboards as one batch computation over all scores, the definition the streaming boards must converge
 * to: a player's standing in a board is the best score, ties to the one reached earliest; players rank by standing,
 * then by player id.
 */
final class LeaderboardBatch {

    private LeaderboardBatch() {
    }

    /**
     * The final top-{@code k} boards as the top topic's keys ({@code game#rank} all time, {@code game@start#rank}
     * per window of {@code windowMs}) to {@code player=score}.
     */
    static Map<String, String> topBoards(List<Score> scores, int k, long windowMs) {
        Map<String, String> out = new TreeMap<>();
        ranked(scores, s -> s.getGameId()).forEach((board, standings) -> put(out, board, standings, k));
        ranked(scores, s -> s.getGameId() + "@" + Math.floorDiv(s.getTs().toEpochMilli(), windowMs) * windowMs)
                .forEach((board, standings) -> put(out, board, standings, k));
        return out;
    }

    /** The all-time standings of each game, best first. */
    static Map<String, List<Standing>> allTime(List<Score> scores) {
        return ranked(scores, Score::getGameId);
    }

    private static void put(Map<String, String> out, String board, List<Standing> standings, int k) {
        for (int i = 0; i < Math.min(k, standings.size()); i++) {
            out.put(board + "#" + (i + 1), standings.get(i).playerId() + "=" + standings.get(i).score());
        }
    }

    private static Map<String, List<Standing>> ranked(List<Score> scores, Function<Score, String> board) {
        Map<String, Map<String, Standing>> best = new HashMap<>();
        for (Score s : scores) {
            Standing st = new Standing(s.getPlayerId(), s.getScore(), s.getTs().toEpochMilli());
            best.computeIfAbsent(board.apply(s), b -> new HashMap<>()).merge(s.getPlayerId(), st, (a, b) ->
                    a.score() != b.score() ? (a.score() > b.score() ? a : b) : (a.reachedAt() <= b.reachedAt() ? a : b));
        }
        Map<String, List<Standing>> out = new TreeMap<>();
        best.forEach((b, players) -> {
            List<Standing> sorted = new ArrayList<>(players.values());
            sorted.sort(Comparator.comparingLong((Standing s) -> -s.score()).thenComparingLong(Standing::reachedAt)
                    .thenComparing(Standing::playerId));
            out.put(b, sorted);
        });
        return out;
    }
}
