package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.stack.LocalStack;
import io.kaveri.stack.LocalStack.Part;
import io.kaveri.streams.RunningApp;
import io.kaveri.test.KaveriStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The enrichment app on the real broker and registry: a users CDC event and page views in, enriched views out. */
@KaveriStack({Part.KAFKA, Part.REGISTRY})
class EnrichmentIT {

    @Test
    void pageViewsAreEnrichedWithTheUserFromTheCdcTopic(LocalStack stack) throws Exception {
        Map<String, String> settings = new HashMap<>(EnrichmentFixture.SETTINGS);
        settings.put(EnrichmentApp.VIEWS_GRACE_MS_CONFIG, "500");
        try (RunningApp app = RunningApp.start(stack, new EnrichmentApp(), settings)) {
            long t0 = System.currentTimeMillis() - 60_000;
            Map<String, Object> row = new HashMap<>(Map.of("id", 42L, "name", "Ann", "created_at", t0, "updated_at", t0));
            try (KafkaProducer<GenericRecord, GenericRecord> users = app.producer(app.generic(true).serializer(),
                    app.generic(false).serializer());
                 KafkaProducer<String, PageView> views = app.producer(new StringSerializer(),
                         app.<PageView>specific(false).serializer())) {
                users.send(new ProducerRecord<>(app.topic(EnrichmentApp.USERS_TOPIC_CONFIG), null, t0,
                        EnrichmentFixture.CDC.key(row), EnrichmentFixture.CDC.create(row, t0))).get();
                views.send(new ProducerRecord<>(app.topic(EnrichmentApp.PAGEVIEWS_TOPIC_CONFIG), null, t0 + 1_000, "v1", view("v1", "42", t0 + 1_000))).get();
                views.send(new ProducerRecord<>(app.topic(EnrichmentApp.PAGEVIEWS_TOPIC_CONFIG), null, t0 + 5_000, "v2", view("v2", "7", t0 + 5_000))).get();
            }
            List<ConsumerRecord<String, EnrichedPageView>> out = new ArrayList<>();
            try (KafkaConsumer<String, EnrichedPageView> consumer = app.reader(app.topic(EnrichmentApp.ENRICHED_TOPIC_CONFIG))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    RunningApp.pollRecords(consumer, out);
                    return out.stream().anyMatch(r -> r.value().getViewId().equals("v1"));
                });
            }
            assertThat(out).filteredOn(r -> r.value().getViewId().equals("v1")).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("42");
                assertThat(r.value().getUser().getName()).isEqualTo("Ann");
                assertThat(r.value().getUser().getCountry()).isNull();
            });
        }
    }

    private static PageView view(String id, String user, long atMs) {
        return PageView.newBuilder().setViewId(id).setUserId(user).setUrl("https://shop.example/" + id)
                .setTs(Instant.ofEpochMilli(atMs)).build();
    }
}
