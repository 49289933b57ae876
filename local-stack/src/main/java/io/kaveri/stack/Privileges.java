package io.kaveri.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * How PostgreSQL's programs are run when this JVM is root. PostgreSQL refuses to run as root (a server
 * bug must not hand out root), and CI containers run as root, so its programs get a non-root identity:
 * <ul>
 *   <li>{@code unshare -U} first: a new user namespace in which the process is an unprivileged user
 *       (uid 65534) while the kernel still checks files against its real owner, so it can use the data
 *       directory and binaries the JVM unpacked, and PostgreSQL sees itself as their owner. It needs no
 *       chown and no user account.</li>
 *   <li>{@code setpriv} to {@code nobody} when user namespaces are forbidden (some container runtimes):
 *       the PostgreSQL work directory is given to {@code nobody}. Unlike {@code runuser}, setpriv replaces
 *       itself with the program instead of waiting on it in a parent process, so the signal that stops
 *       the server reaches the server.</li>
 * </ul>
 */
final class Privileges {

    /** The identity of {@code nobody} on Linux. */
    static final int NOBODY = 65534;

    enum Mode {
        /** Not root: run the programs as they are. */
        AS_IS,
        UNSHARE,
        SETPRIV;

        /** The words to put before a PostgreSQL program's command line. */
        List<String> prefix() {
            return switch (this) {
                case AS_IS -> List.of();
                case UNSHARE -> List.of("unshare", "-U");
                case SETPRIV -> List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
            };
        }
    }

    private Privileges() {
    }

    /**
     * The mode for this JVM: {@link Mode#AS_IS} unless it runs as root, then the first mode under which
     * {@code probe} (a program that must run, e.g. {@code postgres --version}) succeeds.
     */
    static Mode choose(String component, List<String> probe) {
        if (!jvmIsRoot()) {
            return Mode.AS_IS;
        }
        for (Mode mode : List.of(Mode.UNSHARE, Mode.SETPRIV)) {
            List<String> command = new ArrayList<>(mode.prefix());
            command.addAll(probe);
            if (succeeds(command)) {
                return mode;
            }
        }
        throw new StackStartException(component + ": this JVM runs as root, which PostgreSQL refuses, and neither"
                + " 'unshare -U' nor 'setpriv' to nobody could run " + probe.get(0)
                + ". Run as a normal user, allow user namespaces, or put the cache directory where nobody can"
                + " read it");
    }

    static boolean jvmIsRoot() {
        try {
            OptionalLong uid = effectiveUid(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
            if (uid.isPresent()) {
                return uid.getAsLong() == 0;
            }
        } catch (IOException | RuntimeException e) {
            // No procfs (macOS): the user name is what is left.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The effective uid from the text of {@code /proc/<pid>/status}, whose line reads
     * {@code Uid:<TAB>real<TAB>effective<TAB>saved<TAB>filesystem}.
     */
    static OptionalLong effectiveUid(String procStatus) {
        for (String line : procStatus.split("\\R")) {
            if (line.startsWith("Uid:")) {
                String[] fields = line.substring("Uid:".length()).trim().split("\\s+");
                if (fields.length >= 2) {
                    try {
                        return OptionalLong.of(Long.parseLong(fields[1]));
                    } catch (NumberFormatException e) {
                        return OptionalLong.empty();
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
