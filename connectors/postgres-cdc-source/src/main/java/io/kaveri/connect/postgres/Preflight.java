package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.Catalog.Slot;
import io.kaveri.connect.postgres.Catalog.TableInfo;
import io.kaveri.connect.postgres.PostgresCdcSourceConfig.PublicationMode;
import org.apache.kafka.common.config.ConfigValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.kaveri.connect.postgres.PostgresCdcSourceConfig.HOSTNAME_CONFIG;
import static io.kaveri.connect.postgres.PostgresCdcSourceConfig.PUBLICATION_NAME_CONFIG;
import static io.kaveri.connect.postgres.PostgresCdcSourceConfig.SLOT_NAME_CONFIG;
import static io.kaveri.connect.postgres.PostgresCdcSourceConfig.TABLE_INCLUDE_LIST_CONFIG;
import static io.kaveri.connect.postgres.PostgresCdcSourceConfig.USER_CONFIG;

/**
 * Checks the database before anything runs, so that a user sees each problem, with its fix, in the Connect REST
 * response of {@code validate}: reachability, server version, {@code wal_level}, the REPLICATION privilege, the
 * slot, {@code max_replication_slots} headroom, the publication, and tables whose replica identity cannot identify
 * rows. Facts are gathered once; judging them is a pure function.
 */
final class Preflight {

    private static final Logger log = LoggerFactory.getLogger(Preflight.class);
    static final int MIN_SERVER_VERSION = 140000;

    /** What the checks look at. */
    record Facts(int serverVersionNum, String walLevel, boolean canReplicate, Optional<Slot> slot, int slotCount,
                 int maxReplicationSlots, boolean publicationExists, Set<TableId> publicationTables,
                 List<TableInfo> tables) {
    }

    private final PostgresCdcSourceConfig config;

    Preflight(PostgresCdcSourceConfig config) {
        this.config = config;
    }

    /** Adds an error message to the value of each key with a problem. */
    void check(Map<String, ConfigValue> values) {
        Facts facts;
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.jdbcProperties(false))) {
            facts = gather(new Catalog(c));
        } catch (SQLException e) {
            values.get(HOSTNAME_CONFIG).addErrorMessage("cannot connect to " + config.jdbcUrl() + " as " + config.user()
                    + ": " + e.getMessage() + " (check host, port, database, credentials and pg_hba.conf)");
            return;
        }
        judge(facts).forEach((key, messages) -> messages.forEach(values.get(key)::addErrorMessage));
    }

    private Facts gather(Catalog catalog) throws SQLException {
        boolean publicationExists = catalog.publicationExists(config.publicationName());
        return new Facts(catalog.serverVersionNum(), catalog.setting("wal_level"), catalog.canReplicate(),
                catalog.slot(config.slotName()), catalog.slotCount(),
                Integer.parseInt(catalog.setting("max_replication_slots")), publicationExists,
                publicationExists ? catalog.publicationTables(config.publicationName()) : Set.of(), catalog.userTables());
    }

    /** The problems, by configuration key. */
    Map<String, List<String>> judge(Facts f) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (f.serverVersionNum() < MIN_SERVER_VERSION) {
            add(errors, HOSTNAME_CONFIG, "PostgreSQL " + f.serverVersionNum() + " is older than 14, the oldest this "
                    + "connector supports: upgrade the server");
        }
        if (!"logical".equals(f.walLevel())) {
            add(errors, HOSTNAME_CONFIG, "wal_level is '" + f.walLevel() + "': set wal_level = logical in "
                    + "postgresql.conf (ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL");
        }
        if (!f.canReplicate()) {
            add(errors, USER_CONFIG, "user '" + config.user() + "' may not use replication: ALTER ROLE \"" + config.user()
                    + "\" REPLICATION");
        }
        if (f.slot().isPresent()) {
            Slot s = f.slot().get();
            if (!"pgoutput".equals(s.plugin())) {
                add(errors, SLOT_NAME_CONFIG, "slot '" + s.name() + "' exists with plugin " + s.plugin()
                        + ": drop it or choose another slot.name");
            } else if (!config.database().equals(s.database())) {
                add(errors, SLOT_NAME_CONFIG, "slot '" + s.name() + "' belongs to database " + s.database()
                        + ": choose another slot.name");
            } else if (s.active()) {
                log.warn("slot={} is in use by another connection; the task will wait for it", s.name());
            }
        } else if (f.slotCount() >= f.maxReplicationSlots()) {
            add(errors, SLOT_NAME_CONFIG, "all " + f.maxReplicationSlots() + " replication slots are in use "
                    + "(max_replication_slots): drop an unused one or raise max_replication_slots and restart PostgreSQL");
        }
        TableFilter filter = config.tableFilter();
        List<TableInfo> captured = f.tables().stream().filter(t -> filter.test(t.id()))
                .filter(t -> !f.publicationExists() || f.publicationTables().contains(t.id())
                        || filter.hasIncludes())
                .toList();
        if (!f.publicationExists() && config.publicationMode() == PublicationMode.DISABLED) {
            add(errors, PUBLICATION_NAME_CONFIG, "publication '" + config.publicationName() + "' does not exist and "
                    + "publication.autocreate.mode=disabled: CREATE PUBLICATION " + config.publicationName()
                    + " FOR TABLE ..., or set publication.autocreate.mode=filtered");
        }
        if (captured.isEmpty()) {
            add(errors, TABLE_INCLUDE_LIST_CONFIG, "no table of database " + config.database() + " is selected by "
                    + "table.include.list / table.exclude.list" + (f.publicationExists() ? " and publication "
                    + config.publicationName() : ""));
        }
        for (TableInfo t : captured) {
            if (f.publicationExists() && !f.publicationTables().contains(t.id())) {
                add(errors, PUBLICATION_NAME_CONFIG, "table " + t.id() + " is selected but not in publication "
                        + config.publicationName() + ": ALTER PUBLICATION " + config.publicationName() + " ADD TABLE "
                        + t.id().quoted());
            }
            boolean noKey = t.primaryKey().isEmpty();
            if (t.replicaIdentity() == 'n' || (noKey && t.replicaIdentity() == 'd')) {
                add(errors, TABLE_INCLUDE_LIST_CONFIG, "table " + t.id() + " has " + (noKey ? "no primary key and " : "")
                        + "REPLICA IDENTITY " + (t.replicaIdentity() == 'n' ? "NOTHING" : "DEFAULT")
                        + ": PostgreSQL refuses its updates and deletes once it is published. Add a primary key or "
                        + "ALTER TABLE " + t.id().quoted() + " REPLICA IDENTITY FULL, or exclude the table");
            } else if (t.replicaIdentity() == 'd') {
                log.warn("table={} has REPLICA IDENTITY DEFAULT: update events carry no before image and unchanged "
                        + "TOASTed columns arrive as {}; ALTER TABLE {} REPLICA IDENTITY FULL gives both",
                        t.id(), EventFactory.UNAVAILABLE_VALUE, t.id().quoted());
            }
        }
        return errors;
    }

    private static void add(Map<String, List<String>> errors, String key, String message) {
        errors.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(message);
    }
}
