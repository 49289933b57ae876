package io.kaveri.schemas.connect;

import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.connect.errors.DataException;

/**
 * A conversion failure deep inside a value, carrying the path to it ({@code order.lines[3].price}),
 * built on the way up the stack so that a value that converts costs nothing extra.
 */
final class FieldPathException extends DataException {

    private static final long serialVersionUID = 1L;

    private final transient Deque<String> path = new ArrayDeque<>();
    private final String reason;

    private FieldPathException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    /** Adds a field name, or an index or key written as {@code [x]}, in front of the path of {@code e}. */
    static FieldPathException at(String step, DataException e) {
        FieldPathException withPath = e instanceof FieldPathException f ? f
                : new FieldPathException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        withPath.path.addFirst(step);
        return withPath;
    }

    String path() {
        StringBuilder sb = new StringBuilder();
        for (String step : path) {
            if (sb.length() > 0 && !step.startsWith("[")) {
                sb.append('.');
            }
            sb.append(step);
        }
        return sb.toString();
    }

    @Override
    public String getMessage() {
        return "at " + path() + ": " + reason;
    }
}
