package io.kaveri.streams.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Golden topologies: the {@link TopologyDescription} of an app is checked in, and a test fails
 * when the topology drifts from it, since a renamed store or internal topic orphans its state in
 * production. Regenerate the files with {@code -Dkaveri.golden.update=true} and review the diff.
 */
public final class GoldenTopology {

    private static final Logger log = LoggerFactory.getLogger(GoldenTopology.class);

    /** The system property that rewrites golden files instead of comparing. */
    public static final String UPDATE_PROPERTY = "kaveri.golden.update";

    // Kafka Streams names what the developer did not: an upper-case operator name and a
    // ten-digit index, e.g. KSTREAM-AGGREGATE-STATE-STORE-0000000002(-repartition).
    private static final Pattern GENERATED = Pattern.compile("\\b[A-Z]+(?:-[A-Z]+)*-\\d{10}\\b");

    // A named grouping also names the filter, sink and source of its repartition topic.
    private static final String REPARTITION_HINT = "Grouped.as(...) or Repartitioned.as(...) on the grouping";

    private GoldenTopology() {
    }

    /**
     * Fails unless every processor, store and internal topic has an explicit name and the
     * description equals the golden file at {@code goldenPath} (relative to the working
     * directory, the module directory under Maven). With {@code -Dkaveri.golden.update=true}
     * it writes the file instead of comparing.
     */
    public static void assertTopologyMatches(Topology topology, String goldenPath) {
        assertTopologyMatches(topology, Path.of(goldenPath));
    }

    public static void assertTopologyMatches(Topology topology, Path golden) {
        assertTopologyMatches(topology, golden, Boolean.getBoolean(UPDATE_PROPERTY));
    }

    static void assertTopologyMatches(Topology topology, Path golden, boolean update) {
        List<String> unnamed = generatedNames(topology);
        String actual = normalize(topology.describe().toString());
        String problem = update ? write(golden, actual) : compare(golden, actual);
        if (!unnamed.isEmpty()) {
            problem = (problem == null ? "" : problem + "\n\n") + namesMessage(unnamed);
        }
        if (problem != null) {
            throw new AssertionFailedError(problem, read(golden), actual);
        }
    }

    /** Fails, listing each one and how to name it, if the topology holds a generated name. */
    public static void assertExplicitNames(Topology topology) {
        List<String> unnamed = generatedNames(topology);
        if (!unnamed.isEmpty()) {
            throw new AssertionError(namesMessage(unnamed));
        }
    }

    /** Every generated name in the topology, with where it is and how to name it. */
    static List<String> generatedNames(Topology topology) {
        List<String> found = new ArrayList<>();
        TopologyDescription description = topology.describe();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                checkNode(node, "sub-topology " + sub.id(), found);
            }
        }
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            checkNode(global.source(), "global store", found);
            checkNode(global.processor(), "global store", found);
        }
        return found;
    }

    private static void checkNode(TopologyDescription.Node node, String where, List<String> found) {
        if (node instanceof TopologyDescription.Source source) {
            boolean internal = source.topicSet() != null && source.topicSet().stream().anyMatch(GoldenTopology::internal);
            flag(found, source.name(), "source " + source.name() + " (" + where + "): "
                    + (internal ? REPARTITION_HINT : "Consumed.as(...)"));
            if (source.topicSet() != null) {
                source.topicSet().forEach(topic -> flag(found, topic, "internal topic " + topic + ": " + REPARTITION_HINT));
            }
        } else if (node instanceof TopologyDescription.Sink sink) {
            boolean internal = sink.topic() != null && internal(sink.topic());
            flag(found, sink.name(), "sink " + sink.name() + " (" + where + "): "
                    + (internal ? REPARTITION_HINT : "Produced.as(...)"));
            if (sink.topic() != null) {
                flag(found, sink.topic(), "internal topic " + sink.topic() + ": " + REPARTITION_HINT);
            }
        } else if (node instanceof TopologyDescription.Processor processor) {
            flag(found, processor.name(), "processor " + processor.name() + " (" + where + "): Named.as(...)");
            processor.stores().forEach(store -> flag(found, store, "store " + store + " of processor "
                    + processor.name() + ": Materialized.as(...) (its changelog topic takes its name)"));
        }
    }

    private static boolean internal(String topic) {
        return topic.endsWith("-repartition") && GENERATED.matcher(topic).find();
    }

    private static void flag(List<String> found, String name, String entry) {
        if (GENERATED.matcher(name).find() && !found.contains(entry)) {
            found.add(entry);
        }
    }

    private static String namesMessage(List<String> unnamed) {
        StringBuilder message = new StringBuilder("The topology has ").append(unnamed.size())
                .append(" generated name(s); a generated name changes when an operator is added before it,")
                .append(" orphaning state. Name each one:\n");
        unnamed.forEach(entry -> message.append("  ").append(entry).append('\n'));
        return message.toString().stripTrailing();
    }

    private static String compare(Path golden, String actual) {
        if (!Files.exists(golden)) {
            return "Golden topology " + golden.toAbsolutePath() + " does not exist. Run the test with -D"
                    + UPDATE_PROPERTY + "=true to write it, review it and commit it.";
        }
        String expected = read(golden);
        if (expected.equals(actual)) {
            return null;
        }
        StringBuilder message = new StringBuilder("The topology differs from golden file ")
                .append(golden).append(" (- golden, + topology):\n");
        LineDiff.diff(expected.lines().toList(), actual.lines().toList())
                .forEach(line -> message.append(line).append('\n'));
        message.append("If the change is intended, run with -D").append(UPDATE_PROPERTY)
                .append("=true and commit the new file; a renamed store or topic loses its state on upgrade.");
        return message.toString();
    }

    private static String write(Path golden, String actual) {
        try {
            if (golden.toAbsolutePath().getParent() != null) {
                Files.createDirectories(golden.toAbsolutePath().getParent());
            }
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            log.info("Wrote golden topology file={}", golden.toAbsolutePath());
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write golden topology " + golden.toAbsolutePath(), e);
        }
    }

    private static String read(Path golden) {
        try {
            return Files.exists(golden) ? normalize(Files.readString(golden, StandardCharsets.UTF_8)) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden topology " + golden.toAbsolutePath(), e);
        }
    }

    // Descriptions carry trailing blanks, and checkouts on Windows carry CRLF: neither is a change.
    private static String normalize(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().map(String::stripTrailing).forEach(line -> out.append(line).append('\n'));
        return out.toString().stripTrailing() + "\n";
    }
}
