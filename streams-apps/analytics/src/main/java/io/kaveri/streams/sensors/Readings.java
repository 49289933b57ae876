package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorReading;

/** Keys and checks of sensor readings. */
final class Readings {

    private Readings() {
    }

    /**
     * The internal key of a device's metric. The separator is escaped inside the parts, so that device "a|b" with
     * metric "c" and device "a" with metric "b|c" never share state.
     */
    static String key(SensorReading r) {
        return escape(r.getDeviceId()) + "|" + escape(r.getMetric());
    }

    /** What makes two readings the same measurement: device, metric and event time. */
    static String identity(SensorReading r) {
        return key(r) + "@" + r.getTs().toEpochMilli();
    }

    private static String escape(String part) {
        return part.replace("\\", "\\\\").replace("|", "\\|");
    }

    /** A reading without device, metric or a finite value cannot be judged: it goes to the dead-letter topic. */
    static String validKey(SensorReading r, String topic) {
        if (r.getDeviceId() == null || r.getDeviceId().isBlank()) {
            throw new IllegalArgumentException("a reading of metric " + r.getMetric() + " on topic " + topic + " has no deviceId");
        }
        if (r.getMetric() == null || r.getMetric().isBlank()) {
            throw new IllegalArgumentException("a reading of device " + r.getDeviceId() + " on topic " + topic + " has no metric");
        }
        if (!Double.isFinite(r.getValue())) {
            throw new IllegalArgumentException("reading of device " + r.getDeviceId() + " metric " + r.getMetric()
                    + " on topic " + topic + " has value " + r.getValue() + "; only finite values can be judged");
        }
        return key(r);
    }
}
