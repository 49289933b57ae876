package io.kaveri.schemas.registry;

import java.util.List;

/** The registry's verdict on a candidate schema, with its verbose messages naming what breaks. */
public record CompatibilityResult(boolean compatible, List<String> messages) {
    public CompatibilityResult {
        messages = List.copyOf(messages);
    }

    static CompatibilityResult of(List<String> messages) {
        return new CompatibilityResult(messages.isEmpty(), messages);
    }
}
