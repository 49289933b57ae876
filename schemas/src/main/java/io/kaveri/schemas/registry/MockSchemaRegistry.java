package io.kaveri.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * An in-memory schema registry with the semantics of Confluent's: ids global to the registry (the same schema
 * under two subjects has one id), versions per subject, compatibility modes checked with Avro's own checker
 * (BACKWARD by default), soft and hard deletes, and the same exceptions and error codes as the REST client.
 * {@code mock://scope} URLs share the instance of their scope within the JVM, so a serializer and a
 * deserializer configured apart see the same schemas.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

    // The only static state: what mock://scope means in this JVM, as users of Confluent's mock expect.
    private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Integer, Stored> byId = new HashMap<>();
    private final Map<String, Integer> idByKey = new HashMap<>();
    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final Map<String, String> subjectCompatibility = new HashMap<>();
    private String globalCompatibility = "BACKWARD";
    private int nextId = 1;

    private record Stored(int id, RegisteredSchema.Content content, Schema schema, String key) {
    }

    private record Version(int version, int id, boolean deleted) {
    }

    /** A registry of its own, not reachable through a mock:// URL. */
    public MockSchemaRegistry() {
    }

    /** The registry that {@code mock://<scope>} names, created on first use. */
    public static MockSchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
    }

    /** Forgets the registry of a scope, so the next test starts empty. */
    public static void drop(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, RegisteredSchema.Content content, boolean normalize) {
        Schema schema = parse(content);
        String key = key(schema, content);
        List<Version> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (Version version : versions) {
            if (!version.deleted() && key.equals(byId.get(version.id()).key())) {
                return version.id();
            }
        }
        List<String> problems = AvroCompatibility.incompatibilities(effectiveCompatibility(subject), schema, live(versions));
        if (!problems.isEmpty()) {
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
            throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for "
                    + "subject \"" + subject + "\", details: " + problems);
        }
        int id = idByKey.computeIfAbsent(key, k -> {
            int fresh = nextId++;
            byId.put(fresh, new Stored(fresh, content, schema, k));
            return fresh;
        });
        int next = versions.stream().mapToInt(Version::version).max().orElse(0) + 1;
        versions.add(new Version(next, id, false));
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, RegisteredSchema.Content content, boolean normalize) {
        List<Version> versions = liveVersions(subject);
        String key = key(parse(content), content);
        for (Version version : versions) {
            if (key.equals(byId.get(version.id()).key())) {
                return registered(subject, version);
            }
        }
        throw new SchemaNotFoundException("Schema not found under subject '" + subject + "'");
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Stored stored = byId.get(id);
        if (stored == null) {
            throw new SchemaNotFoundException("Schema " + id + " not found");
        }
        return stored.schema();
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Version> versions = liveVersions(subject);
        return registered(subject, versions.get(versions.size() - 1));
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        if (version == -1) {
            return latest(subject);
        }
        if (version <= 0) {
            throw new InvalidVersionException("The specified version '" + version + "' is not a valid version id. "
                    + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return registered(subject, find(subject, version));
    }

    @Override
    public synchronized List<String> subjects() {
        return subjects.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return liveVersions(subject).stream().map(Version::version).toList();
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema, String version) {
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        List<Schema> previous = live(versions);
        if (previous.isEmpty()) {
            return CompatibilityResult.of(List.of());
        }
        String level = effectiveCompatibility(subject);
        if (!LATEST.equals(version) && !"-1".equals(version)) {
            int number = parseVersion(version);
            previous = List.of(byId.get(find(subject, number).id()).schema());
            level = level.replace("_TRANSITIVE", "");
        }
        return CompatibilityResult.of(AvroCompatibility.incompatibilities(level, schema, previous));
    }

    @Override
    public synchronized String compatibility(Optional<String> subject) {
        return subject.map(this::effectiveCompatibility).orElse(globalCompatibility);
    }

    @Override
    public synchronized String setCompatibility(Optional<String> subject, String compatibility) {
        String level = AvroSchemas.checkLevel(compatibility);
        if (subject.isPresent()) {
            subjectCompatibility.put(subject.get(), level);
        } else {
            globalCompatibility = level;
        }
        return level;
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Version> versions = subjects.get(subject);
        if (versions == null) {
            throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
        }
        List<Integer> deleted = new ArrayList<>();
        if (permanent) {
            if (versions.stream().anyMatch(v -> !v.deleted())) {
                throw new SchemaRegistryException(404, 40405, "Subject '" + subject
                        + "' was not deleted first before being permanently deleted");
            }
            versions.forEach(v -> deleted.add(v.version()));
            subjects.remove(subject);
            subjectCompatibility.remove(subject);
            return deleted;
        }
        if (versions.stream().allMatch(Version::deleted)) {
            throw new SchemaRegistryException(404, 40404, "Subject '" + subject + "' was soft deleted."
                    + "Set permanent=true to delete permanently");
        }
        for (int i = 0; i < versions.size(); i++) {
            Version v = versions.get(i);
            if (!v.deleted()) {
                versions.set(i, new Version(v.version(), v.id(), true));
                deleted.add(v.version());
            }
        }
        return deleted;
    }

    @Override
    public synchronized int deleteVersion(String subject, int version, boolean permanent) {
        List<Version> versions = subjects.get(subject);
        if (versions == null) {
            throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
        }
        Version target = version == -1 ? liveVersions(subject).get(liveVersions(subject).size() - 1)
                : versions.stream().filter(v -> v.version() == version).findFirst()
                        .orElseThrow(() -> new VersionNotFoundException("Version " + version + " not found."));
        int index = versions.indexOf(target);
        if (permanent) {
            if (!target.deleted()) {
                throw new SchemaRegistryException(404, 40407, "Subject '" + subject + "' Version " + version
                        + " was not deleted first before being permanently deleted");
            }
            versions.remove(index);
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
        } else {
            if (target.deleted()) {
                throw new SchemaRegistryException(404, 40406, "Subject '" + subject + "' Version " + version
                        + " was soft deleted. Set permanent=true to delete permanently");
            }
            versions.set(index, new Version(target.version(), target.id(), true));
        }
        return target.version();
    }

    @Override
    public void close() {
        // Shared by every client of the scope: the data stays until drop(scope).
    }

    private Schema parse(RegisteredSchema.Content content) {
        return AvroSchemas.parse(content, reference -> {
            try {
                return version(reference.subject(), reference.version()).content();
            } catch (SchemaRegistryException e) {
                throw new InvalidSchemaException("Invalid schema: reference " + reference + " not found: " + e.getMessage());
            }
        });
    }

    private static String key(Schema schema, RegisteredSchema.Content content) {
        // Avro prints a parsed schema in one canonical JSON layout, so whitespace and key order do not matter.
        return schema.toString() + content.references();
    }

    private String effectiveCompatibility(String subject) {
        return subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    private List<Schema> live(List<Version> versions) {
        return versions.stream().filter(v -> !v.deleted()).map(v -> byId.get(v.id()).schema()).toList();
    }

    private List<Version> liveVersions(String subject) {
        List<Version> live = subjects.getOrDefault(subject, List.of()).stream().filter(v -> !v.deleted()).toList();
        if (live.isEmpty()) {
            throw new SubjectNotFoundException("Subject '" + subject + "' not found.");
        }
        return live;
    }

    private Version find(String subject, int version) {
        return liveVersions(subject).stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new VersionNotFoundException("Version " + version + " not found."));
    }

    private RegisteredSchema registered(String subject, Version version) {
        Stored stored = byId.get(version.id());
        return new RegisteredSchema(subject, version.version(), stored.id(), stored.content().schema(), stored.schema(),
                stored.content().references());
    }

    private static int parseVersion(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // falls through to the registry's answer for a bad version
        }
        throw new InvalidVersionException("The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }
}
