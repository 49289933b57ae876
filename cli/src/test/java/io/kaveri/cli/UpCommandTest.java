package io.kaveri.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class UpCommandTest {

    @Test
    void statusLineShowsNameStartTimeAndEndpoint() {
        String line = UpCommand.statusLine("kafka", Duration.ofMillis(2345), "bootstrap.servers=127.0.0.1:1234");
        assertThat(line).matches("\\s+kafka\\s+ready in\\s+2\\.3 s\\s+bootstrap\\.servers=127\\.0\\.0\\.1:1234");
    }

    @Test
    void aWorkDirectoryOfAnEarlierRunIsWipedAndAForeignOneIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path earlier = dir.resolve("earlier");
        UpCommand.freshWorkDir(earlier, false);
        java.nio.file.Files.createDirectories(earlier.resolve("kafka/segments"));
        java.nio.file.Files.writeString(earlier.resolve("kafka/segments/0.log"), "old");

        UpCommand.freshWorkDir(earlier, false);

        try (var left = java.nio.file.Files.list(earlier)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly(UpCommand.WORK_DIR_MARKER);
        }
        java.nio.file.Path foreign = java.nio.file.Files.createDirectories(dir.resolve("home"));
        java.nio.file.Files.writeString(foreign.resolve("thesis.tex"), "precious");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UpCommand.freshWorkDir(foreign, false))
                .hasMessageContaining("not made by kaveri up").hasMessageContaining("--work-dir");
        assertThat(foreign.resolve("thesis.tex")).exists();
    }

    @Test
    void unknownPartIsRefusedWithTheValidChoices() {
        StringWriter err = new StringWriter();
        CommandLine cli = Kaveri.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("up", "--without", "zookeeper");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--without").contains("KAFKA").contains("POSTGRES");
    }

    @Test
    void helpListsTheUpCommand() {
        StringWriter out = new StringWriter();
        CommandLine cli = Kaveri.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("up").contains("Usage: kaveri");
    }
}
