package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlert;
import io.kaveri.schemas.sensors.SensorAlertKind;
import io.kaveri.schemas.sensors.SensorAlertStatus;
import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.streams.runtime.IdleEviction;
import io.kaveri.streams.runtime.HashStores;
import io.kaveri.streams.runtime.StatefulProcessors;
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

import java.util.EnumMap;
import java.util.Map;

/**
 * Threshold and z-score alerts per device metric, with suppression. Each rule of each device metric is a small
 * state machine: the first abnormal reading raises an alert (RAISED); while the fault lasts, at most one alert per
 * suppression interval (ONGOING, carrying how many abnormal readings were not alerted); after enough consecutive
 * normal readings, one CLEARED alert (with the readings suppressed since the last alert). Readings are judged in
 * arrival order, as an operator watching the device would see them.
 *
 * <p>The z-score baseline learns from every reading except those that raise or continue a z-score fault: a fault
 * must not teach the baseline that it is normal, or a long fault would clear itself. A lasting level shift then
 * alerts once per suppression interval until an operator adjusts the threshold or the device.
 */
final class SensorAlerting implements Processor<String, SensorReading, String, SensorAlert> {

    private static final Logger log = LoggerFactory.getLogger(SensorAlerting.class);

    private final String storeName;
    private final SensorsConfig.Settings settings;
    private ProcessorContext<String, SensorAlert> context;
    private KeyValueStore<String, DeviceState> states;

    private SensorAlerting(String storeName, SensorsConfig.Settings settings) {
        this.storeName = storeName;
        this.settings = settings;
    }

    static ProcessorSupplier<String, SensorReading, String, SensorAlert> supplier(String storeName, SensorsConfig.Settings settings) {
        StoreBuilder<KeyValueStore<String, DeviceState>> store = Stores.keyValueStoreBuilder(
                HashStores.inMemory(storeName), Serdes.String(), DeviceState.serde())
                // The record cache holds a device metric's state between commits: the changelog gets one write per
                // device metric and commit instead of one per reading.
                .withCachingEnabled();
        return StatefulProcessors.withStore(store, () -> new SensorAlerting(storeName, settings));
    }

    @Override
    public void init(ProcessorContext<String, SensorAlert> context) {
        this.context = context;
        this.states = context.getStateStore(storeName);
        context.schedule(settings.evictionInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
            int evicted = IdleEviction.evict(context, states, settings.deviceIdle(), DeviceState::lastSeen);
            if (evicted > 0) {
                log.debug("idle device metrics evicted store={} count={}", storeName, evicted);
            }
        });
    }

    /** What one rule says of one reading. */
    private record Verdict(boolean abnormal, Double threshold, Double zScore) {
    }

    @Override
    public void process(Record<String, SensorReading> record) {
        SensorReading r = record.value();
        long ts = record.timestamp();
        DeviceState state = states.get(record.key());
        if (state == null) {
            state = DeviceState.empty();
        }
        double value = r.getValue();
        double z = state.baseline().count() >= settings.minHistory() ? state.baseline().zScore(value, 0) : Double.NaN;
        SensorsConfig.Bounds bounds = settings.thresholds().get(r.getMetric());

        Map<SensorAlertKind, Verdict> verdicts = new EnumMap<>(SensorAlertKind.class);
        verdicts.put(SensorAlertKind.ABOVE_THRESHOLD, new Verdict(bounds != null && bounds.high() != null && value > bounds.high(),
                bounds == null ? null : bounds.high(), null));
        verdicts.put(SensorAlertKind.BELOW_THRESHOLD, new Verdict(bounds != null && bounds.low() != null && value < bounds.low(),
                bounds == null ? null : bounds.low(), null));
        Double zOrNull = Double.isNaN(z) ? null : z;
        verdicts.put(SensorAlertKind.Z_SCORE, new Verdict(zOrNull != null && Math.abs(z) > settings.zThreshold(),
                settings.zThreshold(), zOrNull));

        Map<SensorAlertKind, DeviceState.Fault> faults = new EnumMap<>(SensorAlertKind.class);
        faults.putAll(state.faults());
        for (Map.Entry<SensorAlertKind, Verdict> e : verdicts.entrySet()) {
            SensorAlertKind kind = e.getKey();
            Verdict v = e.getValue();
            DeviceState.Fault fault = faults.get(kind);
            if (v.abnormal()) {
                if (fault == null) {
                    faults.put(kind, new DeviceState.Fault(ts, ts, 0, 0));
                    emit(record, state, kind, SensorAlertStatus.RAISED, v, ts, 0);
                } else if (ts - fault.lastAlertTs() >= settings.suppression().toMillis()) {
                    faults.put(kind, new DeviceState.Fault(fault.faultStart(), ts, 0, 0));
                    emit(record, state, kind, SensorAlertStatus.ONGOING, v, fault.faultStart(), fault.suppressed());
                } else {
                    faults.put(kind, new DeviceState.Fault(fault.faultStart(), fault.lastAlertTs(), fault.suppressed() + 1, 0));
                }
            } else if (fault != null) {
                int streak = fault.normalStreak() + 1;
                if (streak >= settings.clearAfter()) {
                    faults.remove(kind);
                    emit(record, state, kind, SensorAlertStatus.CLEARED, v, fault.faultStart(), fault.suppressed());
                } else {
                    faults.put(kind, new DeviceState.Fault(fault.faultStart(), fault.lastAlertTs(), fault.suppressed(), streak));
                }
            }
        }
        boolean zFault = verdicts.get(SensorAlertKind.Z_SCORE).abnormal();
        states.put(record.key(), new DeviceState(zFault ? state.baseline() : state.baseline().add(value, settings.historyWeight()),
                faults, Math.max(state.lastSeen(), ts)));
    }

    private void emit(Record<String, SensorReading> record, DeviceState state, SensorAlertKind kind, SensorAlertStatus status,
                      Verdict verdict, long faultStart, long suppressed) {
        SensorReading r = record.value();
        long ts = record.timestamp();
        SensorAlert alert = SensorAlert.newBuilder()
                .setAlertId(Readings.key(r) + "|" + kind + "|" + status + "@" + ts)
                .setDeviceId(r.getDeviceId())
                .setMetric(r.getMetric())
                .setKind(kind)
                .setStatus(status)
                .setValue(r.getValue())
                .setThreshold(kind == SensorAlertKind.Z_SCORE ? null : verdict.threshold())
                .setZScore(verdict.zScore())
                .setMean(state.baseline().mean())
                .setStddev(state.baseline().sampleStddev())
                .setFaultStart(java.time.Instant.ofEpochMilli(faultStart))
                .setSuppressedCount(suppressed)
                .setTs(r.getTs())
                .build();
        log.info("sensor alert device={} metric={} kind={} status={} value={} suppressed={}", r.getDeviceId(), r.getMetric(),
                kind, status, r.getValue(), suppressed);
        context.forward(new Record<>(r.getDeviceId(), alert, ts));
    }
}
