package io.kaveri.cli;

import io.kaveri.cli.DeployCommand.DeployException;
import io.kaveri.cli.DeployCommand.Step;
import io.kaveri.streams.runtime.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The topic part of a deploy plan. It asks the cluster everything before anything changes: which topics exist,
 * with how many partitions and which configs, and whether the broker would accept the creations (a validate-only
 * request, which checks the principal's CREATE permission and the configs). Existing topics are never deleted or
 * repartitioned; their configs are changed only when the user asks.
 */
final class TopicPlanner {

    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final String bootstrapServers;
    private final boolean alterConfigs;

    TopicPlanner(Admin admin, String bootstrapServers, boolean alterConfigs) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.alterConfigs = alterConfigs;
    }

    List<Step> plan(Map<String, TopicSpec> wanted) {
        Map<String, TopicDescription> existing = new HashMap<>();
        for (var e : admin.describeTopics(wanted.keySet()).topicNameValues().entrySet()) {
            try {
                existing.put(e.getKey(), await(e.getValue()));
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw failure("describe topic " + e.getKey(), ex.getCause());
                }
            }
        }
        Map<String, Config> configs = existingConfigs(existing.keySet());
        List<NewTopic> creations = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (TopicSpec t : wanted.values()) {
            TopicDescription d = existing.get(t.name());
            if (d == null) {
                NewTopic topic = t.toNewTopic();
                creations.add(topic);
                String detail = "partitions=" + (t.partitions() > 0 ? t.partitions() : "default")
                        + (t.configs().isEmpty() ? "" : " " + new TreeMap<>(t.configs()));
                steps.add(new Step("topic", "create", t.name(), detail, () -> create(topic)));
            } else if (t.partitions() > 0 && d.partitions().size() < t.partitions()) {
                throw new DeployException("topic " + t.name() + " exists with " + d.partitions().size() + " partition(s) but the "
                        + t.role().name().toLowerCase() + " of the apps needs " + t.partitions() + "; add partitions "
                        + "(kafka-topics.sh --alter --topic " + t.name() + " --partitions " + t.partitions()
                        + ", which moves keys to other partitions) or delete the topic and deploy again");
            } else {
                steps.add(existingTopic(t, d, configs.get(t.name())));
            }
        }
        validateCreations(creations);
        return steps;
    }

    /** A topic that exists: as wanted, or with configs that drifted from what the apps ask for. */
    private Step existingTopic(TopicSpec t, TopicDescription d, Config config) {
        Map<String, String> drift = new TreeMap<>();
        t.configs().forEach((key, want) -> {
            ConfigEntry have = config == null ? null : config.get(key);
            String value = have == null ? null : have.value();
            if (!want.equals(value)) {
                drift.put(key, value + " -> " + want);
            }
        });
        String partitions = "partitions=" + d.partitions().size();
        if (drift.isEmpty()) {
            return new Step("topic", "exists", t.name(), partitions, null);
        }
        String detail = partitions + " configs differ from the apps' " + drift;
        if (!alterConfigs) {
            return new Step("topic", "drifted", t.name(), detail + "; --alter-topic-configs sets them", null);
        }
        List<AlterConfigOp> ops = t.configs().entrySet().stream().filter(e -> drift.containsKey(e.getKey()))
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET)).toList();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
        alter(resource, ops, true);
        return new Step("topic", "alter", t.name(), detail, () -> alter(resource, ops, false));
    }

    private Map<String, Config> existingConfigs(Collection<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Config> configs = new LinkedHashMap<>();
        for (var e : admin.describeConfigs(resources).values().entrySet()) {
            try {
                configs.put(e.getKey().name(), await(e.getValue()));
            } catch (ExecutionException ex) {
                throw failure("describe the configs of topic " + e.getKey().name(), ex.getCause());
            }
        }
        return configs;
    }

    /** The broker checks permissions, names and configs of every creation without creating anything. */
    private void validateCreations(List<NewTopic> creations) {
        if (creations.isEmpty()) {
            return;
        }
        var results = admin.createTopics(creations, new CreateTopicsOptions().validateOnly(true)).values();
        List<String> problems = new ArrayList<>();
        Throwable first = null;
        for (var e : results.entrySet()) {
            try {
                await(e.getValue());
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    problems.add(e.getKey());
                    first = first == null ? ex.getCause() : first;
                }
            }
        }
        if (first != null) {
            throw failure("create topic" + (problems.size() > 1 ? "s " : " ") + problems.stream().sorted()
                    .collect(Collectors.joining(", ")), first);
        }
    }

    private void create(NewTopic topic) {
        try {
            await(admin.createTopics(List.of(topic)).all());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw failure("create topic " + topic.name(), e.getCause());
            }
        }
    }

    private void alter(ConfigResource topic, List<AlterConfigOp> ops, boolean validateOnly) {
        try {
            await(admin.incrementalAlterConfigs(Map.of(topic, ops), new AlterConfigsOptions().validateOnly(validateOnly)).all());
        } catch (ExecutionException e) {
            throw failure("alter the configs of topic " + topic.name(), e.getCause());
        }
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while talking to the Kafka cluster at " + bootstrapServers, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new DeployException("the Kafka cluster at " + bootstrapServers + " did not answer within "
                    + ADMIN_TIMEOUT.toSeconds() + " s; check --bootstrap-servers and the security settings in --command-config", e);
        }
    }

    private DeployException failure(String what, Throwable cause) {
        String fix = cause instanceof AuthorizationException
                ? "; grant the principal of --command-config that permission (e.g. kafka-acls.sh --add --allow-principal User:... "
                + "--operation Create --operation Describe --operation DescribeConfigs --topic ...)"
                : cause instanceof AuthenticationException
                ? "; the broker refused the credentials: check the sasl.* / ssl.* settings in --command-config"
                : "; check --bootstrap-servers and --command-config";
        return new DeployException("cannot " + what + " on the Kafka cluster at " + bootstrapServers + ": "
                + cause.getClass().getSimpleName() + ": " + cause.getMessage() + fix, cause);
    }
}
