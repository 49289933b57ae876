package io.kaveri.stack;

/**
 * A part of the local stack could not start. The message names the part, what went wrong and the fix
 * (e.g. "port 5432 is taken: ..."), because it is printed as is by {@code ./kaveri up}.
 */
public final class StackStartException extends RuntimeException {

    public StackStartException(String message) {
        super(message);
    }

    public StackStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
