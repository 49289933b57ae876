package io.kaveri.streams.fraud;

import io.kaveri.streams.runtime.JsonSerde;
import io.kaveri.streams.runtime.RunningStats;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Changelog formats of the fraud app's own state (never in the registry): a format version byte, then the fields.
 * Every payment reads its card's profile and writes it back to its changelog, so these are on the hot path twice:
 * encoding, and the bytes the producer, the broker and a restore then carry. Numbers are variable-length, times are
 * differences from the previous one, and a visit's country and position are left out when they are those of the
 * visit before it (most payments of a card are made where the last one was). Profile layout 3 (written now): the
 * amounts and last-seen header, the card's open tumbling velocity windows ({@link CardProfile.EncodedWindows}, which
 * ride in the profile's changelog record so that a payment writes one record for both), then the number of visits
 * and their length in bytes before them, so that a reader of the windows or of the header skips the visits. Layout 2
 * (the header, then the visits; windows in a store of their own), layout 1 (fixed-width big-endian numbers,
 * int-length-prefixed UTF-8) and the JSON of earlier releases (a value starting with {@code '{'}) are still read, so
 * a changelog written by an earlier release restores. A velocity window alone is written in layout 2.
 */
final class FraudSerdes {

    private static final byte V1 = 1;
    private static final byte V2 = 2;
    private static final byte V3 = 3;
    private static final int EXACT = 1;
    private static final int SAME_COUNTRY = 2;
    private static final int SAME_POSITION = 4;
    private static final byte JSON = '{';

    private FraudSerdes() {
    }

    /** A card profile as the JSON of earlier releases held it. */
    record JsonProfile(RunningStats amounts, List<CardProfile.Visit> visits, long lastSeen) {
    }

    static Serde<CardProfile> cardProfile() {
        Deserializer<JsonProfile> json = JsonSerde.of(JsonProfile.class).deserializer();
        return Serdes.serdeFrom((topic, p) -> p == null ? null : write(p),
                (topic, bytes) -> bytes == null ? null
                        : bytes.length > 0 && bytes[0] == JSON ? fromJson(json.deserialize(topic, bytes))
                        : read(topic, bytes, FraudSerdes::profile));
    }

    private static CardProfile fromJson(JsonProfile p) {
        return new CardProfile(p.amounts(), p.visits() == null ? List.of() : p.visits(), p.lastSeen());
    }

    static Serde<VelocityWindow> velocityWindow() {
        Deserializer<VelocityWindow> json = JsonSerde.of(VelocityWindow.class).deserializer();
        return Serdes.serdeFrom((topic, w) -> w == null ? null : write(w),
                (topic, bytes) -> bytes == null ? null
                        : bytes.length > 0 && bytes[0] == JSON ? json.deserialize(topic, bytes) : read(topic, bytes, FraudSerdes::window));
    }

    static byte[] write(CardProfile p) {
        byte[] windows = p.windows().bytes();
        Visits visits = p.visits();
        Out listed = new Out(16 + 16 * visits.size());
        long ts = p.lastSeen();
        for (int i = 0; i < visits.size(); i++) {
            boolean sameCountry = i > 0 && Objects.equals(visits.country(i - 1), visits.country(i));
            boolean samePosition = i > 0 && visits.latitude(i - 1) == visits.latitude(i)
                    && visits.longitude(i - 1) == visits.longitude(i);
            listed.b((byte) ((visits.exact(i) ? EXACT : 0) | (sameCountry ? SAME_COUNTRY : 0) | (samePosition ? SAME_POSITION : 0)));
            visits.writeId(i, listed::utf8);
            listed.v(visits.ts(i) - ts);
            if (!sameCountry) {
                listed.s(visits.country(i));
            }
            if (!samePosition) {
                listed.d(visits.latitude(i)).d(visits.longitude(i));
            }
            ts = visits.ts(i);
        }
        Out out = new Out(64 + listed.pos + windows.length);
        out.b(V3);
        out.v(p.amounts().count()).d(p.amounts().mean()).d(p.amounts().m2()).v(p.lastSeen());
        // The windows first and the visits' length before them: a reader after the windows or the last time a
        // card was seen skips the visits.
        out.v(windows.length).raw(windows);
        out.v(visits.size()).v(listed.pos).raw(listed.buf, 0, listed.pos);
        return out.bytes();
    }

