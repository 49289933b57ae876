package io.kaveri.schemas.registry;

/** The registry rejects the schema as invalid (Confluent error code 42201). */
public class InvalidSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR_CODE = 42201;

    public InvalidSchemaException(String message) {
        super(422, ERROR_CODE, message);
    }
}
