package io.kaveri.schemas.registry;

/** The subject does not exist (Confluent error code 40401). */
public class SubjectNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR_CODE = 40401;

    public SubjectNotFoundException(String message) {
        super(404, ERROR_CODE, message);
    }
}
