package io.kaveri.schemas.serde;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The names under which the built-in strategies are known: ours, their simple names and Confluent's. */
final class SubjectNameStrategies {

    // The built-in strategies hold no state, so one instance of each serves every serializer.
    static final Map<String, SubjectNameStrategy> ALIASES = aliases();

    private SubjectNameStrategies() {
    }

    private static Map<String, SubjectNameStrategy> aliases() {
        Map<String, SubjectNameStrategy> byName = new HashMap<>();
        for (SubjectNameStrategy strategy : List.of(new TopicNameStrategy(), new RecordNameStrategy(),
                new TopicRecordNameStrategy())) {
            Class<?> type = strategy.getClass();
            byName.put(type.getName(), strategy);
            byName.put(type.getSimpleName(), strategy);
            byName.put("io.confluent.kafka.serializers.subject." + type.getSimpleName(), strategy);
        }
        return Map.copyOf(byName);
    }
}
