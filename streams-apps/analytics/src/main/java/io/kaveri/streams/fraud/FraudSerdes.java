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

/**
 * Changelog formats of the fraud app's own state (never in the registry): a format version byte, then fixed-width
 * big-endian numbers and length-prefixed UTF-8 strings. Every payment reads and writes a card's profile and its
 * velocity window, so these are on the hot path; JSON cost several times more, mostly printing and parsing
 * doubles. A value that starts with {@code '{'} is the JSON of earlier releases and is still read, so a changelog
 * written before the switch restores.
 */
final class FraudSerdes {

    private static final byte V1 = 1;
    private static final byte JSON = '{';

    private FraudSerdes() {
    }

    static Serde<CardProfile> cardProfile() {
        Deserializer<CardProfile> json = JsonSerde.of(CardProfile.class).deserializer();
        return Serdes.serdeFrom((topic, p) -> p == null ? null : write(p),
                (topic, bytes) -> bytes == null ? null
                        : bytes.length > 0 && bytes[0] == JSON ? json.deserialize(topic, bytes) : read(topic, bytes, FraudSerdes::profile));
    }

    static Serde<VelocityWindow> velocityWindow() {
        Deserializer<VelocityWindow> json = JsonSerde.of(VelocityWindow.class).deserializer();
        return Serdes.serdeFrom((topic, w) -> w == null ? null : write(w),
                (topic, bytes) -> bytes == null ? null
                        : bytes.length > 0 && bytes[0] == JSON ? json.deserialize(topic, bytes) : read(topic, bytes, FraudSerdes::window));
    }

    static byte[] write(CardProfile p) {
        Out out = new Out(40 + 48 * p.visits().size());
        out.b(V1);
        out.l(p.amounts().count()).d(p.amounts().mean()).d(p.amounts().m2()).l(p.lastSeen());
        out.i(p.visits().size());
        for (CardProfile.Visit v : p.visits()) {
            out.s(v.paymentId()).l(v.ts()).s(v.country()).d(v.latitude()).d(v.longitude()).b(v.exact() ? (byte) 1 : 0);
        }
        return out.bytes();
    }

    static byte[] write(VelocityWindow w) {
        Out out = new Out(24 + 24 * w.newest().size());
        out.b(V1);
        out.l(w.count()).l(w.oldestTs()).i(w.newest().size());
        for (VelocityWindow.Seen s : w.newest()) {
            out.l(s.ts()).s(s.paymentId());
        }
        return out.bytes();
    }

    private static CardProfile profile(ByteBuffer in) {
        RunningStats amounts = new RunningStats(in.getLong(), in.getDouble(), in.getDouble());
        long lastSeen = in.getLong();
        int n = count(in);
        List<CardProfile.Visit> visits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            visits.add(new CardProfile.Visit(string(in), in.getLong(), string(in), in.getDouble(), in.getDouble(), in.get() != 0));
        }
        return new CardProfile(amounts, visits, lastSeen);
    }

    private static VelocityWindow window(ByteBuffer in) {
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
        T read(ByteBuffer in);
    }

    private static <T> T read(String topic, byte[] bytes, Reader<T> reader) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != V1) {
                throw new SerializationException("fraud state of unknown format version " + version + " in " + topic);
            }
            return reader.read(in);
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

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("bad string length " + length);
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /** A growable big-endian byte sink; cheaper than a DataOutputStream over a synchronized ByteArrayOutputStream. */
    private static final class Out {
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
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
            buf[room(1)] = v;
            return this;
        }

        Out i(int v) {
            INT.set(buf, room(4), v);
            return this;
        }

        Out l(long v) {
            LONG.set(buf, room(8), v);
            return this;
        }

        Out d(double v) {
            return l(Double.doubleToRawLongBits(v));
        }

        Out s(String v) {
            if (v == null) {
                return i(-1);
            }
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            i(utf8.length);
            System.arraycopy(utf8, 0, buf, room(utf8.length), utf8.length);
            return this;
        }

        byte[] bytes() {
            return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
        }
    }
}
