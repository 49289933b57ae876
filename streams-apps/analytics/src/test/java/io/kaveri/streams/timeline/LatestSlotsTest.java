package io.kaveri.streams.timeline;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The slots of one follower keep exactly the newest entries, whatever order and repeats they come in. */
class LatestSlotsTest {

    private record Entry(long time, String id) {
    }

    private static final Comparator<Entry> NEWEST_FIRST = Comparator.comparingLong(Entry::time).reversed()
            .thenComparing(Entry::id);

    @Test
    void slotsHoldTheNewestDistinctEntriesOfAnyShuffledSequenceWithRepeats() {
        Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            int size = 1 + random.nextInt(8);
            LatestEntries.Slots slots = new LatestEntries.Slots(size);
            Map<Integer, Entry> rows = new HashMap<>();
            TreeSet<Entry> all = new TreeSet<>(NEWEST_FIRST);
            int writes = 0;
            for (int i = 0; i < 40; i++) {
                Entry e = new Entry(random.nextInt(10), "t" + random.nextInt(6)); // same times and ids recur
                all.add(e);
                int slot = slots.slotFor(e.time(), e.id());
                if (slot >= 0) {
                    assertThat(slot).isBetween(0, size - 1);
                    assertThat(rows.containsValue(e)).as("a kept entry is not written again").isFalse();
                    slots.set(slot, e.time(), e.id());
                    rows.put(slot, e);
                    writes++;
                }
            }
            TreeSet<Entry> kept = new TreeSet<>(NEWEST_FIRST);
            kept.addAll(rows.values());
            assertThat(kept).as("run %d, size %d", run, size)
                    .containsExactlyElementsOf(all.stream().limit(size).toList());
            assertThat(writes).isLessThanOrEqualTo(40);
        }
    }

    @Test
    void slotsLoadedInAnyOrderWithGapsFillTheLowestFreeSlotFirst() {
        LatestEntries.Slots slots = new LatestEntries.Slots(4);
        slots.set(3, 5, "c");
        slots.set(0, 9, "a");
        assertThat(slots.slotFor(9, "a")).as("kept").isEqualTo(-1);
        assertThat(slots.slotFor(1, "old")).as("free slots take anything").isEqualTo(1);
        slots.set(1, 1, "old");
        assertThat(slots.slotFor(2, "x")).isEqualTo(2);
        slots.set(2, 2, "x");
        assertThat(slots.slotFor(0, "older")).as("full, older than all").isEqualTo(-1);
        assertThat(slots.slotFor(7, "b")).as("full: the oldest entry's slot").isEqualTo(1);
        slots.set(1, 7, "b");
        assertThat(slots.slotFor(3, "y")).as("now x in slot 2 is the oldest").isEqualTo(2);
        assertThat(slots.slotFor(2, "w")).as("same time as the oldest, smaller id: newer").isEqualTo(2);
        assertThat(slots.slotFor(2, "z")).as("same time as the oldest, greater id: older").isEqualTo(-1);
    }
}
