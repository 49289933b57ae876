package io.kaveri.test;

import io.kaveri.stack.LocalStack;
import io.kaveri.stack.StackDirectories;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** Starts (or grows) the one local stack of this test JVM before a {@link KaveriStack} class, and injects it. */
final class KaveriStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KaveriStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Set<LocalStack.Part> parts = requestedParts(context);
        stack(context).ensure(parts);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    private static Set<LocalStack.Part> requestedParts(ExtensionContext context) {
        KaveriStack annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KaveriStack.class)
                .orElseThrow(() -> new IllegalStateException(context.getRequiredTestClass() + " is not annotated with @KaveriStack"));
        Set<LocalStack.Part> parts = EnumSet.noneOf(LocalStack.Part.class);
        parts.addAll(Arrays.asList(annotation.value()));
        return parts;
    }

    /** The root store outlives every class of the run and closes the stack when the run ends. */
    private static LocalStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningStack.class, key -> new RunningStack(newStack()), RunningStack.class)
                .stack();
    }

    private static LocalStack newStack() {
        Path home = Path.of(System.getProperty("kaveri.home", ".")).toAbsolutePath().normalize();
        LocalStack.Builder builder = LocalStack.builder()
                .parts(EnumSet.noneOf(LocalStack.Part.class))
                .workDir(Path.of(System.getProperty("kaveri.work.dir", "target/stack")))
                .pluginPath(StackDirectories.builtPluginDirectories(home));
        String registryUrl = System.getProperty("kaveri.registry.url");
        if (registryUrl != null && !registryUrl.isBlank()) {
            builder.externalRegistryUrl(registryUrl);
        }
        String postgresBin = System.getProperty("kaveri.postgres.bin.dir");
        if (postgresBin != null && !postgresBin.isBlank()) {
            builder.installedPostgresBinDir(Path.of(postgresBin));
        }
        return builder.start();
    }

    private record RunningStack(LocalStack stack) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            stack.close();
        }
    }
}
