package io.kaveri.streams.testkit;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Small topologies the kit's tests run, right and deliberately wrong. */
final class TestTopologies {

    static final Duration SIZE = Duration.ofSeconds(10);
    static final Duration GRACE = Duration.ofSeconds(5);
    static final TimeWindows WINDOWS = TimeWindows.ofSizeAndGrace(SIZE, GRACE);

    static final Topic<String, String> CLICKS = Topic.of("clicks", Serdes.String(), Serdes.String());
    static final Topic<Windowed<String>, Long> COUNTS = Topic.of("click-counts",
            WindowedSerdes.timeWindowedSerdeFrom(String.class, SIZE.toMillis()), Serdes.Long());
    static final Topic<String, Long> READINGS = Topic.of("readings", Serdes.String(), Serdes.Long());
    static final Topic<String, Long> LATEST = Topic.of("latest-readings", Serdes.String(), Serdes.Long());

    private TestTopologies() {
    }

    /** Clicks per user in tumbling windows, with Kafka Streams' windowed count. */
    static Topology windowedCount(String storeName) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(CLICKS.name(), Consumed.with(Serdes.String(), Serdes.String()).withName("clicks-source"))
                .groupByKey(Grouped.<String, String>as("clicks-by-user").withKeySerde(Serdes.String()))
                .windowedBy(WINDOWS)
                .count(Named.as("count-clicks"), Materialized.as(storeName))
                .toStream(Named.as("counts-to-stream"))
                .to(COUNTS.name(), Produced.with(COUNTS.keySerde(), COUNTS.valueSerde()).withName("counts-sink"));
        return builder.build();
    }

    /**
     * Wrong: a hand-rolled tumbling count that puts a record into the window of the newest time
     * seen so far instead of its own, as if event time were processing time. In order it agrees
     * with the real count; a record that arrives after a newer one lands in the wrong window.
     */
    static Topology arrivalWindowCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("arrival-counts"),
                Serdes.String(), Serdes.Long()));
        builder.stream(CLICKS.name(), Consumed.with(Serdes.String(), Serdes.String()).withName("clicks-source"))
                .process(ArrivalWindowCount::new, Named.as("arrival-window-count"), "arrival-counts")
                .to(COUNTS.name(), Produced.with(COUNTS.keySerde(), COUNTS.valueSerde()).withName("counts-sink"));
        return builder.build();
    }

    /** The latest reading per sensor by event time: a versioned table ignores older updates. */
    static Topology latestByEventTime() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(READINGS.name(), Consumed.with(Serdes.String(), Serdes.Long()).withName("readings-source"),
                        Materialized.<String, Long>as(Stores.persistentVersionedKeyValueStore("latest-readings-store",
                                Duration.ofMinutes(5))).withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("latest-to-stream"))
                .to(LATEST.name(), Produced.with(Serdes.String(), Serdes.Long()).withName("latest-sink"));
        return builder.build();
    }

    /** Wrong: a plain table keeps the reading that arrived last, not the newest one. */
    static Topology latestByArrival() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(READINGS.name(), Consumed.with(Serdes.String(), Serdes.Long()).withName("readings-source"),
                        Materialized.<String, Long, KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(
                                "latest-readings-store").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("latest-to-stream"))
                .to(LATEST.name(), Produced.with(Serdes.String(), Serdes.Long()).withName("latest-sink"));
        return builder.build();
    }

    private static final class ArrivalWindowCount implements Processor<String, String, Windowed<String>, Long> {

        private ProcessorContext<Windowed<String>, Long> context;
        private KeyValueStore<String, Long> counts;
        private long newest = Long.MIN_VALUE;

        @Override
        public void init(ProcessorContext<Windowed<String>, Long> context) {
            this.context = context;
            this.counts = context.getStateStore("arrival-counts");
        }

        @Override
        public void process(Record<String, String> record) {
            newest = Math.max(newest, record.timestamp());
            Window window = WINDOWS.windowsFor(newest).values().iterator().next();
            String slot = record.key() + "@" + window.start();
            Long count = counts.get(slot);
            long next = count == null ? 1 : count + 1;
            counts.put(slot, next);
            context.forward(record.withKey(new Windowed<>(record.key(), window)).withValue(next));
        }
    }
}
