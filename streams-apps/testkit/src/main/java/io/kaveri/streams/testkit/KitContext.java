package io.kaveri.streams.testkit;

import java.util.Map;
import java.util.Properties;

/**
 * What a topology factory may need from the kit before the driver exists: the test's own
 * {@code mock://} registry URL and the Streams properties the driver will run with.
 */
public final class KitContext {

    private final String registryUrl;
    private final Map<String, Object> properties;
    private final AvroSerdes serdes;

    KitContext(String registryScope, Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
        this.registryUrl = String.valueOf(properties.get(KitDriver.SCHEMA_REGISTRY_URL_CONFIG));
        this.serdes = new AvroSerdes(registryScope, this.properties);
    }

    /** A {@code mock://} URL whose registry belongs to this test alone. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The driver's Streams properties, including {@code schema.registry.url}. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** Kaveri Avro serdes on this test's registry. */
    public AvroSerdes serdes() {
        return serdes;
    }

    Properties asProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        return props;
    }
}
