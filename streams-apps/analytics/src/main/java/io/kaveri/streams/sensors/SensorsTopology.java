package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlert;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.streams.runtime.AvroSerdes;
import io.kaveri.streams.runtime.Dedup;
import io.kaveri.streams.runtime.EventTime;
import io.kaveri.streams.runtime.StreamsAppConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Readings to rolling statistics and alerts. Readings are validated and re-keyed by device and metric (one
 * repartition), de-duplicated by (device, metric, event time), then:
 * <ul>
 *   <li>statistics ({@link StatsWindows}): per tumbling window, count, mean, min, max and standard deviation, final
 *       once the window closes by stream time; readings beyond grace go to the late topic (route {@value #STATS});</li>
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
        // Statistics and late readings leave the statistics processor through one serde, each to its own sink.
        Serde<SpecificRecord> records = AvroSerdes.specificValue(config);
        Serde<SensorAlert> alerts = AvroSerdes.specificValue(config);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SensorReading> unique = builder
                .stream(s.readingsTopic(), Consumed.with(Serdes.ByteArray(), readings)
                        .withTimestampExtractor(EventTime.of(SensorReading.class, SensorReading::getTs))
                        .withName("sensors-readings-source"))
                .selectKey((key, reading) -> Readings.validKey(reading, s.readingsTopic()), Named.as("sensors-readings-validate"))
                .repartition(Repartitioned.with(Serdes.String(), readings).withName(BY_DEVICE))
                .processValues(Dedup.supplier(DEDUP_STORE, s.dedupHorizon(), Readings::identity), Named.as("sensors-readings-dedup"));

        StatsWindows.Names names = new StatsWindows.Names(STATS, STATS + "-sink", STATS + "-late-sink", STATS_STORE);
        KStream<String, SpecificRecord> statsOutput = unique.process(StatsWindows.supplier(names, s.window(), s.grace()),
                Named.as(STATS));
        statsOutput.to(s.statsTopic(), Produced.with(Serdes.String(), records).withName(names.statsSink()));
        statsOutput.to(config.lateTopic(), Produced.with(Serdes.String(), records).withName(names.lateSink()));

        unique.process(SensorAlerting.supplier(ALERTING_STORE, s), Named.as(ALERTING))
                .to(s.alertsTopic(), Produced.with(Serdes.String(), alerts).withName(ALERTING + "-sink"));
        return builder.build();
    }
}
