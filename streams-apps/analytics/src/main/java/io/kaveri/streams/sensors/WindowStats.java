package io.kaveri.streams.sensors;

import io.kaveri.schemas.sensors.SensorReading;
import io.kaveri.schemas.sensors.SensorStats;
import io.kaveri.streams.runtime.BinarySerde;
import io.kaveri.streams.runtime.RunningStats;

import java.time.Instant;

/** The running statistics of one device metric in one window; min and max are meaningless until count is 1. */
record WindowStats(String deviceId, String metric, RunningStats stats, double min, double max) {

    static WindowStats empty() {
        return new WindowStats(null, null, RunningStats.EMPTY, 0, 0);
    }

    /** The store's format: binary, and reading the JSON that earlier releases wrote. */
    static BinarySerde<WindowStats> serde() {
        return BinarySerde.of(WindowStats.class, 1, (out, w) -> {
            out.writeString(w.deviceId()).writeString(w.metric());
            w.stats().writeTo(out);
            out.writeDouble(w.min()).writeDouble(w.max());
        }, (in, version) -> new WindowStats(in.readString(), in.readString(), RunningStats.readFrom(in),
                in.readDouble(), in.readDouble())).readingJson();
    }

    WindowStats {
        stats = stats == null ? RunningStats.EMPTY : stats;
    }

    WindowStats add(SensorReading r) {
        double v = r.getValue();
        boolean first = stats.count() == 0;
        return new WindowStats(r.getDeviceId(), r.getMetric(), stats.add(v), first ? v : Math.min(min, v),
                first ? v : Math.max(max, v));
    }

    SensorStats toAvro(long windowStart, long windowEnd) {
        return SensorStats.newBuilder().setDeviceId(deviceId).setMetric(metric)
                .setWindowStart(Instant.ofEpochMilli(windowStart)).setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setCount(stats.count()).setMean(stats.mean()).setMin(min).setMax(max)
                .setStddev(stats.populationStddev()).build();
    }
}
