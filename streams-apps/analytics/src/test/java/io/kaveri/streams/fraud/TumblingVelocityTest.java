package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kaveri.streams.fraud.FraudFixtures.M;
import static io.kaveri.streams.fraud.FraudFixtures.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the topology tests cannot show: after a restart, the open windows are rebuilt from the restored card
 * profiles and close like any other, and a window a profile still lists after it was emitted is not emitted again.
 */
class TumblingVelocityTest {

    private static final String PROFILES = "profiles";
    private static final String EMITTED = "emitted";
    private static final String WINDOWS = "windows";

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<String, CardProfile> profiles = Stores.keyValueStoreBuilder(HashStores.inMemory(PROFILES),
            Serdes.String(), FraudSerdes.cardProfile()).withLoggingDisabled().build();
    private final KeyValueStore<String, Long> emitted = TumblingVelocity.emittedStore(EMITTED).withLoggingDisabled().build();

    @Test
    void windowsRestoredWithTheProfilesCloseAfterARestartByEndThenCardAndOnlyOnce() {
        profiles.init(context.getStateStoreContext(), profiles);
        emitted.init(context.getStateStoreContext(), emitted);
        context.addStateStore(profiles);
        context.addStateStore(emitted);
        // As restored from the changelogs before the processor starts: windows [0, 1 min) of cards a and b, the next
        // one of card a, and one of card d emitted before the restart (its profile was not written since).
        profiles.put("card-a", CardProfile.EMPTY.withWindows(windows(
                Map.of(0L, VelocityWindow.empty().add("a2", 30 * S).add("a1", 20 * S), M, VelocityWindow.empty().add("a3", 70 * S)))));
        profiles.put("card-b", CardProfile.EMPTY.withWindows(windows(Map.of(0L, VelocityWindow.empty().add("b1", 10 * S)))));
        profiles.put("card-d", CardProfile.EMPTY.withWindows(windows(Map.of(-M, VelocityWindow.empty().add("d1", -50 * S)))));
        emitted.put("emitted-before", 0L);

        Processor<String, Payment, Object, Object> rules = CardRules.supplier(PROFILES, settings(), "alerts",
                new CardRules.Velocity(EMITTED, "velocity", "late", WINDOWS)).get();
        rules.init(context);
        context.setCurrentStreamTimeMs(89 * S);
        process(rules, FraudFixtures.payment("c1", "card-c", "10", "FR", Instant.ofEpochMilli(89 * S)));
        assertThat(closed()).as("stream time before end plus grace of the first windows").isEmpty();

        context.setCurrentStreamTimeMs(90 * S);
        process(rules, FraudFixtures.payment("c2", "card-c", "10", "FR", Instant.ofEpochMilli(90 * S)));

        assertThat(closed()).extracting(r -> ((Windowed<?>) r.key()).key(), r -> ((Windowed<?>) r.key()).window().start(),
                        r -> ((Windowed<?>) r.key()).window().end(), r -> ((VelocityWindow) r.value()).count(), Record::timestamp)
                .containsExactly(tuple("card-a", 0L, M, 2L, 30 * S), tuple("card-b", 0L, M, 1L, 10 * S));
        assertThat(((VelocityWindow) closed().get(0).value()).newest()).extracting(VelocityWindow.Seen::paymentId)
                .containsExactly("a1", "a2");
        assertThat(emitted.get("emitted-before")).as("the mark moves past the closed windows").isEqualTo(M);
        assertThat(stored("card-c")).containsExactly(tuple(M, 2L));
        assertThat(stored("card-a")).as("rewritten at the card's next payment only").containsExactly(tuple(0L, 2L), tuple(M, 1L));

        process(rules, FraudFixtures.payment("a4", "card-a", "10", "FR", Instant.ofEpochMilli(91 * S)));
        assertThat(stored("card-a")).containsExactly(tuple(M, 2L));
    }

    private List<Record<?, ?>> closed() {
        List<Record<?, ?>> out = new ArrayList<>();
        context.forwarded().stream().filter(f -> f.childName().filter(WINDOWS::equals).isPresent())
                .forEach(f -> out.add(f.record()));
        return out;
    }

    private List<org.assertj.core.groups.Tuple> stored(String card) {
        List<org.assertj.core.groups.Tuple> out = new ArrayList<>();
        FraudSerdes.WindowSlices open = FraudSerdes.slices("t", profiles.get(card).windows());
        for (int i = 0; i < open.size(); i++) {
            out.add(tuple(open.starts()[i], FraudSerdes.window("t", open.bytes(), open.from()[i], open.to()[i]).count()));
        }
        return out;
    }

    private static CardProfile.EncodedWindows windows(Map<Long, VelocityWindow> byStart) {
        long[] starts = byStart.keySet().stream().sorted().mapToLong(Long::longValue).toArray();
        VelocityWindow[] windows = new VelocityWindow[starts.length];
        for (int i = 0; i < starts.length; i++) {
            windows[i] = byStart.get(starts[i]);
        }
        return FraudSerdes.windows(starts, windows, starts.length);
    }

    private static FraudConfig.Settings settings() {
        return FraudConfig.Settings.of(StreamsAppConfig.of(new FraudApp(),
                Map.of(StreamsAppConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused")));
    }

    private static void process(Processor<String, Payment, Object, Object> p, Payment payment) {
        p.process(new Record<>(payment.getCardId(), payment, payment.getTs().toEpochMilli()));
    }
}
