package io.kaveri.connect.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;

/**
 * Receives signed webhooks over HTTP and writes them to topics, answering a sender only once Kafka has its
 * events. Routes are split across tasks; task i listens on listener.port + i.
 */
public class WebhookSourceConnector extends SourceConnector {

    private Map<String, String> props;
    private WebhookSourceConfig config;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.config = WebhookSourceConfig.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WebhookSourceTask.class;
    }

    /** One task per group of routes, never more tasks than routes: each task owns its routes and its port. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> routes = config.routeNames();
        List<List<String>> groups = ConnectorUtils.groupPartitions(routes, Math.min(maxTasks, routes.size()));
        List<Map<String, String>> configs = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(WebhookSourceConfig.TASK_INDEX_CONFIG, Integer.toString(i));
            task.put(WebhookSourceConfig.TASK_ROUTES_CONFIG, String.join(",", groups.get(i)));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // Tasks own the listeners; the connector holds nothing to release.
    }

    @Override
    public ConfigDef config() {
        return WebhookSourceConfig.configDef();
    }

    /** Validates the keys of every declared route too, and the constraints between keys, each on its own key. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        ConfigDef def = WebhookSourceConfig.enrich(connectorConfigs);
        List<ConfigValue> values = def.validate(connectorConfigs);
        boolean clean = values.stream().allMatch(v -> v.errorMessages().isEmpty());
        if (clean) {
            Map<String, ConfigValue> byName = new LinkedHashMap<>();
            values.forEach(v -> byName.put(v.name(), v));
            new WebhookSourceConfig(connectorConfigs, false).problems().forEach((key, message) ->
                    byName.computeIfAbsent(key, ConfigValue::new).addErrorMessage(message));
            values = new ArrayList<>(byName.values());
        }
        return new Config(values);
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Records of one poll go in one transaction and commitRecord follows the commit, so the 2xx promise holds.
        return ExactlyOnceSupport.SUPPORTED;
    }
}
