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
 *   <li>velocity: a windowed count per card (tumbling, {@link TumblingVelocity}, or sliding), final once the
 *       window closes, so an alert lists every payment of the window whatever their arrival order;</li>
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
    /** The open tumbling windows; a new name, as its changelog's keys are not those of the window store. */
    static final String VELOCITY_OPEN_STORE = VELOCITY + "-open";
    static final String VELOCITY_ALERTED_STORE = VELOCITY + "-alerted";
    static final String CARD_RULES = "fraud-card-rules";
    static final String CARD_STORE = "fraud-card-profiles";

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

        KStream<String, FraudAlert> velocityAlerts = velocity(unique, s, payments, config.lateTopic())
                .process(VelocityAlerts.supplier(VELOCITY_ALERTED_STORE, s), Named.as(VELOCITY + "-alerts"));
        KStream<String, FraudAlert> cardAlerts = unique.process(CardRules.supplier(CARD_STORE, s), Named.as(CARD_RULES));

        velocityAlerts.merge(cardAlerts, Named.as("fraud-alerts-merge"))
                .to(s.alertsTopic(), Produced.with(Serdes.String(), alerts).withName("fraud-alerts-sink"));
        return builder.build();
    }

    /** Final velocity windows: each window once, when it closes, with every on-time payment of the card in it. */
    private static KStream<Windowed<String>, VelocityWindow> velocity(KStream<String, Payment> unique, FraudConfig.Settings s,
                                                                     Serde<Payment> payments, String lateTopic) {
        boolean sliding = s.windowType() == FraudConfig.WindowType.SLIDING;
        long windowMs = s.window().toMillis();
        long graceMs = s.grace().toMillis();
        // Kafka Streams drops a record once stream time passes the end of the last window that can hold it plus
        // grace: its own tumbling window, or for sliding windows the one starting right after it.
        LateRecords.WindowClose close = sliding ? t -> t + windowMs + graceMs + 1 : LateRecords.tumbling(s.window(), s.grace());
        KStream<String, Payment> onTime = LateRecords.routeLate(unique, close, lateTopic,
                Produced.with(Serdes.String(), payments), VELOCITY);
        Named aggregate = Named.as(VELOCITY + "-aggregate");
        if (!sliding) {
            // One store write per payment and no suppression buffer: the processor keeps only open windows.
            return onTime.process(TumblingVelocity.supplier(VELOCITY_OPEN_STORE, s.window(), s.grace()), aggregate);
        }
        // Sliding: retention of two windows plus grace (Kafka Streams' own default), because a new payment's window
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
                .aggregate(VelocityWindow::empty, (card, p, w) -> w.add(p.getPaymentId(), p.getTs().toEpochMilli()), aggregate, store)
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
