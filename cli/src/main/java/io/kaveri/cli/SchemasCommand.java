package io.kaveri.cli;

import io.kaveri.schemas.contract.ContractHistory;
import io.kaveri.schemas.contract.SchemaDiff;
import io.kaveri.schemas.registry.CompatibilityResult;
import io.kaveri.schemas.registry.RegisteredSchema;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import io.kaveri.schemas.registry.SchemaRegistryException;
import io.kaveri.schemas.registry.SubjectNotFoundException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code ./kaveri schemas}: a registry's subjects, a subject's history with field diffs, local contracts against it. */
@Command(name = "schemas", mixinStandardHelpOptions = true,
        description = "Looks at a Confluent-compatible schema registry: subjects, versions and field-level diffs, "
                + "and checks Kaveri's .avsc contracts against it.",
        subcommands = {SchemasCommand.ListSubjects.class, SchemasCommand.Show.class, SchemasCommand.Check.class})
final class SchemasCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the registry is and how to reach it. */
    static final class Registry {
        @Option(names = "--registry-url", paramLabel = "URL", defaultValue = "${env:KAVERI_REGISTRY_URL}",
                description = "Registry URL(s), comma separated (default: $KAVERI_REGISTRY_URL), e.g. http://localhost:8081 "
                        + "or Apicurio's http://host:8080/apis/ccompat/v7.")
        String url;

        @Option(names = "--registry-config", paramLabel = "FILE",
                description = "Client properties (basic.auth.user.info, schema.registry.ssl.*, bearer.auth.token, ...).")
        Path config;

        SchemaRegistryClient client(picocli.CommandLine cli) {
            return client(cli, Map.of());
        }

        /** @param defaults client settings from elsewhere (deploy's --command-config); --registry-config wins over them */
        SchemaRegistryClient client(picocli.CommandLine cli, Map<String, String> defaults) {
            if (url == null || url.isBlank()) {
                throw new picocli.CommandLine.ParameterException(cli,
                        "no registry: give --registry-url URL or set KAVERI_REGISTRY_URL");
            }
            Map<String, Object> configs = new HashMap<>(defaults);
            if (config != null) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(config)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new picocli.CommandLine.ParameterException(cli,
                            "cannot read --registry-config " + config + ": " + e.getMessage());
                }
                p.stringPropertyNames().forEach(k -> configs.put(k, p.getProperty(k)));
            }
            configs.put("schema.registry.url", url);
            return SchemaRegistryClients.create(configs);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists subjects with their latest version, id and compatibility.")
    static final class ListSubjects implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Registry registry;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (SchemaRegistryClient client = registry.client(spec.commandLine())) {
                out.printf("global compatibility %s%n", client.compatibility(Optional.empty()));
                for (String subject : client.subjects()) {
                    RegisteredSchema latest = client.latest(subject);
                    out.printf("%-60s v%-3d id=%-6d %s%n", subject, latest.version(), latest.id(),
                            client.compatibility(Optional.of(subject)));
                }
                return 0;
            } catch (SchemaRegistryException e) {
                spec.commandLine().getErr().println("kaveri schemas list: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows a subject's versions, each with the fields it changed; or the diff between two versions.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Registry registry;

        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @ArgGroup(exclusive = false)
        Between between;

        static final class Between {
            @Option(names = "--from", required = true, paramLabel = "VERSION")
            int from;

            @Option(names = "--to", required = true, paramLabel = "VERSION")
            int to;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (SchemaRegistryClient client = registry.client(spec.commandLine())) {
                if (between != null) {
                    diff(out, client.version(subject, between.from), client.version(subject, between.to));
                    return 0;
                }
                RegisteredSchema previous = null;
                for (int version : client.versions(subject)) {
                    RegisteredSchema current = client.version(subject, version);
                    if (previous == null) {
                        out.printf("v%d id=%d %s%n", current.version(), current.id(), current.schema().getFullName());
                    } else {
                        diff(out, previous, current);
                    }
                    previous = current;
                }
                return 0;
            } catch (SchemaRegistryException e) {
                spec.commandLine().getErr().println("kaveri schemas show " + subject + ": " + e.getMessage());
                return 1;
            }
        }

        private static void diff(PrintWriter out, RegisteredSchema from, RegisteredSchema to) {
            List<String> changes = SchemaDiff.between(from.schema(), to.schema());
            out.printf("v%d -> v%d id=%d%s%n", from.version(), to.version(), to.id(), changes.isEmpty() ? " (no field changes)" : "");
            changes.forEach(c -> out.println("  " + c));
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks the latest version of every local contract against the registry, before anything is produced:",
                "compatible, incompatible (with the registry's reasons), or new. Exits 1 when one is incompatible."})
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        Registry registry;

        @Option(names = "--contracts", paramLabel = "DIR", defaultValue = "schemas/src/main/contracts",
                description = "The contracts directory (default: ${DEFAULT-VALUE}).")
        Path contracts;

        @Option(names = "--subject", paramLabel = "RECORD=SUBJECT",
                description = "Registry subject of a contract when it is not the record's full name (RecordNameStrategy), "
                        + "e.g. io.kaveri.schemas.market.Trade=trades-value.")
        Map<String, String> subjects = new HashMap<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ContractHistory history;
            try {
                history = ContractHistory.load(contracts);
            } catch (ContractHistory.ContractException e) {
                spec.commandLine().getErr().println("kaveri schemas check: the contracts in " + contracts + " are not valid:");
                e.problems().forEach(p -> spec.commandLine().getErr().println("  " + p));
                return 1;
            }
            int incompatible = 0;
            try (SchemaRegistryClient client = registry.client(spec.commandLine())) {
                for (ContractHistory.Subject contract : history.subjects()) {
                    String subject = subjects.getOrDefault(contract.name(), contract.name());
                    ContractHistory.Version latest = contract.latest();
                    try {
                        client.latest(subject);
                        CompatibilityResult result = client.testCompatibility(subject, latest.schema(), "latest");
                        if (result.compatible()) {
                            out.printf("compatible    %-50s v%d%n", subject, latest.number());
                        } else {
                            incompatible++;
                            out.printf("INCOMPATIBLE  %-50s v%d%n", subject, latest.number());
                            result.messages().forEach(m -> out.println("    " + m));
                        }
                    } catch (SubjectNotFoundException e) {
                        out.printf("new           %-50s v%d (not in the registry yet)%n", subject, latest.number());
                    }
                }
            } catch (SchemaRegistryException e) {
                spec.commandLine().getErr().println("kaveri schemas check: " + e.getMessage());
                return 1;
            }
            return incompatible == 0 ? 0 : 1;
        }
    }
}
