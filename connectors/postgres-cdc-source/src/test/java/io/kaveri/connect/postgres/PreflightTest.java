package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.Catalog.Slot;
import io.kaveri.connect.postgres.Catalog.TableInfo;
import io.kaveri.connect.postgres.Preflight.Facts;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PreflightTest {

    private static final TableInfo USERS = new TableInfo(new TableId("shop", "users"), 'd', List.of("id"));
    private static final TableInfo LOG = new TableInfo(new TableId("shop", "log"), 'd', List.of());
    private static final TableInfo EVENTS = new TableInfo(new TableId("shop", "events"), 'f', List.of());

    private static Map<String, List<String>> judge(Facts facts, String... overrides) {
        Map<String, String> props = new HashMap<>(Fixtures.minimalConfig());
        for (int i = 0; i < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        return new Preflight(new PostgresCdcSourceConfig(props)).judge(facts);
    }

    private static Facts healthy(List<TableInfo> tables) {
        return new Facts(170006, "logical", true, Optional.empty(), 0, 10, false, Set.of(), tables);
    }

    @Test
    void aHealthyDatabasePasses() {
        assertThat(judge(healthy(List.of(USERS, EVENTS)))).isEmpty();
    }

    @Test
    void serverProblemsLandOnTheHostKeyWithTheFix() {
        Facts f = new Facts(130011, "replica", true, Optional.empty(), 0, 10, false, Set.of(), List.of(USERS));
        List<String> host = judge(f).get(PostgresCdcSourceConfig.HOSTNAME_CONFIG);
        assertThat(host).hasSize(2);
        assertThat(host.get(0)).contains("older than 14");
        assertThat(host.get(1)).contains("wal_level").contains("logical").contains("restart");
    }

    @Test
    void missingReplicationPrivilege() {
        Facts f = new Facts(170006, "logical", false, Optional.empty(), 0, 10, false, Set.of(), List.of(USERS));
        assertThat(judge(f).get(PostgresCdcSourceConfig.USER_CONFIG)).singleElement().asString()
                .contains("ALTER ROLE \"cdc\" REPLICATION");
    }

    @Test
    void slotProblems() {
        Facts full = new Facts(170006, "logical", true, Optional.empty(), 10, 10, false, Set.of(), List.of(USERS));
        assertThat(judge(full).get(PostgresCdcSourceConfig.SLOT_NAME_CONFIG)).singleElement().asString()
                .contains("max_replication_slots");
        Slot wrongPlugin = new Slot("kaveri", "wal2json", "shopdb", false, Lsn.INVALID, Lsn.INVALID);
        Facts other = new Facts(170006, "logical", true, Optional.of(wrongPlugin), 10, 10, false, Set.of(), List.of(USERS));
        assertThat(judge(other).get(PostgresCdcSourceConfig.SLOT_NAME_CONFIG)).singleElement().asString().contains("wal2json");
        Slot ours = new Slot("kaveri", "pgoutput", "shopdb", true, Lsn.INVALID, Lsn.INVALID);
        // An existing slot of ours needs no free slot.
        assertThat(judge(new Facts(170006, "logical", true, Optional.of(ours), 10, 10, false, Set.of(), List.of(USERS)))).isEmpty();
    }

    @Test
    void tablesThatCannotIdentifyRowsAreNamed() {
        List<String> errors = judge(healthy(List.of(USERS, LOG))).get(PostgresCdcSourceConfig.TABLE_INCLUDE_LIST_CONFIG);
        assertThat(errors).singleElement().asString().contains("shop.log").contains("no primary key")
                .contains("REPLICA IDENTITY FULL");
        // Excluding the table is one of the fixes.
        assertThat(judge(healthy(List.of(USERS, LOG)), "table.exclude.list", "shop\\.log")).isEmpty();
    }

    @Test
    void publicationProblems() {
        assertThat(judge(healthy(List.of(USERS)), "publication.autocreate.mode", "disabled")
                .get(PostgresCdcSourceConfig.PUBLICATION_NAME_CONFIG)).singleElement().asString().contains("CREATE PUBLICATION");
        Facts existing = new Facts(170006, "logical", true, Optional.empty(), 0, 10, true,
                Set.of(USERS.id()), List.of(USERS, EVENTS));
        assertThat(judge(existing)).isEmpty();
        assertThat(judge(existing, "table.include.list", "shop\\.events").get(PostgresCdcSourceConfig.PUBLICATION_NAME_CONFIG))
                .singleElement().asString().contains("ALTER PUBLICATION kaveri_publication ADD TABLE \"shop\".\"events\"");
    }

    @Test
    void nothingSelected() {
        assertThat(judge(healthy(List.of(USERS)), "table.include.list", "nope\\..*")
                .get(PostgresCdcSourceConfig.TABLE_INCLUDE_LIST_CONFIG)).singleElement().asString().contains("no table");
    }
}
