package io.kaveri.cli;

import java.util.List;

/** What {@code ./kaveri up} deploys after the stack is up, in order. */
final class DemoParts {

    private DemoParts() {
    }

    static List<DemoPart> all() {
        // The apps first: they create the topics the connectors then write to, with the partitions they need.
        return List.of(new StreamsAppsDemo(), new SampleTraffic(), new WebhookDemo(), new PostgresCdcDemo());
    }
}
