package io.kaveri.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./kaveri}. */
@Command(name = "kaveri",
        mixinStandardHelpOptions = true,
        versionProvider = KaveriVersion.class,
        description = "Kaveri: webhook and PostgreSQL CDC sources, Kafka Streams analytics and Avro schemas for Apache Kafka.",
        subcommands = {UpCommand.class, SchemasCommand.class, CommandLine.HelpCommand.class})
public final class Kaveri implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Kaveri())
                .addSubcommand("streams", new CommandLine(new io.kaveri.streams.runtime.Launcher()))
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