    static byte[] write(VelocityWindow w) {
        Out out = new Out(16 + 12 * w.newest().size());
        out.b(V2);
        windowBody(out, w);
        return out.bytes();
    }

    private static void windowBody(Out out, VelocityWindow w) {
        out.v(w.count()).v(w.oldestTs()).v(w.newest().size());
        long ts = w.oldestTs();
        for (VelocityWindow.Seen seen : w.newest()) {
            out.v(seen.ts() - ts).s(seen.paymentId());
            ts = seen.ts();
        }
    }

    /** Open windows of one card, by start: their count, then per window its start and its layout-2 body. */
    static CardProfile.EncodedWindows windows(long[] starts, VelocityWindow[] windows, int n) {
        Out out = new Out(8 + 32 * n);
        out.v(n);
        for (int i = 0; i < n; i++) {
            out.v(starts[i]);
            windowBody(out, windows[i]);
        }
        return n == 0 ? CardProfile.EncodedWindows.NONE : new CardProfile.EncodedWindows(out.bytes());
    }

    /**
     * Where each open window of a card lies in its encoded form, found without decoding any payment id: a payment
     * changes one window, and the others are copied as they are.
     */
    record WindowSlices(byte[] bytes, int size, long[] starts, int[] from, int[] to) {
        static final WindowSlices NONE = new WindowSlices(new byte[0], 0, new long[0], new int[0], new int[0]);
    }

    static WindowSlices slices(String topic, CardProfile.EncodedWindows encoded) {
        byte[] bytes = encoded.bytes();
        if (bytes.length == 0) {
            return WindowSlices.NONE;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int n = varCount(in);
            long[] starts = new long[n];
            int[] from = new int[n];
            int[] to = new int[n];
            for (int i = 0; i < n; i++) {
                starts[i] = varLong(in);
                from[i] = in.position();
                varLong(in); // count
                varLong(in); // oldest
                int listed = varCount(in);
                for (int j = 0; j < listed; j++) {
                    varLong(in);
                    int length = varLength(in);
                    in.position(in.position() + length);
                }
                to[i] = in.position();
            }
            return new WindowSlices(bytes, n, starts, from, to);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("truncated or corrupt open velocity windows in " + topic, e);
        }
    }

    /** The body of a window holding one payment. */
    static byte[] firstBody(long ts, byte[] id) {
        Out out = new Out(8 + id.length);
        out.v(1).v(ts).v(1).v(0).utf8(id, 0, id.length);
        return out.bytes();
    }

    /**
     * The body {@code bytes[from, to)} with one more payment, as {@link VelocityWindow#add} would make it: the
     * listed ids are copied as bytes, and decoded only to order two payments of the same millisecond.
     */
    static byte[] added(byte[] bytes, int from, int to, long ts, String paymentId, byte[] id) {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        long count = varLong(in);
        long oldest = varLong(in);
        int n = varCount(in);
        long[] times = new long[n];
        int[] idFrom = new int[n];
        int[] idLength = new int[n];
        long t = oldest;
        for (int i = 0; i < n; i++) {
            t += varLong(in);
            times[i] = t;
            idLength[i] = varLength(in);
            idFrom[i] = in.position();
            in.position(in.position() + idLength[i]);
        }
        int at = n;
        while (at > 0 && (times[at - 1] > ts || times[at - 1] == ts
                && new String(bytes, idFrom[at - 1], idLength[at - 1], StandardCharsets.UTF_8).compareTo(paymentId) > 0)) {
            at--;
        }
        int kept = Math.min(n + 1, VelocityWindow.MAX_LISTED);
        long newOldest = Math.min(oldest, ts);
        Out out = new Out(to - from + id.length + 16);
        out.v(count + 1).v(newOldest).v(kept);
        long previous = newOldest;
        for (int i = n + 1 - kept; i <= n; i++) {
            if (i == at) {
                out.v(ts - previous).utf8(id, 0, id.length);
                previous = ts;
            } else {
                int j = i < at ? i : i - 1;
                out.v(times[j] - previous).utf8(bytes, idFrom[j], idLength[j]);
                previous = times[j];
            }
        }
        return out.bytes();
    }

