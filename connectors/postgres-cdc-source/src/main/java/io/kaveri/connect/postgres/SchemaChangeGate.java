package io.kaveri.connect.postgres;

import io.kaveri.schemas.connect.AvroData;
import io.kaveri.schemas.registry.CompatibilityResult;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryException;
import io.kaveri.schemas.registry.SubjectNotFoundException;
import org.apache.avro.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a table's event schema against the registry before the first record that carries it, so that a change of
 * a table (a {@code Relation} message with other columns or types) never reaches consumers as a schema they cannot
 * read. The check is the registry's own ({@code POST /compatibility/subjects/<topic>-value/versions/latest}, under
 * the subject's compatibility level), on the Avro schema the Avro converter derives with its defaults; the subject
 * is the topic's under the default {@code TopicNameStrategy}.
 *
 * <p>An incompatible schema either fails the task (naming the table, the columns and the fix) or, under
 * {@link Policy#NEW_SUBJECT}, sends the table's events from then on to {@code <topic>-v<N>}, the first such topic
 * (N = 2, 3, ...) whose subject accepts the schema: a stateless choice, so that a restarted task picks the same one.
 *
 * <p>Not thread-safe: the reader thread owns it.
 */
final class SchemaChangeGate implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SchemaChangeGate.class);
    private static final int MAX_GENERATION = 100;

    /** What an incompatible schema does. */
    enum Policy { FAIL, NEW_SUBJECT }

    private final SchemaRegistryClient registry;
    private final String registryUrl;
    private final Policy policy;
    private final AvroData avro = new AvroData(Map.of());
    /** The topic each checked envelope schema goes to; the envelope's name holds the table's own topic. */
    private final Map<org.apache.kafka.connect.data.Schema, String> verdicts = new HashMap<>();

    /** @param registry null: no registry configured, every schema passes unchecked */
    SchemaChangeGate(SchemaRegistryClient registry, String registryUrl, Policy policy) {
        this.registry = registry;
        this.registryUrl = registryUrl;
        this.policy = policy;
        if (registry == null) {
            log.info("schema change check off: {} is not set", PostgresCdcSourceConfig.SCHEMA_REGISTRY_URL_CONFIG);
        }
    }

    /**
     * The table's schema as its events must be sent: unchanged when the registry accepts it, routed to a new topic
     * under {@link Policy#NEW_SUBJECT} when not.
     *
     * @throws ConnectException when the registry rejects it under {@link Policy#FAIL}, or cannot be asked
     */
    TableSchema admit(TableSchema table) {
        if (registry == null) {
            return table;
        }
        String topic = verdicts.get(table.envelopeSchema());
        if (topic == null) {
            topic = decide(table);
            verdicts.put(table.envelopeSchema(), topic);
        }
        return topic.equals(table.topic()) ? table : table.routedTo(topic);
    }

    private String decide(TableSchema table) {
        Schema candidate = avro.fromConnectSchema(table.envelopeSchema());
        String base = table.topic();
        CompatibilityResult verdict = test(table, base, candidate);
        if (verdict.compatible()) {
            log.info("schema accepted table={} subject={}", table.id(), subject(base));
            return base;
        }
        String changes = describe(table, base, candidate, verdict);
        if (policy == Policy.FAIL) {
            throw new ConnectException("table " + table.id() + " changed incompatibly for the consumers of topic '" + base
                    + "': the registry at " + registryUrl + " rejects the new schema under subject '" + subject(base)
                    + "': " + changes + ". Fix: make the change compatible (add columns, keep column types), or set "
                    + PostgresCdcSourceConfig.SCHEMA_CHANGE_POLICY_CONFIG + "=new_subject to send the table's events to "
                    + "a new topic '" + base + "-v<N>', or relax the subject's compatibility level in the registry; then "
                    + "restart the task (it resumes at the change)");
        }
        for (int n = 2; n <= MAX_GENERATION; n++) {
            String topic = base + "-v" + n;
            if (test(table, topic, candidate).compatible()) {
                log.warn("schema change routed table={} from={} to={} changes=\"{}\"", table.id(), base, topic, changes);
                return topic;
            }
        }
        throw new ConnectException("table " + table.id() + ": no subject '" + subject(base) + "' to '"
                + subject(base + "-v" + MAX_GENERATION) + "' accepts its new schema (" + changes + "); delete unused ones");
    }

    private CompatibilityResult test(TableSchema table, String topic, Schema candidate) {
        try {
            return registry.testCompatibility(subject(topic), candidate, "latest");
        } catch (SchemaRegistryException e) {
            throw new ConnectException("table " + table.id() + ": cannot check its schema with the registry at "
                    + registryUrl + " (subject '" + subject(topic) + "'): " + e.getMessage() + ". Make the registry "
                    + "reachable, or unset " + PostgresCdcSourceConfig.SCHEMA_REGISTRY_URL_CONFIG + " to skip the check", e);
        }
    }

    /** The columns that break, from the latest registered schema; the registry's own messages when none is found. */
    private String describe(TableSchema table, String topic, Schema candidate, CompatibilityResult verdict) {
        List<String> changes = List.of();
        try {
            changes = columnChanges(registry.latest(subject(topic)).schema(), candidate);
        } catch (SubjectNotFoundException e) {
            log.debug("no latest schema table={} subject={}", table.id(), subject(topic));
        } catch (SchemaRegistryException e) {
            log.warn("cannot read the latest schema table={} subject={} error={}", table.id(), subject(topic), e.getMessage());
        }
        return changes.isEmpty() ? String.join("; ", verdict.messages()) : String.join("; ", changes);
    }

    static String subject(String topic) {
        return topic + "-value";
    }

    /**
     * The row columns whose change a reader of the previous envelope schema may not follow: a type change, a new
     * column without default, a removed column that had none.
     */
    static List<String> columnChanges(Schema previousEnvelope, Schema candidateEnvelope) {
        Optional<Schema> before = row(previousEnvelope);
        Optional<Schema> after = row(candidateEnvelope);
        if (before.isEmpty() || after.isEmpty()) {
            return List.of();
        }
        List<String> changes = new ArrayList<>();
        for (Schema.Field f : after.get().getFields()) {
            Schema.Field old = before.get().getField(f.name());
            if (old == null) {
                if (!f.hasDefaultValue()) {
                    changes.add("column '" + f.name() + "' added without a default (" + typeName(f.schema()) + ")");
                }
            } else if (!typeName(old.schema()).equals(typeName(f.schema()))) {
                changes.add("column '" + f.name() + "' changed type from " + typeName(old.schema()) + " to "
                        + typeName(f.schema()));
            }
        }
        for (Schema.Field old : before.get().getFields()) {
            if (after.get().getField(old.name()) == null && !old.hasDefaultValue()) {
                changes.add("column '" + old.name() + "' removed (it had no default)");
            }
        }
        return changes;
    }

    private static Optional<Schema> row(Schema envelope) {
        if (envelope.getType() != Schema.Type.RECORD || envelope.getField("after") == null) {
            return Optional.empty();
        }
        Schema after = nonNull(envelope.getField("after").schema());
        return after.getType() == Schema.Type.RECORD ? Optional.of(after) : Optional.empty();
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
    }

    /** A type as a reader sees it: the Avro type, its logical type and its name (ignoring the connect.* properties). */
    private static String typeName(Schema schema) {
        Schema s = nonNull(schema);
        String name = switch (s.getType()) {
            case RECORD, ENUM, FIXED -> s.getFullName();
            case ARRAY -> "array<" + typeName(s.getElementType()) + ">";
            case MAP -> "map<" + typeName(s.getValueType()) + ">";
            default -> s.getType().getName();
        };
        return s.getLogicalType() == null ? name : name + "(" + s.getLogicalType().getName() + ")";
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
