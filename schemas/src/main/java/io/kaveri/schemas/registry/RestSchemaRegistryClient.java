package io.kaveri.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/** The Confluent Schema Registry REST API over {@code java.net.http}. */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
    }

    @Override
    public int register(String subject, RegisteredSchema.Content content, boolean normalize) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RegisteredSchema lookup(String subject, RegisteredSchema.Content content, boolean normalize) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Schema schemaById(int id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RegisteredSchema latest(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> subjects() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> versions(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema, String version) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String compatibility(Optional<String> subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String setCompatibility(Optional<String> subject, String compatibility) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int deleteVersion(String subject, int version, boolean permanent) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
