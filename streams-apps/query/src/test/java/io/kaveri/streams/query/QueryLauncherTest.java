package io.kaveri.streams.query;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class QueryLauncherTest {

    private static String[] run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new QueryLauncher()).setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void unknownAppIsAUsageErrorListingTheApps() {
        String[] r = run("nosuch");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("no streams app named 'nosuch'").contains("market").contains("leaderboard");
    }

    @Test
    void badQuerySettingIsAUsageErrorNamingTheKey() {
        String[] r = run("market", "--set", "query.listener.port=-5");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("query.listener.port");
    }
}
