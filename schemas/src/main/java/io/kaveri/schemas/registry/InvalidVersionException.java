package io.kaveri.schemas.registry;

/** The version is not a positive number nor {@code latest} (Confluent error code 42202). */
public class InvalidVersionException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR_CODE = 42202;

    public InvalidVersionException(String message) {
        super(422, ERROR_CODE, message);
    }
}
