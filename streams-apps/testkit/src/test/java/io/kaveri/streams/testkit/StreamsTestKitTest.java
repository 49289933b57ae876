package io.kaveri.streams.testkit;

import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static io.kaveri.streams.testkit.KitAssertions.assertHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamsTestKitTest {

    static final Schema PAGE_VIEW = new Schema.Parser().parse("""
            {"type": "record", "name": "PageView", "namespace": "io.kaveri.test", "fields": [
              {"name": "user", "type": "string"}, {"name": "page", "type": "string"}]}""");

    /** Views per page: Avro string keys and generic record values in, Avro long counts out. */
    static Topology viewsPerPage(KitContext context) {
        AvroSerdes avro = context.serdes();
        Serde<String> keys = avro.primitiveKey(String.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("page-views", Consumed.with(keys, avro.genericValue()).withName("views-source"))
                .map((user, view) -> KeyValue.pair(view.get("page").toString(), user), Named.as("key-by-page"))
                .groupByKey(Grouped.with("views-by-page", Serdes.String(), Serdes.String()))
                .count(Named.as("count-views"), Materialized.as("views-per-page-store"))
                .toStream(Named.as("views-to-stream"))
                .to("views-per-page", Produced.with(keys, avro.primitiveValue(Long.class)).withName("views-sink"));
        return builder.build();
    }

    @RegisterExtension
    final StreamsTestKit kit = StreamsTestKit.of(StreamsTestKitTest::viewsPerPage);

    private GenericRecord view(String user, String page) {
        GenericRecord record = new GenericData.Record(PAGE_VIEW);
        record.put("user", user);
        record.put("page", page);
        return record;
    }

    @Test
    void avroTopologyRunsAgainstTheTestsOwnRegistry() {
        AvroSerdes avro = kit.serdes();
        kit.input("page-views", avro.primitiveKey(String.class), avro.genericValue())
                .pipe("ana", view("ana", "/home"), 1_000L)
                .pipe("bo", view("bo", "/home"), 2_000L)
                .pipe("ana", view("ana", "/cart"), 3_000L);

        assertThat(kit.output("views-per-page", avro.primitiveKey(String.class), avro.primitiveValue(Long.class))
                .readFinal()).containsExactly(Map.entry("/home", 2L), Map.entry("/cart", 1L));
        assertThat(kit.serdes().registry().subjects())
                .containsExactly("page-views-key", "page-views-value", "views-per-page-key", "views-per-page-value");
        assertThat(kit.stores().<String, Long>keyValues("views-per-page-store"))
                .containsEntry("/home", 2L).containsEntry("/cart", 1L);
    }

    @Test
    void everyDriverHasItsOwnRegistryWhichCloseForgets() {
        String scope;
        try (KitDriver first = kit.open(); KitDriver second = kit.open()) {
            assertThat(first.context().registryUrl()).startsWith("mock://")
                    .isNotEqualTo(second.context().registryUrl())
                    .isNotEqualTo(kit.driver().context().registryUrl());
            first.input("page-views", first.serdes().primitiveKey(String.class), first.serdes().genericValue())
                    .pipe("ana", view("ana", "/home"), 1_000L);
            assertThat(first.serdes().registry().subjects()).isNotEmpty();
            assertThat(second.serdes().registry().subjects()).isEmpty();
            scope = first.context().registryUrl().substring("mock://".length());
        }
        assertThat(MockSchemaRegistry.scope(scope).subjects()).isEmpty();
    }

    @Test
    void badAvroBytesGoToTheDeadLetterTopicUntouched() {
        byte[] notAvro = {1, 2, 3};
        try (KitDriver driver = StreamsTestKit.of(StreamsTestKitTest::viewsPerPage)
                .withConfig(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "page-views-dlq")
                .withConfig(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        LogAndContinueExceptionHandler.class)
                .open()) {
            Serde<String> keys = driver.serdes().primitiveKey(String.class);
            driver.input("page-views", keys, Serdes.ByteArray()).pipe("ana", notAvro, 1_000L);

            TestRecord<byte[], byte[]> dead = driver.rawOutput("page-views-dlq").readOne();
            assertDeadLetter(dead).hasCause(SerializationException.class).cameFrom("page-views")
                    .hasMessageContaining("Truncated payload")
                    .hasOriginalValue(notAvro).hasOriginalKey(keys.serializer().serialize("page-views", "ana"));
            assertThatThrownBy(() -> assertDeadLetter(dead).hasOriginalValue(new byte[] {0, 0}))
                    .hasMessageContaining("dead-letter value is not the original bytes");
        }
    }

    @Test
    void closingWindowsEmitsFinalResultsAndTicksStayOutOfTheResult() {
        Duration size = Duration.ofMinutes(1);
        Duration grace = Duration.ofSeconds(10);
        try (KitDriver driver = StreamsTestKit.of(() -> finalCounts(size, grace)).open()) {
            TestInput<String, String> clicks = driver.input("clicks", Serdes.String(), Serdes.String())
                    .tickWith("tick", "tick");
            TestOutput<Windowed<String>, Long> counts = driver.output(TestTopologies.COUNTS.name(),
                            org.apache.kafka.streams.kstream.WindowedSerdes.timeWindowedSerdeFrom(String.class,
                                    size.toMillis()), Serdes.Long())
                    .withoutKeys(key -> key.key().equals("tick"));
            Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
            clicks.pipe("ana", "/a", t0).pipe("ana", "/b", t0.plusSeconds(30)).pipe("bo", "/a", t0.plusSeconds(50));

            driver.advanceStreamTimeTo(t0.plus(size));
            assertThat(counts.readAll()).as("window still open within grace").isEmpty();

            driver.closeWindowsUpTo(t0.plus(size), grace);
            assertThat(counts.readAll()).extracting(r -> r.key().key() + "=" + r.value())
                    .containsExactlyInAnyOrder("ana=2", "bo=1");
        }
    }

    @Test
    void wallClockPunctuationsFireWhenTheClockMoves() {
        try (KitDriver driver = StreamsTestKit.of(StreamsTestKitTest::heartbeat)
                .startingAt(Instant.parse("2026-03-01T00:00:00Z")).open()) {
            TestOutput<String, Long> beats = driver.output("heartbeats", Serdes.String(), Serdes.Long());
            driver.advanceWallClock(Duration.ofSeconds(59));
            assertThat(beats.readAll()).isEmpty();

            // The driver fires a due punctuation once per advance, at the new time: no catching up.
            driver.advanceWallClock(Duration.ofMinutes(2));
            assertThat(beats.readAll()).extracting(TimedRecord::eventTime)
                    .containsExactly(Instant.parse("2026-03-01T00:02:59Z"));
        }
    }

    @Test
    void misuseGetsAnAnswerNamingWhatIsMissing() {
        assertThatThrownBy(() -> kit.advanceStreamTimeTo(Instant.EPOCH))
                .hasMessageContaining("no input topic has a tick record");
        assertThatThrownBy(() -> kit.input("page-views", Serdes.String(), Serdes.String())
                .advanceStreamTimeTo(Instant.EPOCH))
                .hasMessageContaining("input topic page-views has no tick record");
        assertThatThrownBy(() -> StreamsTestKit.of(() -> null).open())
                .hasMessageContaining("the topology factory returned null");
        assertThatThrownBy(() -> kit.output("views-per-page", Serdes.String(), Serdes.Long()).readOne())
                .hasMessageContaining("output topic views-per-page has no (more) records");
        assertThatThrownBy(() -> StreamsTestKit.of(() -> null).driver())
                .hasMessageContaining("no test is running");
    }

    @Test
    void headersCanBeChecked() {
        try (KitDriver driver = StreamsTestKit.of(StreamsTestKitTest::stamping).open()) {
            driver.input("in", Serdes.String(), Serdes.String()).pipe("k", "v", 5L);
            TestRecord<String, String> out = driver.output("out", Serdes.String(), Serdes.String()).readOne();

            assertHeaders(out).has("origin").hasString("origin", "kaveri").lacks("trace")
                    .hasBytes("origin", "kaveri".getBytes());
            assertThatThrownBy(() -> assertHeaders(out).hasString("origin", "other"))
                    .hasMessageContaining("header origin is \"kaveri\", expected \"other\"");
            assertThatThrownBy(() -> assertHeaders(out).has("trace"))
                    .hasMessageContaining("has no header trace; it has [origin]");
        }
    }

    static Topology finalCounts(Duration size, Duration grace) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String()).withName("clicks-source"))
                .groupByKey(Grouped.with("clicks-by-user", Serdes.String(), Serdes.String()))
                .windowedBy(org.apache.kafka.streams.kstream.TimeWindows.ofSizeAndGrace(size, grace))
                .count(Named.as("count-clicks"), Materialized.as("click-counts-store"))
                .suppress(Suppressed.<Windowed<String>>untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName("final-counts"))
                .toStream(Named.as("counts-to-stream"))
                .to(TestTopologies.COUNTS.name(), Produced.with(TestTopologies.COUNTS.keySerde(), Serdes.Long())
                        .withName("counts-sink"));
        return builder.build();
    }

    static Topology heartbeat() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("unused", Consumed.with(Serdes.String(), Serdes.String()).withName("unused-source"))
                .process(() -> new Processor<String, String, String, Long>() {
                    @Override
                    public void init(ProcessorContext<String, Long> context) {
                        context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME,
                                now -> context.forward(new Record<>("beat", now, now)));
                    }

                    @Override
                    public void process(Record<String, String> record) {
                    }
                }, Named.as("heartbeat"))
                .to("heartbeats", Produced.with(Serdes.String(), Serdes.Long()).withName("heartbeat-sink"));
        return builder.build();
    }

    static Topology stamping() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source"))
                .processValues(() -> new org.apache.kafka.streams.processor.api.FixedKeyProcessor<String, String,
                        String>() {
                    private org.apache.kafka.streams.processor.api.FixedKeyProcessorContext<String, String> context;

                    @Override
                    public void init(org.apache.kafka.streams.processor.api.FixedKeyProcessorContext<String, String> c) {
                        context = c;
                    }

                    @Override
                    public void process(org.apache.kafka.streams.processor.api.FixedKeyRecord<String, String> record) {
                        record.headers().add("origin", "kaveri".getBytes());
                        context.forward(record);
                    }
                }, Named.as("stamp-origin"))
                .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("out-sink"));
        return builder.build();
    }

}
