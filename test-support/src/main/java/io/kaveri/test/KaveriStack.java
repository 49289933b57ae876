package io.kaveri.test;

import io.kaveri.stack.LocalStack;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives an integration test the running local stack: annotate the class, take a {@link LocalStack} parameter.
 * The stack starts once per test JVM and grows when a later class asks for a part it lacks; it stops when the
 * test run ends.
 *
 * <pre>{@code
 * @KaveriStack({Part.KAFKA, Part.REGISTRY})
 * class OrdersIT {
 *     @Test void roundTrip(LocalStack stack) { ... stack.bootstrapServers() ... stack.registryUrl() ... }
 * }
 * }</pre>
 *
 * <p>System properties (the build sets them): {@code kaveri.work.dir}, {@code kaveri.cache.dir},
 * {@code kaveri.maven.repo}, {@code kaveri.home} (whose {@code connectors/*}{@code /target/plugin} folders are
 * the worker's {@code plugin.path}); {@code kaveri.registry.url} uses an external registry,
 * {@code kaveri.postgres.bin.dir} installed PostgreSQL binaries.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(KaveriStackExtension.class)
public @interface KaveriStack {

    /** The parts this class needs; what they need comes with them (CONNECT brings KAFKA). */
    LocalStack.Part[] value() default {LocalStack.Part.KAFKA, LocalStack.Part.CONNECT, LocalStack.Part.REGISTRY,
        LocalStack.Part.POSTGRES};
}
