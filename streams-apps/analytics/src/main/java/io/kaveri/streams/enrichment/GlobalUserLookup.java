package io.kaveri.streams.enrichment;

import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.User;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/** Enriches page views from the global users store: the user as known when the view is processed. */
final class GlobalUserLookup implements FixedKeyProcessor<String, PageView, EnrichedPageView> {

    private final String storeName;
    private FixedKeyProcessorContext<String, EnrichedPageView> context;
    private KeyValueStore<String, User> users;

    GlobalUserLookup(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EnrichedPageView> context) {
        this.context = context;
        this.users = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, PageView> record) {
        PageView view = record.value();
        context.forward(record.withValue(Enrich.view(view, users.get(view.getUserId()))));
    }
}
