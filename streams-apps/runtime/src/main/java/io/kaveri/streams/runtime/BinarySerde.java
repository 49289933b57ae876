package io.kaveri.streams.runtime;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compact binary format for the values of an app's own state stores and changelogs, which no other program
 * reads. It is written and read once per record (or more: a windowed aggregate reads and writes its state on every
 * update), so it avoids what makes JSON slow there: no field names, no text numbers (a double is its 8 bytes, not a
 * shortest-decimal conversion each way), no reflection.
 *
 * <p>Each value starts with a layout version byte (1 to 122). The app writes the newest layout and its reader is
 * given the version it finds, so a store written by the previous release restores into the next. A store that was
 * JSON before can keep restoring: with {@link #readingJson}, a value starting with '{' (never a version) is read by
 * {@link JsonSerde}.
 */
public final class BinarySerde<T> implements Serde<T> {

    /** Writes a value's fields (the version byte is already written). */
    @FunctionalInterface
    public interface Writer<T> {
        void write(Output out, T value);
    }

    /** Reads a value written in layout {@code version}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Input in, int version);
    }

    private static final int MAX_VERSION = '{' - 1;

    private final Class<T> type;
    private final int version;
    private final Writer<T> writer;
    private final Reader<T> reader;
    private final Deserializer<T> json;

    private BinarySerde(Class<T> type, int version, Writer<T> writer, Reader<T> reader, Deserializer<T> json) {
        if (version < 1 || version > MAX_VERSION) {
            throw new IllegalArgumentException("a layout version is 1 to " + MAX_VERSION + "; got " + version);
        }
        this.type = type;
        this.version = version;
        this.writer = writer;
        this.reader = reader;
        this.json = json;
    }

    /** @param version the layout {@code writer} writes, 1 to 122 */
    public static <T> BinarySerde<T> of(Class<T> type, int version, Writer<T> writer, Reader<T> reader) {
        return new BinarySerde<>(type, version, writer, reader, null);
    }

    /** The same serde, also reading values that an earlier release wrote with {@link JsonSerde}. */
    public BinarySerde<T> readingJson() {
        return new BinarySerde<>(type, version, writer, reader, JsonSerde.of(type).deserializer());
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            Output out = new Output();
            out.writeByte(version);
            writer.write(out, value);
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0) {
                throw new SerializationException("empty " + type.getSimpleName() + " in topic " + topic);
            }
            int found = bytes[0];
            if (found == '{' && json != null) {
                return json.deserialize(topic, bytes);
            }
            if (found < 1 || found > version) {
                throw new SerializationException(type.getSimpleName() + " of unknown layout version " + found
                        + " in topic " + topic + " (this release reads 1 to " + version + ")");
            }
            Input in = new Input(bytes, 1);
            try {
                return reader.read(in, found);
            } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + " layout " + found
                        + " from topic " + topic + ": truncated or corrupt", e);
            }
        };
    }

    /** A growable buffer; integers are variable-length (small values take one byte), doubles their IEEE bits. */
    public static final class Output {
        private byte[] buf = new byte[64];
        private int pos;

        Output() {
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        public Output writeByte(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
            return this;
        }

        public Output writeBoolean(boolean b) {
            return writeByte(b ? 1 : 0);
        }

        /** Zig-zag variable-length: small magnitudes, negative or not, take few bytes. */
        public Output writeLong(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[pos++] = (byte) z;
            return this;
        }

        public Output writeInt(int v) {
            return writeLong(v);
        }

        public Output writeDouble(double v) {
            long bits = Double.doubleToRawLongBits(v);
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[pos++] = (byte) (bits >>> shift);
            }
            return this;
        }

        /** UTF-8 with its length; null is written as length -1. */
        public Output writeString(String s) {
            if (s == null) {
                return writeLong(-1);
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeLong(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, pos, utf8.length);
            pos += utf8.length;
            return this;
        }

        /** Exact: scale and unscaled value, the latter as a variable-length long when it fits one. Not null. */
        public Output writeDecimal(BigDecimal d) {
            writeInt(d.scale());
            BigInteger unscaled = d.unscaledValue();
            if (unscaled.bitLength() < 64) {
                writeByte(0);
                return writeLong(unscaled.longValue());
            }
            byte[] big = unscaled.toByteArray();
            writeByte(1);
            writeLong(big.length);
            ensure(big.length);
            System.arraycopy(big, 0, buf, pos, big.length);
            pos += big.length;
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reads what {@link Output} wrote, in the same order. */
    public static final class Input {
        private final byte[] buf;
        private int pos;

        Input(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        public int readByte() {
            return buf[pos++];
        }

        public boolean readBoolean() {
            return readByte() != 0;
        }

        public long readLong() {
            long z = 0;
            int shift = 0;
            byte b;
            do {
                if (shift > 63) {
                    throw new IllegalArgumentException("variable-length long longer than 10 bytes");
                }
                b = buf[pos++];
                z |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            return (z >>> 1) ^ -(z & 1);
        }

        public int readInt() {
            return Math.toIntExact(readLong());
        }

        public double readDouble() {
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (buf[pos++] & 0xFF);
            }
            return Double.longBitsToDouble(bits);
        }

        public String readString() {
            int length = readInt();
            if (length < 0) {
                return null;
            }
            String s = new String(buf, pos, checkedLength(length), StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        public BigDecimal readDecimal() {
            int scale = readInt();
            int form = readByte();
            if (form == 0) {
                return BigDecimal.valueOf(readLong(), scale);
            }
            int length = checkedLength(readInt());
            BigInteger unscaled = new BigInteger(buf, pos, length);
            pos += length;
            return new BigDecimal(unscaled, scale);
        }

        public int remaining() {
            return buf.length - pos;
        }

        /** Bytes as they are, for layouts that were not written by {@link Output}. */
        public byte[] readRaw(int length) {
            byte[] raw = Arrays.copyOfRange(buf, pos, pos + checkedLength(length));
            pos += length;
            return raw;
        }

        private int checkedLength(int length) {
            if (length < 0 || length > buf.length - pos) {
                throw new IllegalArgumentException("length " + length + " beyond the " + (buf.length - pos) + " bytes left");
            }
            return length;
        }
    }
}
