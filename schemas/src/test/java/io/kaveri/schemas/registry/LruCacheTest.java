package io.kaveri.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import io.kaveri.schemas.connect.AvroData;
import io.kaveri.schemas.connect.AvroDataConfig;
import org.junit.jupiter.api.Test;

class LruCacheTest {

    @Test
    void dropsTheLeastRecentlyUsedBeyondItsSize() {
        List<String> computed = new ArrayList<>();
        LruCache<String, String> cache = new LruCache<>(2);

        cache.computeIfAbsent("a", k -> record(computed, k));
        cache.computeIfAbsent("b", k -> record(computed, k));
        cache.computeIfAbsent("a", k -> record(computed, k)); // a is now the most recent
        cache.computeIfAbsent("c", k -> record(computed, k)); // evicts b
        cache.computeIfAbsent("a", k -> record(computed, k));
        cache.computeIfAbsent("b", k -> record(computed, k));

        assertThat(computed).containsExactly("a", "b", "c", "b");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void theCacheSizeMustHoldOneSchema() {
        assertThatThrownBy(() -> new AvroData(Map.of(AvroDataConfig.SCHEMAS_CACHE_SIZE_CONFIG, 0)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schemas.cache.config");
    }

    private static String record(List<String> computed, String key) {
        computed.add(key);
        return key.toUpperCase();
    }
}
