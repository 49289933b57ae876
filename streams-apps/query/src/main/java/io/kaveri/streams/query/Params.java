package io.kaveri.streams.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The parameters of one request (path and query string), read with checks: every reader throws
 * {@link BadParameterException} naming the parameter, so every malformed value gets a 400 that says which one.
 */
final class Params {

    /** The caller's freshness bound: how stale (ms) an answer from a standby replica may be. */
    static final String MAX_LAG_MS = "maxLagMs";

    private final Map<String, String> path;
    private final Map<String, List<String>> query;

    Params(Map<String, String> path, Map<String, List<String>> query) {
        this.path = Map.copyOf(path);
        this.query = Map.copyOf(query);
    }

    /** A path segment such as {@code {symbol}}: present by construction, but must not be blank. */
    String pathValue(String name) {
        String v = path.get(name);
        if (v == null || v.isBlank()) {
            throw new BadParameterException(name, name + " must not be blank");
        }
        return v;
    }

    private String single(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadParameterException(name, name + " is given " + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    int intBetween(String name, int defaultValue, int min, int max) {
        String v = single(name);
        if (v == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BadParameterException(name, name + " must be an integer, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new BadParameterException(name, name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** Epoch milliseconds or an ISO-8601 instant such as {@code 2026-01-01T10:00:00Z}. */
    long time(String name, long defaultValue) {
        String v = single(name);
        if (v == null) {
            return defaultValue;
        }
        String t = v.trim();
        try {
            long ms = Long.parseLong(t);
            if (ms < 0) {
                throw new BadParameterException(name, name + " must not be before 1970, got " + ms);
            }
            return ms;
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new BadParameterException(name, name + " must be epoch milliseconds or an ISO-8601 instant "
                        + "(2026-01-01T10:00:00Z), got '" + v + "'");
            }
        }
    }

    /** {@value #MAX_LAG_MS}: absent means only an up-to-date active replica may answer. */
    OptionalLong maxLagMs() {
        String v = single(MAX_LAG_MS);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            long ms = Long.parseLong(v.trim());
            if (ms < 0) {
                throw new BadParameterException(MAX_LAG_MS, MAX_LAG_MS + " must not be negative, got " + ms);
            }
            return OptionalLong.of(ms);
        } catch (NumberFormatException e) {
            throw new BadParameterException(MAX_LAG_MS, MAX_LAG_MS + " must be a number of milliseconds, got '" + v + "'");
        }
    }

    /** Rejects query parameters the endpoint does not know, so a typo ({@code maxlagms}) is not silently ignored. */
    void allowOnly(List<String> known) {
        for (String name : query.keySet()) {
            if (!known.contains(name) && !name.equals(MAX_LAG_MS)) {
                throw new BadParameterException(name, "unknown parameter " + name + "; this endpoint takes "
                        + (known.isEmpty() ? "" : String.join(", ", known) + ", ") + MAX_LAG_MS);
            }
        }
    }
}
