package io.kaveri.streams.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.opentest4j.AssertionFailedError;

/** Fluent checks on a record's headers; failures name the header and list those present. */
public final class HeaderAssert {

    private final Headers headers;
    private final String what;

    HeaderAssert(Headers headers, String what) {
        this.headers = headers;
        this.what = what;
    }

    public HeaderAssert has(String name) {
        last(name);
        return this;
    }

    public HeaderAssert lacks(String name) {
        if (headers.lastHeader(name) != null) {
            throw new AssertionError(what + " has header " + name + " = " + text(headers.lastHeader(name).value())
                    + ", expected none");
        }
        return this;
    }

    /** The last header of that name, read as UTF-8, equals {@code expected}. */
    public HeaderAssert hasString(String name, String expected) {
        String actual = text(last(name).value());
        if (!expected.equals(actual)) {
            throw new AssertionFailedError(what + " header " + name + " is \"" + actual + "\", expected \""
                    + expected + "\"", expected, actual);
        }
        return this;
    }

    public HeaderAssert hasStringContaining(String name, String part) {
        String actual = text(last(name).value());
        if (!actual.contains(part)) {
            throw new AssertionError(what + " header " + name + " is \"" + actual + "\", expected it to contain \""
                    + part + "\"");
        }
        return this;
    }

    public HeaderAssert hasBytes(String name, byte[] expected) {
        byte[] actual = last(name).value();
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionFailedError(what + " header " + name + " is " + Arrays.toString(actual)
                    + ", expected " + Arrays.toString(expected), expected, actual);
        }
        return this;
    }

    /** The last header of that name as UTF-8 text, for checks the kit does not offer. */
    public String string(String name) {
        return text(last(name).value());
    }

    private Header last(String name) {
        Header header = headers.lastHeader(name);
        if (header == null) {
            List<String> present = new ArrayList<>();
            headers.forEach(h -> present.add(h.key()));
            throw new AssertionError(what + " has no header " + name + "; it has " + present);
        }
        return header;
    }

    static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
