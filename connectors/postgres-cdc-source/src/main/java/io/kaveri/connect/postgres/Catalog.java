package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.TableSchema.ColumnSpec;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static final String PRIMARY_KEY_COLUMNS = "(SELECT array_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum)) "
            + "FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            + "WHERE i.indrelid = c.oid AND i.indisprimary)";

    private final Connection connection;
    private final Map<Integer, PgType> userTypes = new HashMap<>();

    Catalog(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    int serverVersionNum() throws SQLException {
        return Integer.parseInt(setting("server_version_num"));
    }

    String setting(String name) throws SQLException {
        return query("SELECT current_setting(?)", name, Catalog::first);
    }

    /** True when the current user may use replication (REPLICATION attribute or superuser). */
    boolean canReplicate() throws SQLException {
        return Boolean.parseBoolean(query("SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user",
                null, Catalog::first));
    }

    Optional<Slot> slot(String name) throws SQLException {
        return query("SELECT slot_name, plugin, database, active, confirmed_flush_lsn::text, restart_lsn::text "
                + "FROM pg_replication_slots WHERE slot_name = ?", name, rs -> rs.next()
                ? Optional.of(new Slot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        lsn(rs.getString(5)), lsn(rs.getString(6))))
                : Optional.empty());
    }

    int slotCount() throws SQLException {
        return Integer.parseInt(query("SELECT count(*) FROM pg_replication_slots", null, Catalog::first));
    }

    boolean publicationExists(String name) throws SQLException {
        return query("SELECT 1 FROM pg_publication WHERE pubname = ?", name, ResultSet::next);
    }

    /** The tables a publication sends. */
    Set<TableId> publicationTables(String publication) throws SQLException {
        return query("SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1, 2", publication, rs -> {
            Set<TableId> tables = new LinkedHashSet<>();
            while (rs.next()) {
                tables.add(new TableId(rs.getString(1), rs.getString(2)));
            }
            return tables;
        });
    }

    /** Every ordinary and partitioned user table, with replica identity and primary key. */
    List<TableInfo> userTables() throws SQLException {
        return query("SELECT n.nspname, c.relname, c.relreplident, " + PRIMARY_KEY_COLUMNS + " "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                + "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1, 2", null, rs -> {
                    List<TableInfo> tables = new ArrayList<>();
                    while (rs.next()) {
                        tables.add(new TableInfo(new TableId(rs.getString(1), rs.getString(2)), rs.getString(3).charAt(0),
                                strings(rs.getArray(4))));
                    }
                    return tables;
                });
    }

    /** The primary key columns of a table, in key order; empty when it has none. */
    List<String> primaryKey(TableId table) throws SQLException {
        return query("SELECT " + PRIMARY_KEY_COLUMNS + " FROM pg_class c WHERE c.oid = to_regclass(?)", table.quoted(),
                rs -> rs.next() ? strings(rs.getArray(1)) : List.of());
    }

    /** The SQL types of the primary key columns ({@code format_type}), in key order. */
    List<String> primaryKeyTypes(TableId table) throws SQLException {
        List<String> key = primaryKey(table);
        Map<String, String> types = query("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped", table.quoted(), rs -> {
                    Map<String, String> m = new HashMap<>();
                    while (rs.next()) {
                        m.put(rs.getString(1), rs.getString(2));
                    }
                    return m;
                });
        return key.stream().map(types::get).toList();
    }

    /** The live columns of a table with their types; key = primary key column. */
    List<ColumnSpec> columns(TableId table) throws SQLException {
        List<String> key = primaryKey(table);
        return query("SELECT attname, atttypid, atttypmod FROM pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum", table.quoted(), rs -> {
                    List<ColumnSpec> columns = new ArrayList<>();
                    while (rs.next()) {
                        String name = rs.getString(1);
                        columns.add(new ColumnSpec(name, rs.getInt(2), rs.getInt(3), key.contains(name)));
                    }
                    return columns;
                });
    }

    /** A type that is not built in (enum, domain, array of those), or null; cached, since types rarely change. */
    PgType userType(int oid) {
        return userTypes.computeIfAbsent(oid, this::loadType);
    }

    private PgType loadType(int oid) {
        try {
            return query("SELECT n.nspname, t.typname, "
                    + "CASE WHEN t.typcategory = 'A' THEN 'a' ELSE t.typtype END, "
                    + "CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.typbasetype END, "
                    + "(SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) "
                    + "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?", oid, rs -> rs.next()
                    ? new PgType(oid, rs.getString(1), rs.getString(2), rs.getString(3).charAt(0), (int) rs.getLong(4),
                            strings(rs.getArray(5)))
                    : null);
        } catch (SQLException e) {
            throw new IllegalStateException("reading type oid " + oid + " from pg_type: " + e.getMessage(), e);
        }
    }

    private <T> T query(String sql, Object parameter, Rows<T> rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (parameter != null) {
                ps.setObject(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rows.read(rs);
            }
        }
    }

    private static String first(ResultSet rs) throws SQLException {
        rs.next();
        return rs.getString(1);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Lsn lsn(String text) {
        return text == null ? Lsn.INVALID : Lsn.parse(text);
    }
}
