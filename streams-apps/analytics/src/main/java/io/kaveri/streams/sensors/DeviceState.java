package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlertKind;
import io.kaveri.streams.runtime.BinarySerde;
import io.kaveri.streams.runtime.RunningStats;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the alerting remembers of one device metric: its rolling baseline, the open fault of each rule, and when
 * it last reported (event time, for idle eviction).
 */
record DeviceState(RunningStats baseline, Map<SensorAlertKind, Fault> faults, long lastSeen) {

    /**
     * An open fault of one rule. {@code suppressed}: abnormal readings not alerted since {@code lastAlertTs};
     * {@code normalStreak}: consecutive normal readings since the last abnormal one.
     */
    record Fault(long faultStart, long lastAlertTs, long suppressed, int normalStreak) {
    }

    static DeviceState empty() {
        return new DeviceState(RunningStats.EMPTY, Map.of(), Long.MIN_VALUE);
    }

    /** The store's format: binary, and reading the JSON that earlier releases wrote. */
    static BinarySerde<DeviceState> serde() {
        return BinarySerde.of(DeviceState.class, 1, (out, state) -> {
            state.baseline().writeTo(out);
            out.writeInt(state.faults().size());
            state.faults().forEach((kind, f) -> out.writeString(kind.name()).writeLong(f.faultStart())
                    .writeLong(f.lastAlertTs()).writeLong(f.suppressed()).writeInt(f.normalStreak()));
            out.writeLong(state.lastSeen());
        }, (in, version) -> {
            RunningStats baseline = RunningStats.readFrom(in);
            int faultCount = in.readInt();
            Map<SensorAlertKind, Fault> faults = new EnumMap<>(SensorAlertKind.class);
            for (int i = 0; i < faultCount; i++) {
                faults.put(SensorAlertKind.valueOf(in.readString()),
                        new Fault(in.readLong(), in.readLong(), in.readLong(), in.readInt()));
            }
            return new DeviceState(baseline, faults, in.readLong());
        }).readingJson();
    }

    DeviceState {
        baseline = baseline == null ? RunningStats.EMPTY : baseline;
        faults = faults == null || faults.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(faults));
    }
}
