package io.kaveri.connect.postgres;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a snapshot interrupted by a crash was resumed. A snapshot reads the tables in a fixed order, each by primary key;
 * Kafka holds every row up to the last committed one. A resumed snapshot reads the rows after that row in a new
 * snapshot (of a temporary slot, at its consistent point), while streaming still starts at the first snapshot's
 * consistent point: so a streamed change of a transaction that committed before the new snapshot's consistent point,
 * on a row the new snapshot read, is already in that read and is skipped; every other change is sent. Each crash adds
 * a {@link Point}; a row belongs to the last point it comes after.
 *
 * <p>Stored in the offsets (a string: offsets hold primitives only) of the resumed snapshot's records and of the
 * streamed records until streaming passes the last point's LSN, so that a crash in between resumes the same way.
 */
record SnapshotResumes(List<Point> points) {

    static final SnapshotResumes NONE = new SnapshotResumes(List.of());

    /**
     * The rows after {@code table}/{@code key} (in snapshot order) were read in a snapshot at {@code snapshotLsn}.
     *
     * @param key the primary key's text values of the last row Kafka had; empty for a table without one (it is read
     *            again from its first row)
     */
    record Point(TableId table, List<String> key, Lsn snapshotLsn) {
        Point {
            key = List.copyOf(key);
        }
    }

    /** Whether one key of a table comes after another in the snapshot's ORDER BY (the database decides). */
    interface KeyOrder {
        boolean after(TableId table, List<String> key, List<String> boundary);
    }

    SnapshotResumes {
        points = List.copyOf(points);
    }

    boolean isEmpty() {
        return points.isEmpty();
    }

    SnapshotResumes plus(Point p) {
        List<Point> all = new ArrayList<>(points);
        all.add(p);
        return new SnapshotResumes(all);
    }

    /** The LSN until which streamed changes may already be in a resumed read; invalid when there is none. */
    Lsn until() {
        return points.stream().map(Point::snapshotLsn).reduce(Lsn.INVALID, Lsn::max);
    }

    /**
     * True when the change of {@code key} in {@code table}, from the transaction committing at {@code commitLsn}, is
     * already in the resumed read that holds the row.
     *
     * @param order the tables in snapshot order; a table not in it was not snapshotted
     */
    boolean covers(TableId table, List<String> key, Lsn commitLsn, List<TableId> order, KeyOrder keys) {
        int index = order.indexOf(table);
        if (index < 0 || !commitLsn.isValid()) {
            return false;
        }
        for (int i = points.size() - 1; i >= 0; i--) {
            Point p = points.get(i);
            int boundary = order.indexOf(p.table());
            boolean after = index > boundary
                    || (index == boundary && (p.key().isEmpty() || keys.after(table, key, p.key())));
            if (after) {
                return commitLsn.compareTo(p.snapshotLsn()) < 0;
            }
        }
        return false;
    }

    /** {@code schema/table/key1,key2/lsn;...}, each name and value URL-encoded. */
    String encode() {
        return points.stream().map(p -> enc(p.table().schema()) + "/" + enc(p.table().table()) + "/"
                + encodeKey(p.key()) + "/" + p.snapshotLsn().value())
                .collect(Collectors.joining(";"));
    }

    /** @throws IllegalArgumentException when the text is not what {@link #encode()} writes */
    static SnapshotResumes parse(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        List<Point> points = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] f = part.split("/", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("not a snapshot resume point: '" + part + "'");
            }
            points.add(new Point(new TableId(dec(f[0]), dec(f[1])), decodeKey(f[2]), Lsn.of(Long.parseLong(f[3]))));
        }
        return new SnapshotResumes(points);
    }

    /** Encodes a key for an offset; see {@link #decodeKey}. */
    static String encodeKey(List<String> key) {
        return key.stream().map(SnapshotResumes::enc).collect(Collectors.joining(","));
    }

    static List<String> decodeKey(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.stream(text.split(",", -1)).map(SnapshotResumes::dec).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
