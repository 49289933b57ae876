package io.kaveri.streams.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where a keyed query is answered. Pure decisions, so that each can be tested: read locally when this instance is
 * the key's active host (or when the request was already forwarded once: a second hop would only chase a moving
 * assignment in a loop), forward to the active host otherwise, and say "unavailable" when no instance owns the key
 * yet. A standby may answer only when the caller set a freshness bound and the standby is within it.
 */
final class Router {

    private Router() {
    }

    sealed interface Route {
    }

    record Local(int partition) implements Route {
    }

    record Forward(HostInfo active, List<HostInfo> standbys, int partition) implements Route {
    }

    record Unavailable(String reason) implements Route {
    }

    static Route route(KeyQueryMetadata metadata, HostInfo self, boolean forwarded) {
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.partition() < 0
                || metadata.activeHost() == null || metadata.activeHost().port() < 0) {
            return new Unavailable("no instance owns the key's partition yet (the app is starting or rebalancing)");
        }
        if (forwarded || metadata.activeHost().equals(self)) {
            return new Local(metadata.partition());
        }
        return new Forward(metadata.activeHost(), List.copyOf(metadata.standbyHosts()), metadata.partition());
    }

    /** A replica {@code staleness} ms behind may answer a caller who accepts {@code maxLag} ms. */
    static boolean freshEnough(OptionalLong maxLag, OptionalLong staleness) {
        return maxLag.isPresent() && staleness.isPresent() && staleness.getAsLong() <= maxLag.getAsLong();
    }
}
