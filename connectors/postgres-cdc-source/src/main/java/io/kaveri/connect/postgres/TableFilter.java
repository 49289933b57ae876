package io.kaveri.connect.postgres;

import java.util.List;
import java.util.regex.Pattern;

/** Which tables are captured: {@code schema.table} matches an include pattern (or there are none) and no exclude one. */
final class TableFilter {

    private final List<Pattern> include;
    private final List<Pattern> exclude;

    TableFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Pattern::compile).toList();
        this.exclude = exclude.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Pattern::compile).toList();
    }

    boolean test(TableId id) {
        String name = id.toString();
        return (include.isEmpty() || include.stream().anyMatch(p -> p.matcher(name).matches()))
                && exclude.stream().noneMatch(p -> p.matcher(name).matches());
    }

    boolean hasIncludes() {
        return !include.isEmpty();
    }
}
