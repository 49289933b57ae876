package io.kaveri.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry REST API, for Avro schemas. Every failure is a
 * {@link SchemaRegistryException} subclass carrying the registry's status, error code and message.
 * Implementations are thread-safe.
 *
 * @see SchemaRegistryClients#create(java.util.Map)
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** The version argument that means the newest version of a subject. */
    String LATEST = "latest";

    /**
     * Registers the schema under the subject (or finds it there) and returns its id.
     *
     * @param normalize ask the registry to normalize the schema before comparing it with known ones
     * @throws IncompatibleSchemaException when the subject's compatibility mode refuses it
     * @throws InvalidSchemaException when the registry cannot parse it
     */
    default int register(String subject, Schema schema, boolean normalize) {
        return register(subject, RegisteredSchema.Content.of(schema), normalize);
    }

    /** Registers a schema with references to types of other subjects. */
    default int register(String subject, RegisteredSchema.Content content) {
        return register(subject, content, false);
    }

    /** Registers a schema with references to types of other subjects. */
    int register(String subject, RegisteredSchema.Content content, boolean normalize);

    /**
     * Finds the id of a schema already registered under the subject, without registering it.
     *
     * @throws SubjectNotFoundException when the subject does not exist
     * @throws SchemaNotFoundException when the subject does not hold that schema
     */
    default int idOf(String subject, Schema schema, boolean normalize) {
        return lookup(subject, RegisteredSchema.Content.of(schema), normalize).id();
    }

    /**
     * The version under which the subject holds the schema.
     *
     * @throws SubjectNotFoundException when the subject does not exist
     * @throws SchemaNotFoundException when the subject does not hold that schema
     */
    default int versionOf(String subject, Schema schema, boolean normalize) {
        return lookup(subject, RegisteredSchema.Content.of(schema), normalize).version();
    }

    /** Finds a schema already registered under the subject and says which version and id it has. */
    RegisteredSchema lookup(String subject, RegisteredSchema.Content content, boolean normalize);

    /** @throws SchemaNotFoundException when no schema has that id */
    Schema schemaById(int id);

    /** @throws SubjectNotFoundException when the subject has no (undeleted) version */
    RegisteredSchema latest(String subject);

    /**
     * @throws SubjectNotFoundException when the subject does not exist
     * @throws VersionNotFoundException when it has no such version
     * @throws InvalidVersionException when the version is not positive
     */
    RegisteredSchema version(String subject, int version);

    /** The subjects that have at least one undeleted version, sorted. */
    List<String> subjects();

    /** @throws SubjectNotFoundException when the subject does not exist */
    List<Integer> versions(String subject);

    /**
     * Asks whether the schema may become the subject's next version under its compatibility mode,
     * with verbose messages naming what breaks.
     *
     * @param version {@link #LATEST} (checks as registering would) or a version number
     */
    CompatibilityResult testCompatibility(String subject, Schema schema, String version);

    /**
     * The compatibility mode of a subject (falling back to the global one) or, when empty, the global mode:
     * NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.
     */
    String compatibility(Optional<String> subject);

    /** Sets the compatibility mode of a subject or, when empty, the global one; returns the mode set. */
    String setCompatibility(Optional<String> subject, String compatibility);

    /**
     * Deletes every version of the subject; returns the versions deleted. A permanent (hard) delete needs a
     * soft delete first, as in Confluent.
     */
    List<Integer> deleteSubject(String subject, boolean permanent);

    /** Deletes one version of the subject; returns it. */
    int deleteVersion(String subject, int version, boolean permanent);

    /** Releases connections; the in-memory registry keeps its data. */
    @Override
    void close();
}
