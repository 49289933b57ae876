package io.kaveri.streams.testkit;

import static io.kaveri.streams.testkit.TestTopologies.CLICKS;
import static io.kaveri.streams.testkit.TestTopologies.READINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.junit.jupiter.api.Test;

class StoreReaderTest {

    @Test
    void readsWindowStoresByKeyAndRange() {
        try (KitDriver driver = StreamsTestKit.of(() -> TestTopologies.windowedCount("click-counts-store")).open()) {
            driver.input(CLICKS).pipe("ana", "/a", 1_000L).pipe("ana", "/b", 12_000L).pipe("bo", "/a", 13_000L)
                    .pipe("ana", "/c", 14_000L);
            StoreReader stores = driver.stores();

            assertThat(stores.<String, Long>windows("click-counts-store", "ana", Instant.EPOCH,
                    Instant.ofEpochMilli(60_000)))
                    .containsExactly(Map.entry(Instant.ofEpochMilli(0), 1L), Map.entry(Instant.ofEpochMilli(10_000), 2L));
            assertThat(stores.<String, Long>windows("click-counts-store", "ana", Instant.ofEpochMilli(5_000),
                    Instant.ofEpochMilli(60_000))).containsOnlyKeys(Instant.ofEpochMilli(10_000));
            assertThat(stores.<String, Long>allWindows("click-counts-store"))
                    .containsEntry(new Windowed<>("bo", new TimeWindow(10_000, 20_000)), 1L).hasSize(3);
        }
    }

    @Test
    void readsVersionedStoresAtAPointInTime() {
        try (KitDriver driver = StreamsTestKit.of(TestTopologies::latestByEventTime).open()) {
            driver.input(READINGS).pipe("s1", 10L, 1_000L).pipe("s1", 20L, 3_000L).pipe("s1", 15L, 2_000L);
            StoreReader stores = driver.stores();

            assertThat(stores.<String, Long>get("latest-readings-store", "s1")).isEqualTo(20L);
            assertThat(stores.<String, Long>getAsOf("latest-readings-store", "s1", Instant.ofEpochMilli(2_500)))
                    .isEqualTo(15L);
            assertThat(stores.<String, Long>get("latest-readings-store", "nobody")).isNull();
            assertThatThrownBy(() -> stores.keyValues("latest-readings-store"))
                    .hasMessageContaining("store latest-readings-store is a versioned store");
        }
    }

    @Test
    void wrongNamesAndTypesAreNamed() {
        try (KitDriver driver = StreamsTestKit.of(TestTopologies::latestByArrival).open()) {
            driver.input(READINGS).pipe("s1", 10L, 1_000L);
            StoreReader stores = driver.stores();

            assertThat(stores.<String, Long>keyValues("latest-readings-store")).containsExactly(Map.entry("s1", 10L));
            assertThat(stores.<String, Long>get("latest-readings-store", "s1")).isEqualTo(10L);
            assertThatThrownBy(() -> stores.keyValues("latest"))
                    .hasMessage("the topology has no state store named latest; it has [latest-readings-store]");
            assertThatThrownBy(() -> stores.windows("latest-readings-store", "s1", Instant.EPOCH, Instant.EPOCH))
                    .hasMessageContaining("store latest-readings-store is a ")
                    .hasMessageEndingWith(", not a WindowStore");
        }
    }
}
