package io.kaveri.connect.postgres;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.ArrayList;
import java.util.List;

/** Reads PostgreSQL's text form of a one-dimensional array: {@code {1,NULL,"a \"b\"",c}}. */
final class PgArrays {

    private PgArrays() {
    }

    /** The elements' texts, {@code null} for an unquoted NULL. */
    static List<String> parse(String column, String text) {
        int start = text.indexOf('{');
        // An explicit lower bound ("[0:2]={...}") is allowed; the bound itself is dropped.
        if (start < 0 || !text.endsWith("}") || (start > 0 && text.charAt(0) != '[')) {
            throw new ConnectException("column " + column + ": '" + text + "' is not an array literal");
        }
        List<String> elements = new ArrayList<>();
        int i = start + 1;
        int end = text.length() - 1;
        if (i == end) {
            return elements;
        }
        while (i <= end) {
            char c = text.charAt(i);
            if (c == '{') {
                throw new ConnectException("column " + column + ": multi-dimensional arrays are not supported; "
                        + "cast the column to text in a view, or exclude the table");
            }
            StringBuilder element = new StringBuilder();
            boolean quoted = c == '"';
            if (quoted) {
                i++;
                while (text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\') {
                        i++;
                    }
                    element.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < end && text.charAt(i) != ',') {
                    element.append(text.charAt(i++));
                }
            }
            String value = element.toString();
            elements.add(!quoted && value.equals("NULL") ? null : value);
            i++; // the comma, or the closing brace
        }
        return elements;
    }
}
