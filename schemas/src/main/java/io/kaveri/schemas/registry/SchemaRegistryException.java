package io.kaveri.schemas.registry;

/**
 * An answer of the schema registry that is not a success, or a registry that could not be reached.
 * Carries the HTTP status, the Confluent error code ({@code error_code}) and the registry's own message,
 * so that callers can show what the registry said.
 */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message + " (status " + status + ", error code " + errorCode + ")", cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** HTTP status of the registry's answer; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** Confluent error code, e.g. 40401; the HTTP status when the registry gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** Whether trying again later may succeed (the registry is down or overloaded). */
    public boolean isTransient() {
        return false;
    }
}
