package io.kaveri.streams.leaderboard;

import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;

/** The leaderboard app's keys, and typed reads of them. */
final class LeaderboardConfig {

    static final String SCORES_TOPIC_CONFIG = "leaderboard.scores.topic";
    static final String SCORES_KEYED_BY_GAME_CONFIG = "leaderboard.scores.keyed.by.game";
    private static final String SCORES_TOPIC_DOC = "Topic of io.kaveri.schemas.games.Score values; keys are ignored "
            + "(scores are re-keyed by game, since a game's boards need all of its players in one place), unless "
            + SCORES_KEYED_BY_GAME_CONFIG + " is set.";

    private static final String SCORES_KEYED_BY_GAME_DOC = KeyedInput.settingDoc("scores", "gameId");

    static final String TOP_TOPIC_CONFIG = "leaderboard.top.topic";
    private static final String TOP_TOPIC_DOC = "Changes of the top-K boards as LeaderboardEntry values, one per "
            + "changed rank, keyed <game>#<rank> (all time) or <game>@<window start ms>#<rank> (windowed); compacted, "
            + "so the topic converges to the current boards.";

    static final String RANKS_TOPIC_CONFIG = "leaderboard.ranks.topic";
    private static final String RANKS_TOPIC_DOC = "RelativeRank of a player each time the player's best score in a "
            + "game improves, keyed <game>/<player>; compacted. Other players' ranks shift without a record here: "
            + "query the store for them.";

    static final String TOP_K_CONFIG = "leaderboard.top.k";
    private static final String TOP_K_DOC = "Ranks kept and published per board.";

    static final String WINDOW_CONFIG = "leaderboard.window.ms";
    private static final String WINDOW_DOC = "Size of the tumbling windows of the windowed boards (default: hourly).";

    static final String GRACE_CONFIG = "leaderboard.grace.ms";
    private static final String GRACE_DOC = "How long after a window's end a score still counts in it. Game clients "
            + "buffer scores while offline for a while; 1 minute absorbs short drops. Later scores go to the late "
            + "topic for the windowed board but still count all time.";

    static final String MAX_PLAYERS_CONFIG = "leaderboard.relative.max.players";
    private static final String MAX_PLAYERS_DOC = "Players kept per game by the relative leaderboard. Memory is about "
            + "100 bytes per player. Ranks within the bound are exact; a player below the best M is evicted and "
            + "answered as 'beyond the top M', and the game's total becomes a lower bound (approximate=true).";

    static final String NEIGHBOURS_CONFIG = "leaderboard.relative.neighbours";
    private static final String NEIGHBOURS_DOC = "Players above and below in each published RelativeRank.";

    private LeaderboardConfig() {
    }

    static ConfigDef configDef() {
        String topics = "Leaderboard topics";
        String boards = "Leaderboard boards";
        int t = 0;
        int b = 0;
        return new ConfigDef()
                .define(SCORES_TOPIC_CONFIG, Type.STRING, "game-scores", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        SCORES_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Scores topic")
                .define(SCORES_KEYED_BY_GAME_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM, SCORES_KEYED_BY_GAME_DOC,
                        topics, ++t, Width.SHORT, "Scores keyed by game")
                .define(TOP_TOPIC_CONFIG, Type.STRING, "leaderboard-top", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        TOP_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Top-K topic")
                .define(RANKS_TOPIC_CONFIG, Type.STRING, "leaderboard-ranks", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, RANKS_TOPIC_DOC, topics, ++t, Width.MEDIUM, "Rank changes topic")
                .define(TOP_K_CONFIG, Type.INT, 10, ConfigDef.Range.between(1, 1000), Importance.MEDIUM, TOP_K_DOC,
                        boards, ++b, Width.SHORT, "Top K")
                .define(WINDOW_CONFIG, Type.LONG, 3_600_000L, ConfigDef.Range.atLeast(1), Importance.MEDIUM, WINDOW_DOC,
                        boards, ++b, Width.SHORT, "Window (ms)")
                .define(GRACE_CONFIG, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM, GRACE_DOC,
                        boards, ++b, Width.SHORT, "Grace (ms)")
                .define(MAX_PLAYERS_CONFIG, Type.INT, 100_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                        MAX_PLAYERS_DOC, boards, ++b, Width.SHORT, "Max players per game")
                .define(NEIGHBOURS_CONFIG, Type.INT, 3, ConfigDef.Range.between(0, 100), Importance.LOW, NEIGHBOURS_DOC,
                        boards, ++b, Width.SHORT, "Neighbours");
    }

    /** The settings the processor needs, read once. */
    record Boards(int k, Duration window, Duration grace, int maxPlayers, int neighbours) {
        static Boards of(StreamsAppConfig config) {
            return new Boards(config.getInt(TOP_K_CONFIG), Duration.ofMillis(config.getLong(WINDOW_CONFIG)),
                    Duration.ofMillis(config.getLong(GRACE_CONFIG)), config.getInt(MAX_PLAYERS_CONFIG),
                    config.getInt(NEIGHBOURS_CONFIG));
        }
    }
}
