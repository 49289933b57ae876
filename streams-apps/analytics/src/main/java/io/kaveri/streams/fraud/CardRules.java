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

import java.time.Duration;
import java.util.Optional;

/**
 * The per-card rules that need a card's history rather than a window: amount anomaly and impossible travel.
 * Keyed by card; one in-memory store of {@link CardProfile}s with a changelog, bounded by evicting cards idle for
 * {@link FraudConfig#CARD_IDLE_CONFIG} on a wall-clock schedule.
 */
final class CardRules implements Processor<String, Payment, String, FraudAlert> {

    private static final Logger log = LoggerFactory.getLogger(CardRules.class);

    private final String storeName;
    private final AmountRule amount;
    private final TravelRule travel;
    private final FraudConfig.Settings settings;
    private ProcessorContext<String, FraudAlert> context;
    private KeyValueStore<String, CardProfile> profiles;
    private Sensor unlocated;

    private CardRules(String storeName, FraudConfig.Settings settings, CountryCentroids centroids) {
        this.storeName = storeName;
        this.settings = settings;
        this.amount = new AmountRule(settings.zThreshold(), settings.minHistory(), settings.historyWeight());
        this.travel = new TravelRule(settings.maxSpeedKmh(), settings.minDistanceKm(), settings.travelHorizon().toMillis(), centroids);
    }

    static ProcessorSupplier<String, Payment, String, FraudAlert> supplier(String storeName, FraudConfig.Settings settings) {
        CountryCentroids centroids = CountryCentroids.builtIn();
        // Looked up by card only (the one scan is idle eviction): a hash store, not a sorted map of byte arrays.
        StoreBuilder<KeyValueStore<String, CardProfile>> store = Stores.keyValueStoreBuilder(
                HashStores.inMemory(storeName), Serdes.String(), FraudSerdes.cardProfile());
        return StatefulProcessors.withStore(store, () -> new CardRules(storeName, settings, centroids));
    }

    @Override
    public void init(ProcessorContext<String, FraudAlert> context) {
        this.context = context;
        this.profiles = context.getStateStore(storeName);
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
        profiles.put(record.key(), profile);
    }

    private void forward(Record<String, Payment> record, FraudAlert alert) {
        log.info("fraud alert rule={} card={} payment={}", alert.getRule(), alert.getCardId(), alert.getPaymentId());
        context.forward(record.withValue(alert));
    }
}
