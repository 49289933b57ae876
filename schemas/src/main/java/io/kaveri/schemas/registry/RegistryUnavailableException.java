package io.kaveri.schemas.registry;

/**
 * The registry answered 5xx or could not be reached, on every URL, after the configured retries.
 * Transient: the caller may try again later (Connect turns it into a {@code RetriableException}).
 */
public class RegistryUnavailableException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(int status, String message, Throwable cause) {
        super(status, status == 0 ? 50001 : status, message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
