package io.kaveri.streams.runtime;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class DedupTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HORIZON = Duration.ofMinutes(10);

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> in;
    private TestOutputTopic<String, String> out;

    @BeforeEach
    void open() {
        StreamsBuilder builder = new StreamsBuilder();
        // The value's part before '|' is the identity: "a|1" and "a|2" are copies of one event.
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .processValues(Dedup.supplier("ids", HORIZON, (String v) -> v.substring(0, v.indexOf('|'))))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedup-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(builder.build(), p);
        in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
        out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void copiesWithinTheHorizonAreDroppedAndCounted() {
        in.pipeInput("k", "a|1", T0);
        in.pipeInput("k", "b|1", T0.plusSeconds(1));
        in.pipeInput("k", "a|2", T0.plusSeconds(2));
        in.pipeInput("k", "a|3", T0.plus(HORIZON)); // still within the horizon of the first
        assertThat(out.readValuesToList()).containsExactly("a|1", "b|1");
        assertThat(driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals("duplicates-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum()).isEqualTo(2.0);
    }

    @Test
    void anIdIsForgottenOnceStreamTimeIsMoreThanAHorizonAndATenthPastIt() {
        in.pipeInput("k", "a|1", T0);
        in.pipeInput("k", "z|1", T0.plus(HORIZON).plus(HORIZON.dividedBy(10)).plusSeconds(1));
        KeyValueStore<String, Long> ids = driver.getKeyValueStore("ids");
        assertThat(ids.get("a")).isNull();
        assertThat(ids.get("z")).isNotNull();
        in.pipeInput("k", "a|2", T0.plus(HORIZON.multipliedBy(2)));
        assertThat(out.readValuesToList()).containsExactly("a|1", "z|1", "a|2");
    }
}
