package io.kaveri.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The config keys a connector's generated reference page documents, so that a demo config can be checked against
 * them: a misspelt key is otherwise accepted by Connect and silently ignored. Route keys are documented as
 * {@code route.<name>.x}.
 */
final class DocumentedKeys {

    private static final Pattern RST_KEY = Pattern.compile("^``([a-z0-9.<>_-]+)``$", Pattern.MULTILINE);
    private static final Pattern MD_KEY = Pattern.compile("^\\| `([a-z0-9._-]+)` \\|", Pattern.MULTILINE);

    private DocumentedKeys() {
    }

    /** Keys of a reStructuredText reference ({@code ``key``} lines). */
    static Set<String> rst(String checkoutPath) throws IOException {
        return keys(checkoutPath, RST_KEY);
    }

    /** Keys of a Markdown reference (table rows starting with {@code | `key` |}). */
    static Set<String> markdown(String checkoutPath) throws IOException {
        return keys(checkoutPath, MD_KEY);
    }

    /** Route keys written as the reference does: {@code route.github.secret} becomes {@code route.<name>.secret}. */
    static String generic(String key) {
        return key.startsWith("route.") ? "route.<name>." + key.substring(key.indexOf('.', "route.".length()) + 1) : key;
    }

    private static Set<String> keys(String checkoutPath, Pattern pattern) throws IOException {
        // Surefire runs in the module directory; the connectors are its siblings in the checkout.
        String text = Files.readString(Path.of("..").resolve(checkoutPath));
        Matcher m = pattern.matcher(text);
        return m.results().map(r -> r.group(1)).collect(Collectors.toSet());
    }
}
