package io.kaveri.streams.runtime;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HashStoresTest {

    /** Puts "k=v", deletes "k=". */
    private static final class Writer implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore("kv");
        }

        @Override
        public void process(Record<String, String> record) {
            String[] kv = record.value().split("=", -1);
            if (kv[1].isEmpty()) {
                store.delete(kv[0]);
            } else {
                store.put(kv[0], kv[1]);
            }
        }
    }

    @Test
    void storesLooksUpAndLogsEveryChangeToTheChangelog() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(HashStores.inMemory("kv"), Serdes.String(), Serdes.String()));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).process(Writer::new, "kv");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "hash");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), p)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("x", "a=1");
            in.pipeInput("x", "b=2");
            in.pipeInput("x", "a=3");
            in.pipeInput("x", "b=");
            KeyValueStore<String, String> store = driver.getKeyValueStore("kv");
            assertThat(store.get("a")).isEqualTo("3");
            assertThat(store.get("b")).isNull();
            assertThat(store.approximateNumEntries()).isEqualTo(1);
            List<KeyValue<String, String>> all = new ArrayList<>();
            try (KeyValueIterator<String, String> it = store.all()) {
                it.forEachRemaining(all::add);
            }
            assertThat(all).containsExactly(KeyValue.pair("a", "3"));
            assertThat(driver.createOutputTopic("hash-kv-changelog", Serdes.String().deserializer(), Serdes.String().deserializer())
                    .readKeyValuesToList()).containsExactly(KeyValue.pair("a", "1"), KeyValue.pair("b", "2"),
                    KeyValue.pair("a", "3"), KeyValue.pair("b", null));
            assertThatThrownBy(() -> store.range("a", "b")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("kv");
        }
    }

    @Test
    void allIsASnapshotSortedByKeyThatTheCallerMayChangeTheStoreUnder() {
        HashStores.HashStore store = new HashStores.HashStore("s");
        for (int i = 99; i >= 0; i--) {
            store.put(Bytes.wrap(new byte[] {(byte) i}), new byte[] {1});
        }
        List<Integer> seen = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                assertThat(it.peekNextKey().get()[0]).isEqualTo((byte) seen.size());
                Bytes key = it.next().key;
                store.delete(key);
                seen.add((int) key.get()[0]);
            }
        }
        assertThat(seen).hasSize(100).isSorted();
        assertThat(store.approximateNumEntries()).isZero();
    }
}
