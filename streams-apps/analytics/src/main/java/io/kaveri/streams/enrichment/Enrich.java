package io.kaveri.streams.enrichment;

import io.kaveri.schemas.ads.CampaignCtr;
import io.kaveri.schemas.ads.Click;
import io.kaveri.schemas.ads.Impression;
import io.kaveri.schemas.web.EnrichedPageView;
import io.kaveri.schemas.web.PageView;
import io.kaveri.schemas.web.Purchase;
import io.kaveri.schemas.web.User;
import io.kaveri.schemas.web.UserProfile;
import io.kaveri.schemas.web.UserSession;
import org.apache.kafka.streams.kstream.Window;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** The value functions of the enrichment app: joiners, partial aggregates and their sums. */
final class Enrich {

    /** Scale of UserSession.revenue and Purchase.amount. */
    private static final int MONEY_SCALE = 4;

    private Enrich() {
    }

    /** A page view with the user's profile, or without one (null) when no user row existed: the view is kept. */
    static EnrichedPageView view(PageView view, User user) {
        return EnrichedPageView.newBuilder()
                .setViewId(view.getViewId())
                .setUserId(view.getUserId())
                .setSessionId(view.getSessionId())
                .setUrl(view.getUrl())
                .setReferrer(view.getReferrer())
                .setTs(view.getTs())
                .setUser(user == null ? null : new UserProfile(user.getName(), user.getCountry(), user.getCreatedAt()))
                .build();
    }

    static CampaignCtr impression(Impression impression) {
        return ctr(impression.getCampaignId(), 1, 0);
    }

    /** A click on an impression, counted in the campaign and minute of the impression. */
    static CampaignCtr clicked(Impression impression) {
        return ctr(impression.getCampaignId(), 0, 1);
    }

    static CampaignCtr ctr(String campaign, long impressions, long clicks) {
        return new CampaignCtr(campaign, Instant.EPOCH, Instant.EPOCH, impressions, clicks,
                impressions == 0 ? 0.0 : (double) clicks / impressions);
    }

    static CampaignCtr add(CampaignCtr a, CampaignCtr b) {
        return ctr(b.getCampaignId(), a.getImpressions() + b.getImpressions(), a.getClicks() + b.getClicks());
    }

    static CampaignCtr inWindow(CampaignCtr counts, Window window) {
        CampaignCtr out = ctr(counts.getCampaignId(), counts.getImpressions(), counts.getClicks());
        out.setWindowStart(window.startTime());
        out.setWindowEnd(window.endTime());
        return out;
    }

    static UserSession pageView(PageView view) {
        return session(view.getUserId(), view.getTs(), 1, 0, 0, BigDecimal.ZERO);
    }

    static UserSession click(Click click) {
        return session(click.getUserId(), click.getTs(), 0, 1, 0, BigDecimal.ZERO);
    }

    static UserSession purchase(Purchase purchase) {
        return session(purchase.getUserId(), purchase.getTs(), 0, 0, 1, purchase.getAmount());
    }

    private static UserSession session(String user, Instant at, long views, long clicks, long purchases, BigDecimal revenue) {
        return new UserSession(user, at, at, views, clicks, purchases, revenue.setScale(MONEY_SCALE, RoundingMode.UNNECESSARY));
    }

    /** Two parts of one session; null stands for none (the aggregate's initial value). */
    static UserSession merge(UserSession a, UserSession b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new UserSession(b.getUserId(),
                a.getSessionStart().isBefore(b.getSessionStart()) ? a.getSessionStart() : b.getSessionStart(),
                a.getSessionEnd().isAfter(b.getSessionEnd()) ? a.getSessionEnd() : b.getSessionEnd(),
                a.getPageViews() + b.getPageViews(), a.getClicks() + b.getClicks(),
                a.getPurchases() + b.getPurchases(), a.getRevenue().add(b.getRevenue()));
    }
}
