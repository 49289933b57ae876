package io.kaveri.streams.runtime;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Keys an input stream by a field of its values, for the apps that aggregate per that field (symbol, card, game).
 *
 * <p>By default through a repartition topic, so that however the producers keyed the input topic, all records of
 * one field value meet in one task. When the input topic is keyed by that field already (as a webhook route with
 * {@code key.pointer} or a producer keying by it writes it, the key being the value's UTF-8 bytes and partitioned by
 * Kafka's default partitioner), the app can be told so and skips the repartition: one write, one read and one
 * serialization round trip of every record fewer. Each record's key is then checked against the field: a record
 * keyed otherwise may sit in another task than the rest of its field value's records, so it fails, naming the key
 * and the field, and goes to the dead-letter topic instead of being aggregated in the wrong place.
 */
public final class KeyedInput {

    private KeyedInput() {
    }

    /** The key of a record does not match the field its app keys by; the dead-letter topic gets the record. */
    public static final class KeyMismatchException extends RuntimeException {
        KeyMismatchException(String message) {
            super(message);
        }
    }

    /**
     * The documentation of the setting that tells an app one of its input topics is keyed by {@code field} already,
     * worded alike in every app.
     *
     * @param records what the topic holds, in the plural ("trades")
     * @param field   the value's field the records are keyed by ("symbol")
     */
    public static String settingDoc(String records, String field) {
        return "Whether every record of the " + records + " topic is keyed by its " + field + " already: the key is the "
                + field + "'s UTF-8 bytes, partitioned by Kafka's default partitioner, as a webhook route with "
                + "key.pointer=/" + field + " or a producer keying " + records + " by " + field + " writes it. Then the "
                + records + " are not re-keyed through a repartition topic (one write, one read and one serialization "
                + "round trip fewer per record); each key is checked, and a record keyed otherwise goes to the "
                + "dead-letter topic. Off: any keying works, at the cost of the repartition.";
    }

    /**
     * {@code input} keyed by {@code field} of each value. {@code field} validates the value as well (it throws for a
     * record the app cannot use), and runs in the processor named {@code checkName} either way.
     *
     * @param keyedConfig the config key that says the input is keyed by the field, named in errors
     * @param inputKeyed  whether the input topic is keyed by the field already (no repartition)
     * @param repartition name of the repartition topic when there is one
     */
    public static <V> KStream<String, V> by(KStream<byte[], V> input, Function<V, String> field, String topic,
                                            String keyedConfig, boolean inputKeyed, Serde<V> valueSerde,
                                            String checkName, String repartition) {
        if (!inputKeyed) {
            return repartitioned(input, field, valueSerde, checkName, repartition);
        }
        // The key becomes the field only once the check has shown they are the same: no record changes task.
        return input.process(() -> new Check<>(field, topic, keyedConfig), Named.as(checkName));
    }

    /**
     * As {@link #by}, for an input read with String keys (its UTF-8 bytes) that a DSL join or aggregation follows:
     * in place, the key is checked without being set ({@code processValues}), so Kafka Streams sees no key change and
     * adds no repartition topic of its own before that join, which it would after {@link #by}'s {@code process}.
     */
    public static <V> KStream<String, V> byStringKey(KStream<String, V> input, Function<V, String> field, String topic,
                                                    String keyedConfig, boolean inputKeyed, Serde<V> valueSerde,
                                                    String checkName, String repartition) {
        if (!inputKeyed) {
            return repartitioned(input, field, valueSerde, checkName, repartition);
        }
        return input.processValues(() -> new FixedKeyProcessor<String, V, V>() {
            private FixedKeyProcessorContext<String, V> context;

            @Override
            public void init(FixedKeyProcessorContext<String, V> context) {
                this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<String, V> record) {
                String expected = field.apply(record.value());
                if (!expected.equals(record.key())) {
                    throw mismatch(topic, record.key(), expected, keyedConfig);
                }
                context.forward(record);
            }
        }, Named.as(checkName));
    }

    private static <K, V> KStream<String, V> repartitioned(KStream<K, V> input, Function<V, String> field,
                                                          Serde<V> valueSerde, String checkName, String repartition) {
        return input.selectKey((key, value) -> field.apply(value), Named.as(checkName))
                .repartition(Repartitioned.with(Serdes.String(), valueSerde).withName(repartition));
    }

    private static KeyMismatchException mismatch(String topic, String key, String expected, String keyedConfig) {
        return new KeyMismatchException("topic " + topic + ": a record keyed " + (key == null ? "null" : "'" + key + "'")
                + " has '" + expected + "' as the field the app keys by; with " + keyedConfig
                + "=true every record must be keyed by it (else set " + keyedConfig + "=false to repartition)");
    }

    private static final class Check<V> implements Processor<byte[], V, String, V> {

        private final Function<V, String> field;
        private final String topic;
        private final String keyedConfig;
        private ProcessorContext<String, V> context;

        Check(Function<V, String> field, String topic, String keyedConfig) {
            this.field = field;
            this.topic = topic;
            this.keyedConfig = keyedConfig;
        }

        @Override
        public void init(ProcessorContext<String, V> context) {
            this.context = context;
        }

        @Override
        public void process(Record<byte[], V> record) {
            String expected = field.apply(record.value());
            byte[] key = record.key();
            if (key == null || !Arrays.equals(key, expected.getBytes(StandardCharsets.UTF_8))) {
                throw mismatch(topic, key == null ? null : new String(key, StandardCharsets.UTF_8), expected, keyedConfig);
            }
            context.forward(record.withKey(expected));
        }
    }
}
