package io.kaveri.schemas.registry;

/** The schema breaks the subject's compatibility mode (HTTP 409); the message names the breaking field. */
public class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR_CODE = 409;

    public IncompatibleSchemaException(String message) {
        super(409, ERROR_CODE, message);
    }
}
