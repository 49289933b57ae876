package io.kaveri.streams.runtime;

import org.apache.kafka.clients.admin.NewTopic;

import java.util.Map;
import java.util.Optional;

/**
 * A topic an app reads or writes, with what it needs to be created: partitions and topic configs such as
 * {@code retention.ms} or {@code cleanup.policy}.
 *
 * @param partitions {@code -1} for the broker's default
 */
public record TopicSpec(String name, Role role, int partitions, Map<String, String> configs) {

    /** Why the app needs the topic. */
    public enum Role { INPUT, OUTPUT, DEAD_LETTER, LATE }

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        configs = Map.copyOf(configs);
    }

    /** The topic to create: the app's partitions and configs, the broker's defaults for what the app leaves open. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions > 0 ? Optional.of(partitions) : Optional.empty(), Optional.empty())
                .configs(configs);
    }

    public static TopicSpec input(String name) {
        return new TopicSpec(name, Role.INPUT, -1, Map.of());
    }

    public static TopicSpec output(String name) {
        return new TopicSpec(name, Role.OUTPUT, -1, Map.of());
    }

    /** A compacted output: the latest value per key is what readers want. */
    public static TopicSpec compactedOutput(String name) {
        return new TopicSpec(name, Role.OUTPUT, -1, Map.of("cleanup.policy", "compact"));
    }
}
