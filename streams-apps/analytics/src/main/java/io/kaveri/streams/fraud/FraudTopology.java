package io.kaveri.streams.fraud;

import io.kaveri.schemas.payments.FraudAlert;
import io.kaveri.schemas.payments.Payment;
import io.kaveri.streams.runtime.AvroSerdes;
import io.kaveri.streams.runtime.Dedup;
import io.kaveri.streams.runtime.EventTime;
import io.kaveri.streams.runtime.KeyedInput;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;

/**
 * Payments to fraud alerts. Payments are validated and keyed by card (through a repartition, so any producer keying
 * works, or in place when {@link FraudConfig#PAYMENTS_KEYED_BY_CARD_CONFIG} says the topic is keyed by card already),
 * de-duplicated by payment id, then judged by three rules whose alerts merge into one topic:
 * <ul>
 *   <li>velocity: a windowed count per card (tumbling, kept with the card's profile by {@link CardRules} and
 *       {@link TumblingVelocity}, or sliding, a DSL aggregate), final once the window closes, so an alert lists
 *       every payment of the window whatever their arrival order;</li>
 *   <li>amount anomaly and impossible travel ({@link CardRules}): per-card history in a key-value store, judged
 *       as each payment arrives.</li>
 * </ul>
 * Payments beyond the velocity grace go to the late topic (route {@value #VELOCITY}) and are still judged by the
 * per-card rules, for which a late payment is as telling as any other. Unreadable payments and payments without a
 * card go to the dead-letter topic through Kafka Streams' exception handlers, and processing continues.
 */
final class FraudTopology {

    static final String BY_CARD = "fraud-payments-by-card";
    static final String DEDUP_STORE = "fraud-payment-ids";
    static final String VELOCITY = "fraud-velocity";
    static final String VELOCITY_STORE = VELOCITY + "-store";
    /** Where every tumbling window before it was emitted (the open windows are in the card profiles). */
    static final String VELOCITY_EMITTED_STORE = VELOCITY + "-emitted";
    static final String VELOCITY_ALERTED_STORE = VELOCITY + "-alerted";
    static final String CARD_RULES = "fraud-card-rules";
    static final String CARD_STORE = "fraud-card-profiles";
    private static final String MERGE = "fraud-alerts-merge";

    private FraudTopology() {
    }

    static Topology build(StreamsAppConfig config) {
        FraudConfig.Settings s = FraudConfig.Settings.of(config);
        Serde<Payment> payments = AvroSerdes.specificValue(config);
        Serde<FraudAlert> alerts = AvroSerdes.specificValue(config);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<byte[], Payment> input = builder.stream(s.paymentsTopic(), Consumed.with(Serdes.ByteArray(), payments)
                .withTimestampExtractor(EventTime.of(Payment.class, Payment::getTs)).withName("fraud-payments-source"));
        KStream<String, Payment> byCard = KeyedInput.by(input, payment -> cardOf(payment, s.paymentsTopic()),
                s.paymentsTopic(), FraudConfig.PAYMENTS_KEYED_BY_CARD_CONFIG, s.paymentsKeyedByCard(), payments,
                "fraud-payments-validate", BY_CARD);
        KStream<String, Payment> unique = byCard.processValues(
                Dedup.supplier(DEDUP_STORE, s.dedupHorizon(), Payment::getPaymentId), Named.as("fraud-payments-dedup"));

        KStream<String, FraudAlert> velocityAlerts;
        KStream<Object, Object> judged;
        if (s.windowType() == FraudConfig.WindowType.SLIDING) {
            velocityAlerts = sliding(unique, s, payments, config.lateTopic())
                    .process(VelocityAlerts.supplier(VELOCITY_ALERTED_STORE, s), Named.as(VELOCITY + "-alerts"));
            judged = unique.process(CardRules.supplier(CARD_STORE, s, MERGE, null), Named.as(CARD_RULES));
        } else {
            // One processor per payment for the card rules and the open tumbling windows, one changelog record
            // for both; closed windows and late payments leave it through named children.
            judged = unique.process(CardRules.supplier(CARD_STORE, s, MERGE, new CardRules.Velocity(
                    VELOCITY_EMITTED_STORE, VELOCITY, VELOCITY + "-late-sink", VELOCITY + "-alerts")), Named.as(CARD_RULES));
            FraudTopology.<String, Payment>as(judged).to(config.lateTopic(),
                    Produced.with(Serdes.String(), payments).withName(VELOCITY + "-late-sink"));
            velocityAlerts = FraudTopology.<Windowed<String>, VelocityWindow>as(judged)
                    .process(VelocityAlerts.supplier(VELOCITY_ALERTED_STORE, s), Named.as(VELOCITY + "-alerts"));
        }
        velocityAlerts.merge(as(judged), Named.as(MERGE))
                .to(s.alertsTopic(), Produced.with(Serdes.String(), alerts).withName("fraud-alerts-sink"));
        return builder.build();
    }

