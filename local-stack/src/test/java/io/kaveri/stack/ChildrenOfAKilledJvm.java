package io.kaveri.stack;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Started as a separate JVM by {@link NoOrphanIT}: starts the registry and PostgreSQL, prints their pids and
 * ports, and waits to be killed without ever closing them itself.
 */
final class ChildrenOfAKilledJvm {

    private ChildrenOfAKilledJvm() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path work = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        ApicurioRegistry registry = ApicurioRegistry.start(new ApicurioRegistry.Options(work, cache,
                StackDirectories.defaultMavenRepository()));
        PostgresServer postgres = PostgresServer.start(new PostgresServer.Options(work, cache, Optional.empty()));
        System.out.println("started " + registry.pid() + " " + registry.port() + " " + postgres.pid() + " "
                + postgres.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
