package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.IdleEviction;
import io.kaveri.streams.runtime.StatefulProcessors;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * The per-card rules: amount anomaly and impossible travel, judged from the card's history as each payment
 * arrives, and, with tumbling velocity windows, the card's open windows ({@link TumblingVelocity}), kept in the
 * same profile so that a payment writes one changelog record. Keyed by card; one in-memory store of
 * {@link CardProfile}s with a changelog, bounded by evicting cards idle for {@link FraudConfig#CARD_IDLE_CONFIG}
 * on a wall-clock schedule.
 *
 * <p>Outputs go to named children: alerts to {@code alertsChild}, closed windows to the velocity alerts, payments
 * too late for their window to the late sink. A late payment is still judged by the amount and travel rules,
 * for which it is as telling as any other.
 */
final class CardRules implements Processor<String, Payment, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CardRules.class);

    private final String storeName;
    private final AmountRule amount;
    private final TravelRule travel;
    private final FraudConfig.Settings settings;
    private final String alertsChild;
    private final TumblingVelocity windows;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CardProfile> profiles;
    private Sensor unlocated;

    /** Where the tumbling velocity windows go: their stores, route and children. */
    record Velocity(String emittedStore, String route, String lateSink, String windowsChild) {
    }

    private CardRules(String storeName, FraudConfig.Settings settings, CountryCentroids centroids, String alertsChild,
                      Velocity velocity) {
        this.storeName = storeName;
        this.settings = settings;
        this.alertsChild = alertsChild;
        this.windows = velocity == null ? null : new TumblingVelocity(settings.window(), settings.grace(), velocity);
        this.amount = new AmountRule(settings.zThreshold(), settings.minHistory(), settings.historyWeight());
        this.travel = new TravelRule(settings.maxSpeedKmh(), settings.minDistanceKm(), settings.travelHorizon().toMillis(), centroids);
    }

    /**
     * @param velocity null for no velocity windows here (the sliding windows are a DSL aggregate of their own)
     */
    static ProcessorSupplier<String, Payment, Object, Object> supplier(String storeName, FraudConfig.Settings settings,
                                                                     String alertsChild, Velocity velocity) {
        CountryCentroids centroids = CountryCentroids.builtIn();
        // Looked up by card only (the scans are idle eviction and the rebuild on start): a hash store, not a sorted
        // map of byte arrays.
        StoreBuilder<KeyValueStore<String, CardProfile>> store = Stores.keyValueStoreBuilder(
                HashStores.inMemory(storeName), Serdes.String(), FraudSerdes.cardProfile());
        Supplier<Processor<String, Payment, Object, Object>> processor =
                () -> new CardRules(storeName, settings, centroids, alertsChild, velocity);
        return velocity == null ? StatefulProcessors.withStore(store, processor)
                // Ordered, so that the topology description lists the stores the same way in every JVM.
                : StatefulProcessors.withStores(new LinkedHashSet<>(List.of(store, TumblingVelocity.emittedStore(
                        velocity.emittedStore()))), processor);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.profiles = context.getStateStore(storeName);
        if (windows != null) {
            windows.init(context, profiles, storeName);
        }
        this.unlocated = context.metrics().addRateTotalSensor("kaveri", storeName, "unlocated-payments",
                Sensor.RecordingLevel.INFO, "task-id", context.taskId().toString());
        context.schedule(settings.evictionInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            int evicted = IdleEviction.evict(context, profiles, settings.cardIdle(), CardProfile::lastSeen);
            if (evicted > 0) {
                log.debug("idle cards evicted store={} count={}", storeName, evicted);
            }
        });
    }

    @Override
    public void process(Record<String, Payment> record) {
        Payment payment = record.value();
        long streamTime = context.currentStreamTimeMs();
        // Read from the store every time: a cache of decoded profiles only helps cards that pay again before
        // thousands of others do, and with more active cards than it holds it missed every time (an LRU under
        // round-robin use) while costing as much as the decoding it was meant to spare.
        CardProfile profile = Optional.ofNullable(profiles.get(record.key())).orElse(CardProfile.EMPTY);

        double value = payment.getAmount().doubleValue();
        amount.judge(profile.amounts(), payment, value, streamTime).ifPresent(a -> forward(record, a));
        profile = profile.withAmounts(amount.learn(profile.amounts(), value), record.timestamp());

        Optional<CardProfile.Visit> here = travel.locate(payment);
        if (here.isPresent()) {
            travel.judge(profile.visits(), here.get(), payment, streamTime).ifPresent(a -> forward(record, a));
            profile = profile.withVisit(here.get(), settings.travelMaxPayments(), settings.travelHorizon().toMillis());
        } else {
            unlocated.record();
            log.debug("payment not located, travel rule skipped payment={} country={}", payment.getPaymentId(), payment.getCountry());
        }
        if (windows != null) {
            // After this payment's own alerts, as the windows it closes belong to earlier payments' time.
            windows.closeUpTo(streamTime);
            profile = profile.withWindows(windows.add(record, streamTime, profile.windows()));
        }
        profiles.put(record.key(), profile);
    }

    private void forward(Record<String, Payment> record, FraudAlert alert) {
        log.info("fraud alert rule={} card={} payment={}", alert.getRule(), alert.getCardId(), alert.getPaymentId());
        context.forward(record.withValue(alert), alertsChild);
    }
}
