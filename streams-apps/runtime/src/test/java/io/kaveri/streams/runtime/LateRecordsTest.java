package io.kaveri.streams.runtime;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LateRecordsTest {

    private static final Duration SIZE = Duration.ofMinutes(1);
    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void tumblingWindowClosesAtItsEndPlusGrace() {
        LateRecords.WindowClose close = LateRecords.tumbling(SIZE, GRACE);
        assertThat(close.closesAt(0)).isEqualTo(70_000);
        assertThat(close.closesAt(59_999)).isEqualTo(70_000);
        assertThat(close.closesAt(60_000)).isEqualTo(130_000);
        assertThat(close.closesAt(-1)).isEqualTo(10_000); // the window [-60 s, 0)
    }

    @Test
    void hoppingWindowClosesWhenTheLastWindowHoldingTheRecordCloses() {
        // 5-minute windows every minute: a record at 2:30 is in windows starting 0..2, the last ends at 7:00.
        LateRecords.WindowClose close = LateRecords.hopping(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ZERO);
        assertThat(close.closesAt(150_000)).isEqualTo(420_000);
    }

    @Test
    void impossibleWindowsAreRefusedWithTheirValues() {
        assertThatThrownBy(() -> LateRecords.hopping(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advance=PT2M");
    }

    @Test
    void lateRecordsGoToTheLateTopicAndEveryOtherReachesTheWindow() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> input = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source"));
        KStream<String, String> onTime = LateRecords.routeLate(input, LateRecords.tumbling(SIZE, GRACE), "late",
                Produced.with(Serdes.String(), Serdes.String()), "counts");
        onTime.groupByKey(Grouped.as("counts-by-key"))
                .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
                .count(Named.as("counts-count"), Materialized.<String, Long>as(Stores.inMemoryWindowStore("counts-store",
                        Duration.ofMinutes(10), SIZE, false)).withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("counts-to-stream"))
                .map((w, c) -> org.apache.kafka.streams.KeyValue.pair(w.key() + "@" + w.window().start(), c), Named.as("counts-flatten"))
                .to("counts", Produced.with(Serdes.String(), Serdes.Long()).withName("counts-sink"));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "late-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> late = driver.createOutputTopic("late", Serdes.String().deserializer(), Serdes.String().deserializer());
            TestOutputTopic<String, Long> counts = driver.createOutputTopic("counts", Serdes.String().deserializer(), Serdes.Long().deserializer());

            in.pipeInput("a", "first", Instant.ofEpochMilli(5_000));
            in.pipeInput("a", "advances stream time past 70 s", Instant.ofEpochMilli(75_000));
            in.pipeInput("a", "in grace of window 60-120 s", Instant.ofEpochMilli(62_000));
            in.pipeInput("a", "too late for window 0-60 s", Instant.ofEpochMilli(30_000));

            List<TestRecord<String, String>> lateRecords = late.readRecordsToList();
            assertThat(lateRecords).extracting(TestRecord::value).containsExactly("too late for window 0-60 s");
            assertThat(new String(lateRecords.get(0).headers().lastHeader(LateRecords.STREAM_TIME_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("75000");
            assertThat(new String(lateRecords.get(0).headers().lastHeader(LateRecords.WINDOW_CLOSE_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("70000");
            assertThat(new String(lateRecords.get(0).headers().lastHeader(LateRecords.ROUTE_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("counts");
            // The window [0, 60 s) counted only the on-time record; [60, 120 s) counted both of its records.
            assertThat(counts.readKeyValuesToMap()).containsEntry("a@0", 1L).containsEntry("a@60000", 2L);
            double lateTotal = driver.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals("late-records-total") && e.getKey().tags().containsValue("counts"))
                    .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
            assertThat(lateTotal).isEqualTo(1.0);
        }
    }
}
