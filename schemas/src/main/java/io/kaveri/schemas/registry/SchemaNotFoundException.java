package io.kaveri.schemas.registry;

/** No schema with that id, or the schema is not registered under the subject (Confluent error code 40403). */
public class SchemaNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR_CODE = 40403;

    public SchemaNotFoundException(String message) {
        super(404, ERROR_CODE, message);
    }
}
