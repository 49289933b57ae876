package io.kaveri.streams.testkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a topology against its batch definition: a plain Java function from the whole input to
 * the final result per key. The same input runs through a fresh driver in event-time order and in
 * every arrival order the variants produce; the final output per key (last value, tombstones
 * removing) must equal the function's result. On a mismatch the input is shrunk to a smallest
 * failing arrival order, which the error prints with a per-key diff.
 *
 * <p>Each run has a driver of its own; while a test of the kit runs, they share its
 * {@code mock://} registry, so topics may use serdes from {@link StreamsTestKit#serdes()}.
 *
 * <p>The batch function receives the records in arrival order, so that it can drop what the
 * topology rightly drops as late (see {@link Windowing#accepted}); a definition that ignores
 * order states that order must not matter.
 */
public final class BatchOracle<K, V, KO, VO> {

    private static final Logger log = LoggerFactory.getLogger(BatchOracle.class);

    private final StreamsTestKit kit;
    private final Topic<K, V> input;
    private final Topic<KO, VO> output;
    private final Function<List<TimedRecord<K, V>>, Map<KO, VO>> batch;
    private final BiConsumer<KitDriver, Instant> afterInput;
    private final Predicate<? super KO> ignoredOutputKeys;
    private final List<InputVariant> variants;
    private final int seeds;
    private final int maxShrinkRuns;

    private BatchOracle(StreamsTestKit kit, Topic<K, V> input, Topic<KO, VO> output,
                        Function<List<TimedRecord<K, V>>, Map<KO, VO>> batch, BiConsumer<KitDriver, Instant> afterInput,
                        Predicate<? super KO> ignoredOutputKeys, List<InputVariant> variants, int seeds,
                        int maxShrinkRuns) {
        this.kit = kit;
        this.input = input;
        this.output = output;
        this.batch = batch;
        this.afterInput = afterInput;
        this.ignoredOutputKeys = ignoredOutputKeys;
        this.variants = List.copyOf(variants);
        this.seeds = seeds;
        this.maxShrinkRuns = maxShrinkRuns;
    }

    /**
     * An oracle that pipes into {@code input}, reads {@code output} and compares with
     * {@code batch}. By default it tries event-time order only; add {@link #variants}.
     */
    public static <K, V, KO, VO> BatchOracle<K, V, KO, VO> of(
            StreamsTestKit kit, Topic<K, V> input, Topic<KO, VO> output,
            Function<List<TimedRecord<K, V>>, Map<KO, VO>> batch) {
        return new BatchOracle<>(Objects.requireNonNull(kit, "kit"), Objects.requireNonNull(input, "input"),
                Objects.requireNonNull(output, "output"), Objects.requireNonNull(batch, "batch"),
                (driver, last) -> { }, key -> false, List.of(Variants.inOrder()), 20, 500);
    }

    /** Arrival orders to try besides event-time order, each with {@link #seeds} seeds. */
    public BatchOracle<K, V, KO, VO> variants(InputVariant... more) {
        List<InputVariant> all = new ArrayList<>();
        all.add(Variants.inOrder());
        all.addAll(List.of(more));
        return new BatchOracle<>(kit, input, output, batch, afterInput, ignoredOutputKeys, all, seeds, maxShrinkRuns);
    }

    public BatchOracle<K, V, KO, VO> seeds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("seeds must be at least 1: " + count);
        }
        return new BatchOracle<>(kit, input, output, batch, afterInput, ignoredOutputKeys, variants, count,
                maxShrinkRuns);
    }

    /** How many extra topology runs shrinking may spend on one counter-example. */
    public BatchOracle<K, V, KO, VO> maxShrinkRuns(int runs) {
        return new BatchOracle<>(kit, input, output, batch, afterInput, ignoredOutputKeys, variants, seeds, runs);
    }

    /**
     * What to do once the input is piped, given the largest event time of the input: typically
     * closing the windows, e.g. {@code (driver, last) -> driver.closeWindowsUpTo(last.plus(size), grace)}
     * after declaring a tick record.
     */
    public BatchOracle<K, V, KO, VO> afterInput(BiConsumer<KitDriver, Instant> finish) {
        return new BatchOracle<>(kit, input, output, batch, Objects.requireNonNull(finish, "finish"),
                ignoredOutputKeys, variants, seeds, maxShrinkRuns);
    }

    /** Output keys that are not part of the result, such as those of tick records. */
    public BatchOracle<K, V, KO, VO> ignoringOutputKeys(Predicate<? super KO> ignored) {
        return new BatchOracle<>(kit, input, output, batch, afterInput, Objects.requireNonNull(ignored, "ignored"),
                variants, seeds, maxShrinkRuns);
    }

    /**
     * Runs {@code records} in event-time order and in every variant for every seed; throws an
     * {@link AssertionError} with the smallest failing arrival order found.
     */
    public void check(List<TimedRecord<K, V>> records) {
        Map<KO, VO> inOrder = batch.apply(Variants.byEventTime(records));
        if (inOrder == null || inOrder.isEmpty()) {
            throw new IllegalArgumentException("the batch definition gives no result for these " + records.size()
                    + " records, so agreeing with it proves nothing: give an input that produces output");
        }
        for (InputVariant variant : variants) {
            int tries = variant == Variants.inOrder() ? 1 : seeds;
            for (long seed = 0; seed < tries; seed++) {
                List<TimedRecord<K, V>> arrivals = variant.apply(records, seed);
                Optional<Mismatch> mismatch = compare(arrivals);
                if (mismatch.isPresent()) {
                    throw failure(variant.name() + ", seed " + seed, arrivals, mismatch.get());
                }
            }
        }
        log.debug("Batch oracle agreed input={} variants={} seeds={}", records.size(), variants, seeds);
    }

    /** Checks one arrival order as given, shrinking it on failure. */
    public void assertMatches(List<TimedRecord<K, V>> arrivals) {
        compare(arrivals).ifPresent(mismatch -> {
            throw failure("the given arrival order", arrivals, mismatch);
        });
    }

    /** The difference between topology and batch definition for one arrival order, if any. */
    public Optional<Mismatch> compare(List<TimedRecord<K, V>> arrivals) {
        Map<KO, VO> expected = batch.apply(List.copyOf(arrivals));
        Map<KO, VO> actual;
        try {
            actual = runTopology(arrivals);
        } catch (RuntimeException e) {
            return Optional.of(new Mismatch(List.of("the topology threw " + e), e));
        }
        List<String> lines = diff(expected == null ? Map.of() : expected, actual);
        return lines.isEmpty() ? Optional.empty() : Optional.of(new Mismatch(lines, null));
    }

    private Map<KO, VO> runTopology(List<TimedRecord<K, V>> arrivals) {
        try (KitDriver driver = kit.openForRun()) {
            driver.input(input).pipeAll(arrivals);
            long last = arrivals.stream().mapToLong(TimedRecord::timestamp).max().orElse(0L);
            afterInput.accept(driver, Instant.ofEpochMilli(last));
            return driver.output(output).withoutKeys(ignoredOutputKeys).readFinal();
        }
    }

    private AssertionError failure(String origin, List<TimedRecord<K, V>> arrivals, Mismatch found) {
        Shrinker<TimedRecord<K, V>> shrinker = new Shrinker<>(candidate -> compare(candidate).isPresent(),
                maxShrinkRuns);
        List<TimedRecord<K, V>> smallest = shrinker.shrink(arrivals);
        Mismatch mismatch = smallest.equals(arrivals) ? found : compare(smallest).orElse(found);
        StringBuilder message = new StringBuilder()
                .append("The topology disagrees with the batch definition (input ").append(input.name())
                .append(", output ").append(output.name()).append(", arrival order from ").append(origin)
                .append(").\nSmallest failing input: ").append(smallest.size()).append(" of ")
                .append(arrivals.size()).append(" records, in arrival order (key=value @event time ms)")
                .append(shrinker.exhausted() ? ", shrinking stopped after " + shrinker.runs() + " runs" : "")
                .append(":\n");
        smallest.forEach(record -> message.append("  ").append(record).append('\n'));
        message.append("Per-key difference (expected = batch definition, actual = topology):\n");
        mismatch.lines().forEach(line -> message.append("  ").append(line).append('\n'));
        message.append("Replay it with oracle.assertMatches(List.of(...)) on the records above.");
        log.info("Batch oracle found a counter-example origin=\"{}\" records={} shrunkTo={} shrinkRuns={}",
                origin, arrivals.size(), smallest.size(), shrinker.runs());
        return new AssertionError(message.toString(), mismatch.cause());
    }

    private static <KO, VO> List<String> diff(Map<KO, VO> expected, Map<KO, VO> actual) {
        Set<KO> keys = new LinkedHashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> lines = new ArrayList<>();
        for (KO key : keys) {
            boolean inExpected = expected.containsKey(key);
            boolean inActual = actual.containsKey(key);
            if (!inActual) {
                lines.add(key + ": expected " + show(expected.get(key)) + ", topology has no value");
            } else if (!inExpected) {
                lines.add(key + ": not expected, topology has " + show(actual.get(key)));
            } else if (!Objects.deepEquals(expected.get(key), actual.get(key))) {
                lines.add(key + ": expected " + show(expected.get(key)) + ", topology has " + show(actual.get(key)));
            }
        }
        return lines;
    }

    private static String show(Object value) {
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
    }

    /** How a topology run differed from the batch definition: one line per key, or the exception. */
    public record Mismatch(List<String> lines, Throwable cause) {
    }
}
