package io.kaveri.streams.enrichment;

import io.kaveri.schemas.ads.CampaignCtr;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.time.Instant;

/**
 * What the interactive-query layer reads from the enrichment app: the per-campaign, per-minute click and impression
 * counts of the CTR window store, keyed and partitioned by campaign.
 */
public final class EnrichmentQueries {

    /** Window store of the CTR counts, one window per campaign and minute of the impression. */
    public static final String CTR_STORE = EnrichmentApp.CTR_STORE;

    private EnrichmentQueries() {
    }

    /**
     * The CTR of one window from a value of the CTR store (the DSL stores it with its timestamp).
     *
     * @throws IllegalArgumentException when {@code storeValue} is not a value of that store
     */
    public static CampaignCtr ctr(long windowStart, Object storeValue) {
        Object value = storeValue instanceof ValueAndTimestamp<?> timestamped ? timestamped.value() : storeValue;
        if (!(value instanceof CampaignCtr counts)) {
            throw new IllegalArgumentException("not a value of store " + CTR_STORE + ": " + storeValue);
        }
        CampaignCtr out = Enrich.ctr(counts.getCampaignId(), counts.getImpressions(), counts.getClicks());
        out.setWindowStart(Instant.ofEpochMilli(windowStart));
        out.setWindowEnd(Instant.ofEpochMilli(windowStart + EnrichmentApp.CTR_WINDOW.toMillis()));
        return out;
    }
}
