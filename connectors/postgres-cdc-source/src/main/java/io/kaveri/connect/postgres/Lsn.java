package io.kaveri.connect.postgres;

import java.util.Locale;

/**
 * A PostgreSQL write-ahead log position: an unsigned 64-bit byte offset, written {@code 16/B374D848}
 * (high 32 bits / low 32 bits, hexadecimal).
 */
public record Lsn(long value) implements Comparable<Lsn> {

    /** {@code 0/0}: PostgreSQL's InvalidXLogRecPtr, "no position". */
    public static final Lsn INVALID = new Lsn(0);

    public static Lsn of(long value) {
        return value == 0 ? INVALID : new Lsn(value);
    }

    /** Parses {@code 16/B374D848}; throws {@link IllegalArgumentException} naming the text otherwise. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN is null; expected the form 16/B374D848");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("LSN '" + text + "' is not of the form 16/B374D848");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return of(high << 32 | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LSN '" + text + "' is not of the form 16/B374D848", e);
        }
    }

    public boolean isValid() {
        return value != 0;
    }

    /** Adds a byte count; WAL positions never wrap in practice, so overflow is an error. */
    public Lsn plus(long bytes) {
        return of(Math.addExact(value, bytes));
    }

    /** Bytes from {@code earlier} to this position (negative if {@code earlier} is later). */
    public long bytesSince(Lsn earlier) {
        return value - earlier.value;
    }

    public Lsn max(Lsn other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    /** The PostgreSQL form, {@code 16/B374D848}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%X/%X", value >>> 32, value & 0xFFFFFFFFL);
    }
}
