package io.kaveri.streams.testkit;

import static io.kaveri.streams.testkit.GoldenTopology.assertTopologyMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class GoldenTopologyTest {

    private static final String GOLDEN = "src/test/resources/golden/click-counts.txt";

    @TempDir
    Path dir;

    @Test
    void theCheckedInDescriptionMatches() {
        assertTopologyMatches(TestTopologies.windowedCount("click-counts-store"), GOLDEN);
    }

    @Test
    void aRenamedStoreIsCaughtWithADiff() throws IOException {
        // A copy, so that a run with the update flag cannot rewrite the checked-in file here.
        Path golden = Files.copy(Path.of(GOLDEN), dir.resolve("click-counts.txt"));

        assertThatThrownBy(() -> assertTopologyMatches(TestTopologies.windowedCount("click-counts-store-v2"),
                golden, false))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("The topology differs from golden file")
                .hasMessageContaining("- ")
                .hasMessageContaining("stores: [click-counts-store]")
                .hasMessageContaining("+ ")
                .hasMessageContaining("stores: [click-counts-store-v2]")
                .hasMessageContaining("-Dkaveri.golden.update=true")
                .satisfies(e -> assertThat(((AssertionFailedError) e).getExpected().getStringRepresentation())
                        .contains("[click-counts-store]"));
    }

    @Test
    void generatedNamesAreListedWithHowToNameThem() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .selectKey((k, v) -> v)
                .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .to("out");
        Topology unnamed = builder.build();

        assertThatThrownBy(() -> GoldenTopology.assertExplicitNames(unnamed))
                .hasMessageContaining("The topology has ")
                .hasMessageContaining("source KSTREAM-SOURCE-0000000000 (sub-topology 0): Consumed.as(...)")
                .hasMessageContaining("processor KSTREAM-KEY-SELECT-0000000001 (sub-topology 0): Named.as(...)")
                .hasMessageContaining("internal topic KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition: Grouped.as")
                .hasMessageContaining("sink KSTREAM-SINK-0000000004 (sub-topology 0): Grouped.as(...)")
                .hasMessageContaining("store KSTREAM-AGGREGATE-STATE-STORE-0000000002 of processor"
                        + " KSTREAM-AGGREGATE-0000000003: Materialized.as(...)")
                .hasMessageContaining("sink KSTREAM-SINK-0000000008 (sub-topology 1): Produced.as(...)");
        assertThat(GoldenTopology.generatedNames(TestTopologies.windowedCount("s"))).isEmpty();
    }

    @Test
    void namesAreCheckedEvenWhenTheDescriptionMatches() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source")).to("out");
        Topology topology = builder.build();
        Path golden = dir.resolve("sink.txt");
        assertThatThrownBy(() -> assertTopologyMatches(topology, golden, true))
                .hasMessageContaining("sink KSTREAM-SINK-0000000001");
        assertThat(golden).exists();
    }

    @Test
    void aMissingFileSaysHowToCreateIt() {
        Path missing = dir.resolve("nothing-here.txt");
        assertThatThrownBy(() -> assertTopologyMatches(TestTopologies.windowedCount("s"), missing, false))
                .hasMessageContaining("Golden topology " + missing.toAbsolutePath() + " does not exist")
                .hasMessageContaining("-Dkaveri.golden.update=true");
    }

    @Test
    void theUpdateFlagWritesAFileThatThenMatches() throws IOException {
        Path golden = dir.resolve("nested/app.txt");
        Topology topology = TestTopologies.latestByEventTime();

        assertTopologyMatches(topology, golden, true);
        assertThat(Files.readString(golden)).contains("latest-readings-store").endsWith("\n");
        assertTopologyMatches(topology, golden, false);
        // Line endings and trailing blanks of a checkout do not count as drift.
        Files.writeString(golden, Files.readString(golden).replace("\n", "  \r\n"));
        assertTopologyMatches(topology, golden, false);
    }
}
