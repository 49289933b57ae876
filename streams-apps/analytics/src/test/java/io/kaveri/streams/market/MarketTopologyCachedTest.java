package io.kaveri.streams.market;

import io.kaveri.streams.testkit.StreamsTestKit;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/**
 * Every test of {@link MarketTopologyTest} again, with the record cache on as in production: the live view then
 * leaves through the cache's write-through at each commit (the driver commits after every record) instead of after
 * every trade, and must be the same.
 */
class MarketTopologyCachedTest extends MarketTopologyTest {

    @Override
    StreamsTestKit kit() {
        return MarketFixtures.kit(Map.of()).withConfig(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 10L << 20);
    }
}