    /** A card's open windows from bodies that lie in {@code bytes[i][from[i], to[i])}, by start. */
    static CardProfile.EncodedWindows windows(long[] starts, byte[][] bytes, int[] from, int[] to, int n) {
        if (n == 0) {
            return CardProfile.EncodedWindows.NONE;
        }
        int size = 2;
        for (int i = 0; i < n; i++) {
            size += 10 + to[i] - from[i];
        }
        Out out = new Out(size);
        out.v(n);
        for (int i = 0; i < n; i++) {
            out.v(starts[i]).raw(bytes[i], from[i], to[i] - from[i]);
        }
        return new CardProfile.EncodedWindows(out.bytes());
    }

    /** The window whose body lies in {@code bytes[from, to)}, decoded. */
    static VelocityWindow window(String topic, byte[] bytes, int from, int to) {
        try {
            return window(ByteBuffer.wrap(bytes, from, to - from), V2);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("truncated or corrupt open velocity window in " + topic, e);
        }
    }

    private static CardProfile profile(ByteBuffer in, byte version) {
        if (version == V1) {
            return profileV1(in);
        }
        RunningStats amounts = new RunningStats(varLong(in), in.getDouble(), in.getDouble());
        long lastSeen = varLong(in);
        if (version == V2) {
            int n = varCount(in);
            Visits visits = Visits.withCapacity(n);
            readVisits(in, n, lastSeen, visits);
            return new CardProfile(amounts, visits, lastSeen, CardProfile.EncodedWindows.NONE);
        }
        CardProfile.EncodedWindows windows = CardProfile.EncodedWindows.NONE;
        int windowsLength = varLength(in);
        if (windowsLength > 0) {
            byte[] bytes = new byte[windowsLength];
            in.get(bytes);
            windows = new CardProfile.EncodedWindows(bytes);
        }
        int n = varCount(in);
        int length = varLength(in);
        ByteBuffer listed = in.slice(in.position(), length);
        in.position(in.position() + length);
        Visits visits = Visits.lazy(n, into -> {
            try {
                readVisits(listed, n, lastSeen, into);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new SerializationException("corrupt visits in a card profile's state", e);
            }
        });
        return new CardProfile(amounts, visits, lastSeen, windows);
    }

    private static void readVisits(ByteBuffer in, int n, long lastSeen, Visits into) {
        long ts = lastSeen;
        String country = null;
        double latitude = 0;
        double longitude = 0;
        for (int i = 0; i < n; i++) {
            int flags = in.get();
            // The id stays where it is: a reference into this record's bytes, copied as it is when written again.
            int idLength = varLength(in);
            int idOffset = in.arrayOffset() + in.position();
            in.position(in.position() + idLength);
            ts += varLong(in);
            boolean sameCountry = (flags & SAME_COUNTRY) != 0;
            boolean samePosition = (flags & SAME_POSITION) != 0;
            if (i == 0 && (sameCountry || samePosition)) {
                throw new IllegalArgumentException("first visit refers to a visit before it");
            }
            if (!sameCountry) {
                country = varString(in);
            }
            if (!samePosition) {
                latitude = in.getDouble();
                longitude = in.getDouble();
            }
            into.add(ts, country, latitude, longitude, (flags & EXACT) != 0, in.array(), idOffset, idLength);
        }
    }

