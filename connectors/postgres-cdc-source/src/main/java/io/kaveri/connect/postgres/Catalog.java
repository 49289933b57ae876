package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.TableSchema.ColumnSpec;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The catalog queries of the connector, on an ordinary (not replication) connection. */
final class Catalog {

    /** A replication slot as {@code pg_replication_slots} shows it. */
    record Slot(String name, String plugin, String database, boolean active, Lsn confirmedFlush, Lsn restartLsn) {
    }

    /** What {@code validate()} and the reader need to know of a table. */
    record TableInfo(TableId id, char replicaIdentity, List<String> primaryKey) {
    }

    private final Connection connection;
    private final Map<Integer, PgType> userTypes = new HashMap<>();

    Catalog(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    int serverVersionNum() throws SQLException {
        return Integer.parseInt(single("SHOW server_version_num"));
    }

    String setting(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** True when the current user may use replication (REPLICATION attribute or superuser). */
    boolean canReplicate() throws SQLException {
        return Boolean.parseBoolean(single("SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user"));
    }

    Optional<Slot> slot(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT slot_name, plugin, database, active, "
                + "confirmed_flush_lsn::text, restart_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Slot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        lsn(rs.getString(5)), lsn(rs.getString(6))));
            }
        }
    }

    int slotCount() throws SQLException {
        return Integer.parseInt(single("SELECT count(*) FROM pg_replication_slots"));
    }

    boolean publicationExists(String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The tables a publication sends. */
    Set<TableId> publicationTables(String publication) throws SQLException {
        Set<TableId> tables = new LinkedHashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1, 2")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableId(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return tables;
    }

    /** Every ordinary and partitioned user table, with replica identity and primary key. */
    List<TableInfo> userTables() throws SQLException {
        List<TableInfo> tables = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname, c.relreplident, "
                     + "(SELECT array_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum)) "
                     + "   FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                     + "  WHERE i.indrelid = c.oid AND i.indisprimary) "
                     + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                     + "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2")) {
            while (rs.next()) {
                java.sql.Array pk = rs.getArray(4);
                List<String> key = pk == null ? List.of() : List.of((String[]) pk.getArray());
                tables.add(new TableInfo(new TableId(rs.getString(1), rs.getString(2)), rs.getString(3).charAt(0), key));
            }
        }
        return tables;
    }

    /** The primary key columns of a table, in key order; empty when it has none. */
    List<String> primaryKey(TableId table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT a.attname FROM pg_index i "
                + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                + "WHERE i.indrelid = to_regclass(?) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** The live columns of a table with their types; key = primary key column. */
    List<ColumnSpec> columns(TableId table) throws SQLException {
        List<String> key = primaryKey(table);
        List<ColumnSpec> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT attname, atttypid, atttypmod FROM pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, table.quoted());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.add(new ColumnSpec(name, rs.getInt(2), rs.getInt(3), key.contains(name)));
                }
            }
        }
        return columns;
    }

    /** A type that is not built in (enum, domain, array of those), or null; cached, since types rarely change. */
    PgType userType(int oid) {
        return userTypes.computeIfAbsent(oid, this::loadType);
    }

    private PgType loadType(int oid) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT n.nspname, t.typname, "
                + "CASE WHEN t.typcategory = 'A' THEN 'a' ELSE t.typtype END, "
                + "CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.typbasetype END, "
                + "(SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) "
                + "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?")) {
            ps.setInt(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                java.sql.Array labels = rs.getArray(5);
                return new PgType(oid, rs.getString(1), rs.getString(2), rs.getString(3).charAt(0), (int) rs.getLong(4),
                        labels == null ? List.of() : List.of((String[]) labels.getArray()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading type oid " + oid + " from pg_type: " + e.getMessage(), e);
        }
    }

    private String single(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Lsn lsn(String text) {
        return text == null ? Lsn.INVALID : Lsn.parse(text);
    }
}
