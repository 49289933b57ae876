package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.FraudRule;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.IdleEviction;
import io.kaveri.streams.runtime.StatefulProcessors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Windowed;
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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns final velocity windows into alerts. A window alerts when it holds more payments than the limit and none
 * of them was already in an alerted window: overlapping sliding windows of one burst then raise one alert, not
 * one per window, and a burst that lasts raises a new alert once it has filled a window with fresh payments.
 * (Tumbling windows never overlap, so every window over the limit alerts.) Final windows of a card reach this
 * processor in order of their start, so the outcome does not depend on arrival order.
 *
 * <p>The store keeps, per card, the time of the newest payment of the last alert; an entry older than a window
 * plus grace can no longer block any window that is still open, and the wall-clock eviction drops it.
 */
final class VelocityAlerts implements Processor<Windowed<String>, VelocityWindow, String, FraudAlert> {

    private static final Logger log = LoggerFactory.getLogger(VelocityAlerts.class);

    private final String storeName;
    private final FraudConfig.Settings settings;
    private ProcessorContext<String, FraudAlert> context;
    private KeyValueStore<String, Long> lastAlerted;

    private VelocityAlerts(String storeName, FraudConfig.Settings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    static ProcessorSupplier<Windowed<String>, VelocityWindow, String, FraudAlert> supplier(String storeName,
                                                                                           FraudConfig.Settings settings) {
        // Looked up by card only (the one scan is idle eviction).
        StoreBuilder<KeyValueStore<String, Long>> store = Stores.keyValueStoreBuilder(
                HashStores.inMemory(storeName), Serdes.String(), Serdes.Long());
        return StatefulProcessors.withStore(store, () -> new VelocityAlerts(storeName, settings));
    }

    @Override
    public void init(ProcessorContext<String, FraudAlert> context) {
        this.context = context;
        this.lastAlerted = context.getStateStore(storeName);
        Duration useless = settings.window().plus(settings.grace());
        context.schedule(settings.evictionInterval(), PunctuationType.WALL_CLOCK_TIME,
                now -> IdleEviction.evict(context, lastAlerted, useless, ts -> ts));
    }

    @Override
    public void process(Record<Windowed<String>, VelocityWindow> record) {
        VelocityWindow w = record.value();
        if (w == null || w.count() <= settings.maxPayments()) {
            return;
        }
        String card = record.key().key();
        Long last = lastAlerted.get(card);
        if (last != null && w.oldestTs() <= last) {
            return; // part of a burst already alerted
        }
        VelocityWindow.Seen fired = w.last();
        lastAlerted.put(card, fired.ts());
        List<String> related = w.newest().subList(0, w.newest().size() - 1).stream().map(VelocityWindow.Seen::paymentId).toList();
        long start = record.key().window().start();
        long end = record.key().window().end();
        String explanation = String.format(Locale.ROOT, "%d payments in %d s (%s window %s to %s), limit %d",
                w.count(), settings.window().toSeconds(), settings.windowType().name().toLowerCase(Locale.ROOT),
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), settings.maxPayments());
        FraudAlert alert = FraudAlert.newBuilder()
                .setAlertId("velocity-" + fired.paymentId())
                .setPaymentId(fired.paymentId())
                .setCardId(card)
                .setRule(FraudRule.VELOCITY)
                .setExplanation(explanation)
                .setMeasures(Map.of("count", (double) w.count(), "limit", (double) settings.maxPayments(),
                        "windowMs", (double) settings.window().toMillis(), "windowStartMs", (double) start))
                .setRelatedPaymentIds(related)
                .setPaymentTs(Instant.ofEpochMilli(fired.ts()))
                .setDetectedAt(Instant.ofEpochMilli(context.currentStreamTimeMs()))
                .build();
        log.info("fraud alert rule=VELOCITY card={} payment={} count={}", card, fired.paymentId(), w.count());
        context.forward(new Record<>(card, alert, record.timestamp()));
    }
}
