package io.kaveri.streams.testkit.example;

import static io.kaveri.streams.testkit.GoldenTopology.assertTopologyMatches;
import static io.kaveri.streams.testkit.KitAssertions.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kaveri.streams.testkit.BatchOracle;
import io.kaveri.streams.testkit.KitDriver;
import io.kaveri.streams.testkit.StreamsTestKit;
import io.kaveri.streams.testkit.TestInput;
import io.kaveri.streams.testkit.TimedRecord;
import io.kaveri.streams.testkit.Topic;
import io.kaveri.streams.testkit.Variants;
import io.kaveri.streams.testkit.Windowing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.kstream.Windowed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How a team tests its own topology with the kit: one feature a test. */
class OrderTotalsTest {

    private static final Instant NINE = Instant.parse("2026-05-04T09:00:00Z");

    @RegisterExtension
    final StreamsTestKit kit = StreamsTestKit.of(context -> OrderTotals.build(context.properties()));

    private TestInput<String, Order> orders() {
        return kit.input(OrderTotals.ORDERS, Serdes.String(), kit.serdes().specificValue(Order.class));
    }

    // The common case, as docs/testing.md shows it.
    @Test void sumsSpendPerCustomer() {
        kit.input("orders", Serdes.String(), kit.serdes().specificValue(Order.class))
                .pipe("o1", new Order("o1", "ana", 500L), 1_000L).pipe("o2", new Order("o2", "ana", 700L), 2_000L);
        assertEquals(Map.of("ana", 1200L), kit.output("customer-totals", Serdes.String(), Serdes.Long()).readFinal());
    }

    @Test
    void hourlySpendAppearsOnceTheHourAndItsGraceHavePassed() {
        orders().tickWith("tick", new Order("tick", "tick", 0L))
                .pipe("o1", new Order("o1", "ana", 500L), NINE.plusSeconds(60))
                .pipe("o2", new Order("o2", "bo", 300L), NINE.plusSeconds(3_000));
        var hourly = kit.output(OrderTotals.HOURLY_SPEND, OrderTotals.HOUR_KEYS, Serdes.Long())
                .withoutKeys(key -> key.key().equals("tick"));

        kit.closeWindowsUpTo(NINE.plus(OrderTotals.HOUR), OrderTotals.GRACE);

        assertThat(hourly.readAll()).extracting(r -> r.key().key() + "=" + r.value())
                .containsExactlyInAnyOrder("ana=500", "bo=300");
    }

    @Test
    void hourlySpendHoldsWhateverOrderOrdersArriveIn() {
        Topic<String, Order> input = Topic.of(OrderTotals.ORDERS, Serdes.String(), kit.serdes().specificValue(Order.class));
        Topic<Windowed<String>, Long> output = Topic.of(OrderTotals.HOURLY_SPEND, OrderTotals.HOUR_KEYS, Serdes.Long());
        Order tick = new Order("tick", "tick", 0L);

        BatchOracle.of(kit, input, output, OrderTotalsTest::spendPerHour)
                .afterInput((driver, last) -> driver.input(input).tickWith("tick", tick)
                        .advanceStreamTimeTo(last.plus(OrderTotals.HOUR).plus(OrderTotals.GRACE)))
                .ignoringOutputKeys(key -> key.key().equals("tick"))
                .variants(Variants.shuffledWithinGrace(OrderTotals.GRACE), Variants.interleavedAcrossKeys(),
                        Variants.lateBeyond(OrderTotals.HOUR.plus(OrderTotals.GRACE), 0.2))
                .seeds(5)
                .check(randomOrders(40));
    }

    /** The batch definition: per customer and hour, the sum of the orders that hour accepts. */
    private static Map<Windowed<String>, Long> spendPerHour(List<TimedRecord<String, Order>> arrivals) {
        List<TimedRecord<String, Long>> byCustomer = arrivals.stream()
                .map(r -> TimedRecord.of(r.value().getCustomer(), r.value().getAmountCents(), r.timestamp())).toList();
        return Windowing.accepted(byCustomer, OrderTotals.HOURS).entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().stream().mapToLong(Long::longValue).sum()));
    }

    @Test
    void storesHoldTheRunningSums() {
        orders().pipe("o1", new Order("o1", "ana", 500L), NINE).pipe("o2", new Order("o2", "ana", 250L), NINE);

        assertThat(kit.stores().<String, Long>get("customer-totals-store", "ana")).isEqualTo(750L);
        assertThat(kit.stores().<String, Long>windows("hourly-spend-store", "ana", NINE, NINE))
                .isEqualTo(Map.of(NINE, 750L));
    }

    @Test
    void theTopologyKeepsItsNames() {
        assertTopologyMatches(kit.driver().topology(), "src/test/resources/golden/order-totals.txt");
    }

    @Test
    void ordersThatAreNotAvroGoToTheDeadLetterTopic() {
        byte[] garbage = "{\"id\":\"o1\"}".getBytes();
        try (KitDriver driver = StreamsTestKit.of(context -> OrderTotals.build(context.properties()))
                .withConfig(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "orders-dlq")
                .withConfig(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        LogAndContinueExceptionHandler.class)
                .open()) {
            driver.input(OrderTotals.ORDERS, Serdes.String(), Serdes.ByteArray()).pipe("o1", garbage, NINE);

            assertDeadLetter(driver.rawOutput("orders-dlq").readOne())
                    .hasCause(SerializationException.class).cameFrom(OrderTotals.ORDERS).hasOriginalValue(garbage);
            assertThat(driver.output(OrderTotals.CUSTOMER_TOTALS, Serdes.String(), Serdes.Long()).isEmpty()).isTrue();
        }
    }

    private static List<TimedRecord<String, Order>> randomOrders(int count) {
        Random random = new Random(2026);
        List<TimedRecord<String, Order>> out = new ArrayList<>();
        String[] customers = {"ana", "bo", "cy"};
        for (int i = 0; i < count; i++) {
            String id = "o" + i;
            Order order = new Order(id, customers[random.nextInt(3)], 100L + random.nextInt(900));
            out.add(TimedRecord.of(id, order, NINE.plusSeconds(random.nextInt(4 * 3600))));
        }
        return out;
    }
}
