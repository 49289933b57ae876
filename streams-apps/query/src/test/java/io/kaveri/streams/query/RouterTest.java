package io.kaveri.streams.query;

import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouterTest {

    private static final HostInfo A = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 2);
    private static final HostInfo C = new HostInfo("c", 3);

    @Test
    void unknownOwnerIsUnavailableNotAbsent() {
        assertThat(Router.route(KeyQueryMetadata.NOT_AVAILABLE, A, false)).isInstanceOf(Router.Unavailable.class);
        assertThat(Router.route(null, A, false)).isInstanceOf(Router.Unavailable.class);
        assertThat(Router.route(new KeyQueryMetadata(new HostInfo("unavailable", -1), Set.of(), 0), A, false))
                .isInstanceOf(Router.Unavailable.class);
    }

    @Test
    void ownerReadsLocally() {
        assertThat(Router.route(new KeyQueryMetadata(A, Set.of(B), 4), A, false)).isEqualTo(new Router.Local(4));
    }

    @Test
    void otherOwnerIsForwardedToWithItsStandbys() {
        Router.Route route = Router.route(new KeyQueryMetadata(B, Set.of(A, C), 2), A, false);
        assertThat(route).isInstanceOf(Router.Forward.class);
        Router.Forward f = (Router.Forward) route;
        assertThat(f.active()).isEqualTo(B);
        assertThat(f.partition()).isEqualTo(2);
        assertThat(f.standbys()).containsExactlyInAnyOrder(A, C);
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgain() {
        // The assignment moved while the request travelled: answering here (or 503) beats a forwarding loop.
        assertThat(Router.route(new KeyQueryMetadata(B, Set.of(), 1), A, true)).isEqualTo(new Router.Local(1));
    }

    @Test
    void standbyAnswersOnlyWithinTheCallersBound() {
        assertThat(Router.freshEnough(OptionalLong.empty(), OptionalLong.of(0))).isFalse();
        assertThat(Router.freshEnough(OptionalLong.of(1_000), OptionalLong.empty())).isFalse();
        assertThat(Router.freshEnough(OptionalLong.of(1_000), OptionalLong.of(1_000))).isTrue();
        assertThat(Router.freshEnough(OptionalLong.of(1_000), OptionalLong.of(1_001))).isFalse();
        assertThat(Router.freshEnough(OptionalLong.of(0), OptionalLong.of(0))).isTrue();
    }

    @Test
    void forwardKeepsStandbyOrderIndependentOfSelf() {
        Router.Forward f = (Router.Forward) Router.route(new KeyQueryMetadata(C, Set.of(B), 0), A, false);
        assertThat(f.standbys()).isEqualTo(List.of(B));
    }
}
