package io.kaveri.schemas.registry;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Makes the client a configuration asks for. */
public final class SchemaRegistryClients {

    private SchemaRegistryClients() {
    }

    /**
     * A REST client with failover over the comma-separated {@code schema.registry.url}, or for
     * {@code mock://scope} the in-memory registry of that scope.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the key when the configuration is wrong
     */
    public static SchemaRegistryClient create(Map<String, ?> configs) {
        SchemaRegistryClientConfig config = new SchemaRegistryClientConfig(configs);
        List<String> urls = config.urls();
        URI first = URI.create(urls.get(0));
        if ("mock".equals(first.getScheme())) {
            return MockSchemaRegistry.scope(mockScope(first));
        }
        return new RestSchemaRegistryClient(config);
    }

    static String mockScope(URI uri) {
        // mock://scope parses as an authority; mock://my_scope (underscore) only as scheme-specific part.
        String scope = uri.getAuthority() != null ? uri.getAuthority() : uri.getSchemeSpecificPart().replaceFirst("^//", "");
        return scope.isEmpty() ? "default" : scope;
    }
}
