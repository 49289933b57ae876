package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlert;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.schemas.sensors.SensorStats;
import io.kaveri.streams.runtime.AvroSerdes;
import io.kaveri.streams.runtime.Dedup;
import io.kaveri.streams.runtime.EventTime;
import io.kaveri.streams.runtime.LateRecords;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;

/**
 * Readings to rolling statistics and alerts. Readings are validated and re-keyed by device and metric (one
 * repartition), de-duplicated by (device, metric, event time), then:
 * <ul>
 *   <li>statistics: a tumbling window aggregate (count, mean, min, max, standard deviation), final once the window
 *       closes by stream time; readings beyond grace go to the late topic (route {@value #STATS});</li>
 *   <li>alerts ({@link SensorAlerting}): threshold and z-score rules with suppression, judged as readings arrive,
 *       late ones included (a late reading out of range is still worth knowing).</li>
 * </ul>
 * Unreadable readings, and readings without a device, metric or finite value, go to the dead-letter topic through
 * Kafka Streams' exception handlers, and processing continues.
 */
final class SensorsTopology {

    static final String BY_DEVICE = "sensors-readings-by-device-metric";
    static final String DEDUP_STORE = "sensors-reading-ids";
    static final String STATS = "sensors-stats";
    static final String STATS_STORE = STATS + "-store";
    static final String ALERTING = "sensors-alerting";
    static final String ALERTING_STORE = "sensors-device-states";

    private SensorsTopology() {
    }

    static Topology build(StreamsAppConfig config) {
        SensorsConfig.Settings s = SensorsConfig.Settings.of(config);
        Serde<SensorReading> readings = AvroSerdes.specificValue(config);
        Serde<SensorStats> stats = AvroSerdes.specificValue(config);
        Serde<SensorAlert> alerts = AvroSerdes.specificValue(config);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SensorReading> unique = builder
                .stream(s.readingsTopic(), Consumed.with(Serdes.ByteArray(), readings)
                        .withTimestampExtractor(EventTime.of(SensorReading.class, SensorReading::getTs))
                        .withName("sensors-readings-source"))
                .selectKey((key, reading) -> Readings.validKey(reading, s.readingsTopic()), Named.as("sensors-readings-validate"))
                .repartition(Repartitioned.with(Serdes.String(), readings).withName(BY_DEVICE))
                .processValues(Dedup.supplier(DEDUP_STORE, s.dedupHorizon(), Readings::identity), Named.as("sensors-readings-dedup"));

        LateRecords.routeLate(unique, LateRecords.tumbling(s.window(), s.grace()), config.lateTopic(),
                        Produced.with(Serdes.String(), readings), STATS)
                .groupByKey(Grouped.with(STATS + "-by-device-metric", Serdes.String(), readings))
                .windowedBy(TimeWindows.ofSizeAndGrace(s.window(), s.grace()))
                .aggregate(WindowStats::empty, (key, reading, acc) -> acc.add(reading), Named.as(STATS + "-aggregate"),
                        // Retention of window plus grace: a window takes no update after it closes, and the
                        // suppression buffer holds the final value from then on.
                        Materialized.<String, WindowStats>as(Stores.inMemoryWindowStore(STATS_STORE,
                                        s.window().plus(s.grace()), s.window(), false))
                                .withKeySerde(Serdes.String()).withValueSerde(WindowStats.serde()))
                // Unbounded, yet bounded by time: the buffer holds only windows not yet closed.
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(STATS + "-final"))
                .toStream(Named.as(STATS + "-to-stream"))
                .map((window, acc) -> KeyValue.pair(acc.deviceId(), acc.toAvro(window.window().start(), window.window().end())),
                        Named.as(STATS + "-to-avro"))
                .to(s.statsTopic(), Produced.with(Serdes.String(), stats).withName(STATS + "-sink"));

        unique.process(SensorAlerting.supplier(ALERTING_STORE, s), Named.as(ALERTING))
                .to(s.alertsTopic(), Produced.with(Serdes.String(), alerts).withName(ALERTING + "-sink"));
        return builder.build();
    }
}