    private static CardProfile profileV1(ByteBuffer in) {
        RunningStats amounts = new RunningStats(in.getLong(), in.getDouble(), in.getDouble());
        long lastSeen = in.getLong();
        int n = count(in);
        List<CardProfile.Visit> visits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            visits.add(new CardProfile.Visit(string(in), in.getLong(), string(in), in.getDouble(), in.getDouble(), in.get() != 0));
        }
        return new CardProfile(amounts, Visits.of(visits), lastSeen, CardProfile.EncodedWindows.NONE);
    }

    private static VelocityWindow window(ByteBuffer in, byte version) {
        if (version == V1) {
            return windowV1(in);
        }
        if (version == V3) {
            throw new IllegalArgumentException("a velocity window has no layout 3 (a card profile's layout)");
        }
        long count = varLong(in);
        long oldest = varLong(in);
        int n = varCount(in);
        VelocityWindow.Seen[] newest = new VelocityWindow.Seen[n];
        long ts = oldest;
        for (int i = 0; i < n; i++) {
            ts += varLong(in);
            newest[i] = new VelocityWindow.Seen(ts, varString(in));
        }
        return new VelocityWindow(count, oldest, List.of(newest));
    }

    private static VelocityWindow windowV1(ByteBuffer in) {
        long count = in.getLong();
        long oldest = in.getLong();
        int n = count(in);
        List<VelocityWindow.Seen> newest = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            newest.add(new VelocityWindow.Seen(in.getLong(), string(in)));
        }
        return new VelocityWindow(count, oldest, newest);
    }

    private interface Reader<T> {
        T read(ByteBuffer in, byte version);
    }

    private static <T> T read(String topic, byte[] bytes, Reader<T> reader) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != V1 && version != V2 && version != V3) {
                throw new SerializationException("fraud state of unknown format version " + version + " in " + topic);
            }
            return reader.read(in, version);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("truncated or corrupt fraud state in " + topic, e);
        }
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("bad element count " + n);
        }
        return n;
    }

    /** Zig-zag variable-length, as {@link Out#v} writes it. */
    private static long varLong(ByteBuffer in) {
        long z = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 63) {
                throw new IllegalArgumentException("variable-length number longer than 10 bytes");
            }
            byte b = in.get();
            z |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
    }

    private static int varCount(ByteBuffer in) {
        long n = varLong(in);
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("bad element count " + n);
        }
        return (int) n;
    }

    /** A non-null string's length, as {@link Out#utf8} writes it. */
    private static int varLength(ByteBuffer in) {
        long length = varLong(in);
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + length);
        }
        return (int) length;
    }

    private static String varString(ByteBuffer in) {
        long length = varLong(in);
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + length);
        }
        return utf8(in, (int) length);
    }

    private static String utf8(ByteBuffer in, int length) {
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + length);
        }
        return utf8(in, length);
    }

    /** A growable big-endian byte sink; cheaper than a DataOutputStream over a synchronized ByteArrayOutputStream. */
    private static final class Out {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        private byte[] buf;
        private int pos;

        Out(int size) {
            buf = new byte[size];
        }

        private int room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
            int at = pos;
            pos += n;
            return at;
        }

        Out b(byte v) {
            int at = room(1); // before reading buf: room may replace it
            buf[at] = v;
            return this;
        }

        Out l(long v) {
            int at = room(8);
            LONG.set(buf, at, v);
            return this;
        }

        /** Zig-zag variable-length: small magnitudes, negative or not, take few bytes. */
        Out v(long v) {
            long z = (v << 1) ^ (v >> 63);
            room(10);
            pos -= 10; // reserved the most a long can take; write from where it was
            byte[] b = buf;
            int at = pos;
            while ((z & ~0x7FL) != 0) {
                b[at++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            b[at++] = (byte) z;
            pos = at;
            return this;
        }

        Out d(double v) {
            return l(Double.doubleToRawLongBits(v));
        }

        /** UTF-8 after its variable-length length; null as length -1. */
        Out s(String v) {
            if (v == null) {
                return v(-1);
            }
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            utf8(utf8, 0, utf8.length);
            return this;
        }

        /** UTF-8 bytes after their variable-length length, as {@link #s} writes a string. */
        Out utf8(byte[] bytes, int offset, int length) {
            return v(length).raw(bytes, offset, length);
        }

        Out raw(byte[] bytes) {
            return raw(bytes, 0, bytes.length);
        }

        Out raw(byte[] bytes, int offset, int length) {
            int at = room(length);
            System.arraycopy(bytes, offset, buf, at, length);
            return this;
        }

        byte[] bytes() {
            return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
        }
    }
}
