package io.kaveri.streams.leaderboard;

import io.kaveri.schemas.games.Score;
import io.kaveri.schemas.serde.SpecificAvroSerde;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Scores to leaderboards: keyed by game (through a repartition, unless the scores topic is keyed by game already),
 * then {@link LeaderboardProcessor} keeps the windowed
 * and all-time top-K and the relative leaderboard of each game. Unreadable or invalid scores go to the dead-letter
 * topic through Kafka Streams' exception handlers; scores late for their window go to the late topic.
 */
public final class LeaderboardTopology {

    private LeaderboardTopology() {
    }

    public static Topology build(StreamsAppConfig config) {
        LeaderboardConfig.Boards boards = LeaderboardConfig.Boards.of(config);
        String scoresTopic = config.getString(LeaderboardConfig.SCORES_TOPIC_CONFIG);
        Serde<Score> scores = avro(config);
        Serde<SpecificRecord> records = avro(config);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], Score> input = builder.stream(scoresTopic, Consumed.with(Serdes.ByteArray(), scores)
                .withTimestampExtractor(new EventTime()).withName("leaderboard-scores-source"));
        KStream<String, SpecificRecord> out = KeyedInput.by(input, score -> gameOf(score, scoresTopic), scoresTopic,
                        LeaderboardConfig.SCORES_KEYED_BY_GAME_CONFIG,
                        config.getBoolean(LeaderboardConfig.SCORES_KEYED_BY_GAME_CONFIG), scores,
                        "leaderboard-scores-validate", "leaderboard-scores-by-game")
                .process(LeaderboardProcessor.supplier(boards), Named.as("leaderboard-boards"));
        out.to(config.getString(LeaderboardConfig.TOP_TOPIC_CONFIG),
                Produced.with(Serdes.String(), records).withName(LeaderboardProcessor.TOP_SINK));
        out.to(config.getString(LeaderboardConfig.RANKS_TOPIC_CONFIG),
                Produced.with(Serdes.String(), records).withName(LeaderboardProcessor.RANKS_SINK));
        out.to(config.lateTopic(), Produced.with(Serdes.String(), records).withName(LeaderboardProcessor.LATE_SINK));
        return builder.build();
    }

    /** A score that can never be ranked; thrown in a processor so that the dead-letter queue gets the record. */
    static final class InvalidScoreException extends RuntimeException {
        InvalidScoreException(String message) {
            super(message);
        }
    }

    static String gameOf(Score score, String topic) {
        if (score == null) {
            throw new InvalidScoreException("a record of topic " + topic + " has no value (a tombstone); scores are never deleted");
        }
        if (score.getGameId().isBlank() || score.getPlayerId().isBlank()) {
            throw new InvalidScoreException("a score of topic " + topic + " has a blank gameId or playerId (game '"
                    + score.getGameId() + "', player '" + score.getPlayerId() + "')");
        }
        return score.getGameId();
    }

    private static <T extends SpecificRecord> Serde<T> avro(StreamsAppConfig config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config.serdeConfigs(), false);
        return serde;
    }

    /** Event time is when the score was reached; an unreadable record keeps the partition's time. */
    static final class EventTime implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.value() instanceof Score score) {
                return score.getTs().toEpochMilli();
            }
            return partitionTime >= 0 ? partitionTime : Math.max(0, record.timestamp());
        }
    }
}
