package io.kaveri.streams.market;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The changelog format of {@link CandleState}: internal to the app (never in the registry), versioned by a
 * leading byte so that a later layout can still read an older changelog during restore.
 */
final class CandleStateSerde implements Serde<CandleState> {

    private static final byte V1 = 1;

    @Override
    public Serializer<CandleState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<CandleState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
    }

    private static byte[] write(CandleState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(V1);
            out.writeLong(s.count);
            if (s.count > 0) {
                out.writeLong(s.openTs);
                out.writeUTF(s.openId);
                out.writeLong(s.closeTs);
                out.writeUTF(s.closeId);
                for (BigDecimal d : new BigDecimal[] {s.open, s.close, s.high, s.low, s.volume, s.notional}) {
                    writeDecimal(out, d);
                }
            }
        } catch (IOException e) {
            throw new SerializationException("cannot write a candle state", e);
        }
        return bytes.toByteArray();
    }

    private static CandleState read(String topic, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != V1) {
                throw new SerializationException("candle state of unknown format version " + version + " in " + topic);
            }
            CandleState s = CandleState.empty();
            s.count = in.readLong();
            if (s.count > 0) {
                s.openTs = in.readLong();
                s.openId = in.readUTF();
                s.closeTs = in.readLong();
                s.closeId = in.readUTF();
                s.open = readDecimal(in);
                s.close = readDecimal(in);
                s.high = readDecimal(in);
                s.low = readDecimal(in);
                s.volume = readDecimal(in);
                s.notional = readDecimal(in);
            }
            return s;
        } catch (IOException e) {
            throw new SerializationException("truncated candle state in " + topic, e);
        }
    }

    private static void writeDecimal(DataOutputStream out, BigDecimal d) throws IOException {
        byte[] unscaled = d.unscaledValue().toByteArray();
        out.writeInt(d.scale());
        out.writeShort(unscaled.length);
        out.write(unscaled);
    }

    private static BigDecimal readDecimal(DataInputStream in) throws IOException {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readUnsignedShort()];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }
}
