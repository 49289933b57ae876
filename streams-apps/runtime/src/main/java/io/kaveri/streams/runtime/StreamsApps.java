package io.kaveri.streams.runtime;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The streams apps on the classpath, found through {@link ServiceLoader}. */
public final class StreamsApps {

    private StreamsApps() {
    }

    public static List<StreamsApp> all() {
        return ServiceLoader.load(StreamsApp.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(StreamsApp::name)).toList();
    }

    public static Optional<StreamsApp> named(String name) {
        return all().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** For messages: "candles, fraud, timeline". */
    static String names() {
        return all().stream().map(StreamsApp::name).collect(Collectors.joining(", "));
    }
}
