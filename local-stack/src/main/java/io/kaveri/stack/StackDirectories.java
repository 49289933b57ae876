package io.kaveri.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the stack keeps its data, its unpacked archives and its plugins, and the checks that they are usable. */
public final class StackDirectories {

    private StackDirectories() {
    }

    /** {@code $KAVERI_CACHE_DIR}, else the {@code kaveri.cache.dir} property, else {@code ~/.cache/kaveri}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("KAVERI_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty("kaveri.cache.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kaveri");
    }

    /** The {@code kaveri.maven.repo} property (the build sets it), else {@code maven.repo.local}, else {@code ~/.m2/repository}. */
    public static Path defaultMavenRepository() {
        for (String key : List.of("kaveri.maven.repo", "maven.repo.local")) {
            String value = System.getProperty(key);
            if (value != null && !value.isBlank()) {
                return Path.of(value);
            }
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Every built Connect plugin directory of a Kaveri checkout: {@code connectors/<module>/target/plugin}. */
    public static List<Path> builtPluginDirectories(Path kaveriHome) {
        Path connectors = kaveriHome.resolve("connectors");
        List<Path> dirs = new ArrayList<>();
        if (!Files.isDirectory(connectors)) {
            return dirs;
        }
        try (Stream<Path> modules = Files.list(connectors)) {
            for (Path module : modules.sorted().toList()) {
                Path plugin = module.resolve("target").resolve("plugin");
                if (Files.isDirectory(plugin)) {
                    dirs.add(plugin);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + connectors, e);
        }
        return dirs;
    }

    /** Creates {@code dir} if needed and proves it writable, or fails with a message naming it and the fix. */
    static void requireWritable(String what, Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StackStartException("the " + what + " " + dir + " is not writable (" + e + "); "
                    + "make it writable or choose another one (--work-dir / --cache-dir, or KAVERI_CACHE_DIR)", e);
        }
    }
}