    // The card rules forward several kinds of records, each to the child named for it.
    @SuppressWarnings("unchecked")
    private static <K, V> KStream<K, V> as(KStream<?, ?> stream) {
        return (KStream<K, V>) stream;
    }

    /** Final sliding velocity windows: each window once, when it closes, with every on-time payment of the card in it. */
    private static KStream<Windowed<String>, VelocityWindow> sliding(KStream<String, Payment> unique, FraudConfig.Settings s,
                                                                    Serde<Payment> payments, String lateTopic) {
        long windowMs = s.window().toMillis();
        long graceMs = s.grace().toMillis();
        // Kafka Streams drops a record once stream time passes the end of the last window that can hold it plus
        // grace: for sliding windows the one starting right after it.
        KStream<String, Payment> onTime = LateRecords.routeLate(unique, t -> t + windowMs + graceMs + 1, lateTopic,
                Produced.with(Serdes.String(), payments), VELOCITY);
        // Retention of two windows plus grace (Kafka Streams' own default), because a new payment's window
        // is built from the windows of the payments up to one window before it, and the store expires windows by
        // the latest window start it has seen, which the window following an out-of-order payment pushes ahead;
        // with less, a payment is counted without its neighbours.
        Duration retention = s.window().multipliedBy(2).plus(s.grace());
        Materialized<String, VelocityWindow, WindowStore<Bytes, byte[]>> store = Materialized
                .<String, VelocityWindow>as(Stores.inMemoryWindowStore(VELOCITY_STORE, retention, s.window(), false))
                .withKeySerde(Serdes.String()).withValueSerde(FraudSerdes.velocityWindow());
        // The suppression buffer holds only windows not yet closed (one window plus grace of payments per card),
        // so an unbounded buffer is bounded by time; a byte bound would have to drop or stop, both worse.
        return onTime.groupByKey(Grouped.with(VELOCITY + "-by-card", Serdes.String(), payments))
                .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(s.window(), s.grace()))
                .aggregate(VelocityWindow::empty, (card, p, w) -> w.add(p.getPaymentId(), p.getTs().toEpochMilli()),
                        Named.as(VELOCITY + "-aggregate"), store)
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(VELOCITY + "-final"))
                .toStream(Named.as(VELOCITY + "-to-stream"));
    }

    /** The card of a payment; a payment without one cannot be judged and goes to the dead-letter topic. */
    static String cardOf(Payment payment, String topic) {
        if (payment.getCardId() == null || payment.getCardId().isBlank()) {
            throw new IllegalArgumentException("payment " + payment.getPaymentId() + " on topic " + topic
                    + " has no cardId; it cannot be judged");
        }
        if (payment.getPaymentId() == null || payment.getPaymentId().isBlank()) {
            throw new IllegalArgumentException("a payment of card " + payment.getCardId() + " on topic " + topic
                    + " has no paymentId; it cannot be de-duplicated or named in an alert");
        }
        return payment.getCardId();
    }

}
