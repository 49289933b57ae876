package io.kaveri.streams.leaderboard;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changelog formats of the leaderboard's internal state (never in the registry), each led by a format version
 * byte so that a later layout can still restore an older changelog.
 */
final class StandingSerdes {

    private static final byte V1 = 1;

    private StandingSerdes() {
    }

    static Serde<Standing> standing() {
        return Serdes.serdeFrom((topic, s) -> s == null ? null : write(List.of(s)),
                (topic, bytes) -> bytes == null ? null : read(topic, bytes).get(0));
    }

    static Serde<TopK> topK() {
        return Serdes.serdeFrom((topic, top) -> top == null ? null : write(top.ranked()),
                (topic, bytes) -> bytes == null ? null : new TopK(read(topic, bytes)));
    }

    private static byte[] write(List<Standing> standings) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * standings.size() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(V1);
            out.writeInt(standings.size());
            for (Standing s : standings) {
                out.writeUTF(s.playerId());
                out.writeLong(s.score());
                out.writeLong(s.reachedAt());
            }
        } catch (IOException e) {
            throw new SerializationException("cannot write leaderboard state", e);
        }
        return bytes.toByteArray();
    }

    private static List<Standing> read(String topic, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != V1) {
                throw new SerializationException("leaderboard state of unknown format version " + version + " in " + topic);
            }
            int n = in.readInt();
            List<Standing> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Standing(in.readUTF(), in.readLong(), in.readLong()));
            }
            return out;
        } catch (IOException e) {
            throw new SerializationException("truncated leaderboard state in " + topic, e);
        }
    }
}
