package io.kaveri.cli;

import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.test.KaveriStack;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./kaveri schemas} against the real Apicurio Registry of the local stack. */
@KaveriStack(Part.REGISTRY)
class SchemasCommandIT {

    private static final Path CONTRACTS = Path.of(System.getProperty("kaveri.home")).resolve("schemas/src/main/contracts");

    @Test
    void checkReportsCompatibleNewAndIncompatibleContractsAndShowDiffsVersions(LocalStack stack) throws Exception {
        String trade = "io.kaveri.schemas.market.Trade";
        String score = "io.kaveri.schemas.games.Score";
        try (SchemaRegistryClient client = SchemaRegistryClients.create(Map.of("schema.registry.url", stack.registryUrl()))) {
            client.register(trade, parse(CONTRACTS.resolve(trade).resolve("v1.avsc")), false);
            // A registry version of Score that lacks fields the local contract requires: the local one cannot read its data.
            client.register(score, new Schema.Parser().parse("""
                    {"type":"record","name":"Score","namespace":"io.kaveri.schemas.games","fields":[{"name":"gameId","type":"string"}]}"""), false);
            client.register(trade, parse(CONTRACTS.resolve(trade).resolve("v2.avsc")), false);
        }

        Run check = run("schemas", "check", "--registry-url", stack.registryUrl(), "--contracts", CONTRACTS.toString());
        assertThat(check.exit).as(check.out).isEqualTo(1);
        assertThat(check.out).containsPattern("compatible +" + trade.replace(".", "\\.") + " +v2")
                .containsPattern("INCOMPATIBLE +" + score.replace(".", "\\.") + " +v1")
                .containsPattern("new +io\\.kaveri\\.schemas\\.market\\.Candle");

        Run show = run("schemas", "show", trade, "--registry-url", stack.registryUrl());
        assertThat(show.exit).as(show.err).isZero();
        assertThat(show.out).contains("v1 id=").contains("v1 -> v2").contains("+ venue:");

        Run list = run("schemas", "list", "--registry-url", stack.registryUrl());
        assertThat(list.out).contains("global compatibility BACKWARD").contains(trade).contains(score);

        Run unknown = run("schemas", "show", "no-such-subject", "--registry-url", stack.registryUrl());
        assertThat(unknown.exit).isEqualTo(1);
        assertThat(unknown.err).contains("no-such-subject");
    }

    @Test
    void withoutARegistryTheCommandSaysHowToGiveOne() {
        Run run = run("schemas", "list");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--registry-url").contains("KAVERI_REGISTRY_URL");
    }

    private static Schema parse(Path file) throws Exception {
        return new Schema.Parser().parse(Files.readString(file));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Kaveri.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
