package io.kaveri.streams.runtime;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedInputTest {

    /** Values "field:payload", keyed by their field. */
    private static Topology topology(boolean inputKeyed) {
        StreamsBuilder builder = new StreamsBuilder();
        KeyedInput.by(builder.stream("in", Consumed.with(Serdes.ByteArray(), Serdes.String()).withName("in-source")),
                        value -> value.substring(0, value.indexOf(':')), "in", "app.in.keyed", inputKeyed, Serdes.String(),
                        "in-key", "in-by-field")
                .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("out-sink"));
        return builder.build();
    }

    private static TopologyTestDriver driver(Topology topology) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "keyed-input-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dead");
        return new TopologyTestDriver(topology, props);
    }

    @Test
    void withoutTheSettingRecordsAreRekeyedThroughARepartitionTopic() {
        assertThat(topology(false).describe().toString()).contains("in-by-field-repartition");
        try (TopologyTestDriver driver = driver(topology(false))) {
            TestInputTopic<byte[], String> in = driver.createInputTopic("in", Serdes.ByteArray().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
            in.pipeInput(null, "a:1");
            in.pipeInput("b".getBytes(StandardCharsets.UTF_8), "c:2");
            assertThat(out.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value).containsExactly("a=a:1", "c=c:2");
        }
    }

    @Test
    void aTopicKeyedByTheFieldSkipsTheRepartitionAndAMiskeyedRecordGoesToTheDeadLetterTopic() {
        assertThat(topology(true).describe().toString()).doesNotContain("repartition");
        try (TopologyTestDriver driver = driver(topology(true))) {
            TestInputTopic<byte[], String> in = driver.createInputTopic("in", Serdes.ByteArray().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic("dead", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput("a".getBytes(StandardCharsets.UTF_8), "a:1");
            in.pipeInput("b".getBytes(StandardCharsets.UTF_8), "c:2");
            in.pipeInput(null, "d:3");
            in.pipeInput("é".getBytes(StandardCharsets.UTF_8), "é:4");

            assertThat(out.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value).containsExactly("a=a:1", "é=é:4");
            List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
            assertThat(letters).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("c:2", "d:3");
            assertThat(message(letters.get(0))).contains("keyed 'b'", "'c'", "app.in.keyed=true");
            assertThat(message(letters.get(1))).contains("keyed null", "'d'");
        }
    }

    /** Values "field:payload" read with String keys, then joined with a table of the same keys. */
    private static Topology joinTopology(boolean inputKeyed) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> table = builder.table("table", Consumed.with(Serdes.String(), Serdes.String()).withName("table-source"));
        KeyedInput.byStringKey(builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source")),
                        value -> value.substring(0, value.indexOf(':')), "in", "app.in.keyed", inputKeyed, Serdes.String(),
                        "in-key", "in-by-field")
                .leftJoin(table, (value, row) -> value + "+" + row, Joined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("out-sink"));
        return builder.build();
    }

    @Test
    void aStringKeyedTopicKeyedByTheFieldIsJoinedInPlaceAndAMiskeyedRecordGoesToTheDeadLetterTopic() {
        assertThat(joinTopology(false).describe().toString()).contains("in-by-field-repartition");
        assertThat(joinTopology(true).describe().toString()).as("no repartition before the join either")
                .doesNotContain("repartition");
        try (TopologyTestDriver driver = driver(joinTopology(true))) {
            driver.createInputTopic("table", Serdes.String().serializer(), Serdes.String().serializer()).pipeInput("a", "row-a");
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic("dead", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput("a", "a:1");
            in.pipeInput("b", "a:2");
            in.pipeInput(null, "a:3");

            assertThat(out.readKeyValuesToList()).extracting(kv -> kv.key + "=" + kv.value).containsExactly("a=a:1+row-a");
            List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
            assertThat(letters).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("a:2", "a:3");
            assertThat(message(letters.get(0))).contains("keyed 'b'", "'a'", "app.in.keyed=true");
            assertThat(message(letters.get(1))).contains("keyed null", "'a'");
        }
    }

    private static String message(TestRecord<byte[], byte[]> letter) {
        Header header = letter.headers().lastHeader("__streams.errors.message");
        assertThat(header).as("exception message header").isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
