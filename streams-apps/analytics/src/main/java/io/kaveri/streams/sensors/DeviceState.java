package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorAlertKind;
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

    DeviceState {
        baseline = baseline == null ? RunningStats.EMPTY : baseline;
        faults = faults == null || faults.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(faults));
    }
}
