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
