package io.kaveri.schemas.registry;

/** The subject has no such version (Confluent error code 40402). */
public class VersionNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public static final int ERROR_CODE = 40402;

    public VersionNotFoundException(String message) {
        super(404, ERROR_CODE, message);
    }
}
