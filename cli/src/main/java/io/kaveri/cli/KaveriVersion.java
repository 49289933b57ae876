package io.kaveri.cli;

import picocli.CommandLine;

final class KaveriVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Kaveri.class.getPackage().getImplementationVersion();
        return new String[] {
            "kaveri " + (version == null ? "development build" : version),
            "java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"
        };
    }
}
