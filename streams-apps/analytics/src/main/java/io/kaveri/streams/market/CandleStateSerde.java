package io.kaveri.streams.market;

import io.kaveri.streams.runtime.BinarySerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The changelog format of {@link CandleState}: internal to the app (never in the registry), versioned by a
 * leading byte so that a later layout can still read an older changelog during restore. Layout 2 writes prices
 * and amounts as variable-length unscaled longs (the hopping aggregate reads and writes a state five times per
 * trade, so this is on the hot path); layout 1, fixed-width fields, is still read.
 */
final class CandleStateSerde implements Serde<CandleState> {

    private static final int LAYOUT = 2;

    private final BinarySerde<CandleState> binary = BinarySerde.of(CandleState.class, LAYOUT,
            CandleStateSerde::write, CandleStateSerde::read);

    @Override
    public Serializer<CandleState> serializer() {
        return binary.serializer();
    }

    @Override
    public Deserializer<CandleState> deserializer() {
        return binary.deserializer();
    }

    private static void write(BinarySerde.Output out, CandleState s) {
        out.writeLong(s.count);
        if (s.count > 0) {
            out.writeLong(s.openTs).writeString(s.openId).writeLong(s.closeTs).writeString(s.closeId)
                    .writeDecimal(s.open).writeDecimal(s.close).writeDecimal(s.high).writeDecimal(s.low)
                    .writeDecimal(s.volume).writeDecimal(s.notional);
        }
    }

    private static CandleState read(BinarySerde.Input in, int layout) {
        if (layout == 1) {
            return readLayout1(in.readRaw(in.remaining()));
        }
        CandleState s = CandleState.empty();
        s.count = in.readLong();
        if (s.count > 0) {
            s.openTs = in.readLong();
            s.openId = in.readString();
            s.closeTs = in.readLong();
            s.closeId = in.readString();
            s.open = in.readDecimal();
            s.close = in.readDecimal();
            s.high = in.readDecimal();
            s.low = in.readDecimal();
            s.volume = in.readDecimal();
            s.notional = in.readDecimal();
        }
        return s;
    }

    /** Layout 1, after its version byte: {@link java.io.DataOutput} longs, UTF strings and decimals. */
    private static CandleState readLayout1(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            CandleState s = CandleState.empty();
            s.count = in.readLong();
            if (s.count > 0) {
                s.openTs = in.readLong();
                s.openId = in.readUTF();
                s.closeTs = in.readLong();
                s.closeId = in.readUTF();
                s.open = readLayout1Decimal(in);
                s.close = readLayout1Decimal(in);
                s.high = readLayout1Decimal(in);
                s.low = readLayout1Decimal(in);
                s.volume = readLayout1Decimal(in);
                s.notional = readLayout1Decimal(in);
            }
            return s;
        } catch (IOException e) {
            throw new SerializationException("truncated candle state of layout 1", e);
        }
    }

    private static BigDecimal readLayout1Decimal(DataInputStream in) throws IOException {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readUnsignedShort()];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }
}
