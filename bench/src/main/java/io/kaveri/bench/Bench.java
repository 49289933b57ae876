package io.kaveri.bench;

import io.kaveri.stack.LocalStack;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the serde benchmark against a freshly started Apicurio Registry and prints, per record shape, Kaveri's
 * throughput and allocation as a ratio to the peer's measured in the same run; with {@code streams} first, runs
 * the streams apps' benchmark ({@link StreamsBench}) instead.
 *
 * <pre>java -jar bench/target/kaveri-bench.jar [--quick]
 * java -jar bench/target/kaveri-bench.jar streams [--quick]</pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("streams")) {
            StreamsBench.run(java.util.Arrays.asList(args));
            return;
        }
        boolean quick = java.util.Arrays.asList(args).contains("--quick");
        try (LocalStack stack = LocalStack.builder().parts(EnumSet.of(LocalStack.Part.REGISTRY))
                .workDir(Path.of("target", "bench-stack")).start()) {
            String base = stack.registryUrl().replace("/apis/ccompat/v7", "");
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(SerdeBenchmark.class.getSimpleName())
                    .addProfiler(GCProfiler.class)
                    .forks(1)
                    .threads(1)
                    .warmupIterations(quick ? 2 : 5).warmupTime(TimeValue.seconds(quick ? 1 : 2))
                    .measurementIterations(quick ? 3 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 3))
                    .jvmArgsAppend("-D" + SerdeBenchmark.REGISTRY_PROPERTY + "=" + base, "-Xmx1g");
            Collection<RunResult> results = new Runner(options.build()).run();
            printRatios(results);
        }
    }

    private static void printRatios(Collection<RunResult> results) {
        Map<String, double[]> byShape = new TreeMap<>(); // shape -> {kaveri ops, peer ops, kaveri bytes, peer bytes}
        for (RunResult r : results) {
            String serde = r.getParams().getParam("serde");
            String shape = r.getParams().getParam("size") + " " + r.getParams().getParam("kind");
            double[] row = byShape.computeIfAbsent(shape, k -> new double[4]);
            int i = serde.equals("kaveri") ? 0 : 1;
            row[i] = r.getPrimaryResult().getScore();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            row[i + 2] = alloc == null ? Double.NaN : alloc.getScore();
        }
        System.out.println();
        System.out.println("| record | Kaveri ops/s | Apicurio ops/s | throughput ratio | Kaveri B/op | Apicurio B/op | allocation ratio |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        byShape.forEach((shape, v) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | **%.2f×** | %,.0f | %,.0f | %.2f |%n",
                shape, v[0], v[1], v[0] / v[1], v[2], v[3], v[2] / v[3]));
        System.out.printf(Locale.ROOT, "%nmachine: %d cores, %s %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.version());
    }
}
