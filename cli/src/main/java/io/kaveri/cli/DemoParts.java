package io.kaveri.cli;

import java.util.List;

/** What {@code ./kaveri up} deploys after the stack is up, in order. */
final class DemoParts {

    private DemoParts() {
    }

    static List<DemoPart> all() {
        return List.of(new StreamsAppsDemo(), new SampleTraffic());
    }
}
