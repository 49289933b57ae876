package io.kaveri.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** Resident memory of this JVM and every process it started, read from {@code /proc} where there is one. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Total RSS in bytes of this process and its descendants, or empty where {@code /proc} is not available. */
    static OptionalLong residentBytesWithChildren() {
        ProcessHandle self = ProcessHandle.current();
        long total = 0;
        for (ProcessHandle p : (Iterable<ProcessHandle>) Stream.concat(Stream.of(self), self.descendants())::iterator) {
            OptionalLong rss = residentBytes(p.pid());
            if (rss.isEmpty()) {
                if (p.equals(self)) {
                    return OptionalLong.empty();
                }
                continue; // the process ended between listing and reading
            }
            total += rss.getAsLong();
        }
        return OptionalLong.of(total);
    }

    static OptionalLong residentBytes(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(parseKiloBytes(line) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Parses a {@code /proc/<pid>/status} line like {@code VmRSS:	  123456 kB}. */
    static long parseKiloBytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }
}
