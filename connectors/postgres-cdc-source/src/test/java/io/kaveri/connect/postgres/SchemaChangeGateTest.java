package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.TableSchema.ColumnSpec;
import io.kaveri.schemas.connect.AvroData;
import io.kaveri.schemas.registry.MockSchemaRegistry;
import io.kaveri.schemas.registry.SchemaRegistryClient;
import io.kaveri.schemas.registry.SchemaRegistryClients;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaChangeGateTest {

    private final String scope = "gate-" + UUID.randomUUID();
    private final SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://" + scope));
    private final AvroData avro = new AvroData(Map.of());

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.drop(scope);
    }

    private static TableSchema users(ColumnSpec... extra) {
        List<ColumnSpec> columns = new ArrayList<>(Fixtures.users().specs());
        columns.addAll(List.of(extra));
        return new TableSchema(Fixtures.USERS, "app", columns, Fixtures.types(), EventFactory.SOURCE_SCHEMA);
    }

    /** users with {@code note} as int4 instead of text: a reader of text cannot read it. */
    private static TableSchema usersWithIntNote() {
        List<ColumnSpec> columns = new ArrayList<>(Fixtures.users().specs());
        columns.set(2, new ColumnSpec("note", TypeMapper.INT4, -1, false));
        return new TableSchema(Fixtures.USERS, "app", columns, Fixtures.types(), EventFactory.SOURCE_SCHEMA);
    }

    private SchemaChangeGate gate(SchemaChangeGate.Policy policy) {
        return new SchemaChangeGate(registry, "mock://" + scope, policy);
    }

    private void registerAsTheConverterWould(String topic, TableSchema t) {
        registry.register(topic + "-value", avro.fromConnectSchema(t.envelopeSchema()), false);
    }

    @Test
    void withoutRegistryEverySchemaPasses() {
        TableSchema changed = usersWithIntNote();
        assertThat(new SchemaChangeGate(null, "", SchemaChangeGate.Policy.FAIL).admit(changed)).isSameAs(changed);
    }

    @Test
    void aFirstSchemaAndAnAddedNullableColumnKeepTheirTopic() {
        SchemaChangeGate gate = gate(SchemaChangeGate.Policy.FAIL);
        assertThat(gate.admit(Fixtures.users()).topic()).isEqualTo("app.shop.users");
        registerAsTheConverterWould("app.shop.users", Fixtures.users());
        TableSchema added = users(new ColumnSpec("email", TypeMapper.TEXT, -1, false));
        assertThat(gate.admit(added).topic()).isEqualTo("app.shop.users");
    }

    @Test
    void aTypeChangeUnderFailNamesTableColumnSubjectAndFix() {
        registerAsTheConverterWould("app.shop.users", Fixtures.users());
        assertThatThrownBy(() -> gate(SchemaChangeGate.Policy.FAIL).admit(usersWithIntNote()))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("table shop.users")
                .hasMessageContaining("column 'note' changed type from string to int")
                .hasMessageContaining("subject 'app.shop.users-value'")
                .hasMessageContaining("schema.change.policy=new_subject");
    }

    @Test
    void aTypeChangeUnderNewSubjectGoesToTheFirstTopicThatAcceptsIt() {
        registerAsTheConverterWould("app.shop.users", Fixtures.users());
        // A -v2 subject already holding yet another shape: the gate moves on to -v3.
        List<ColumnSpec> boolNote = new ArrayList<>(Fixtures.users().specs());
        boolNote.set(2, new ColumnSpec("note", TypeMapper.BOOL, -1, false));
        registerAsTheConverterWould("app.shop.users-v2",
                new TableSchema(Fixtures.USERS, "app", boolNote, Fixtures.types(), EventFactory.SOURCE_SCHEMA));

        TableSchema routed = gate(SchemaChangeGate.Policy.NEW_SUBJECT).admit(usersWithIntNote());

        assertThat(routed.topic()).isEqualTo("app.shop.users-v3");
        assertThat(routed.envelopeSchema()).isEqualTo(usersWithIntNote().envelopeSchema());
        // A restarted task (a new gate) makes the same choice once the converter registered there.
        registerAsTheConverterWould("app.shop.users-v3", usersWithIntNote());
        assertThat(gate(SchemaChangeGate.Policy.NEW_SUBJECT).admit(usersWithIntNote()).topic()).isEqualTo("app.shop.users-v3");
    }

    @Test
    void aVerdictIsAskedOncePerSchema() {
        registerAsTheConverterWould("app.shop.users", Fixtures.users());
        SchemaChangeGate gate = gate(SchemaChangeGate.Policy.NEW_SUBJECT);
        assertThat(gate.admit(usersWithIntNote()).topic()).isEqualTo("app.shop.users-v2");
        // Once decided, the registry's later state does not flip the topic inside one task run.
        registerAsTheConverterWould("app.shop.users-v2", Fixtures.users());
        assertThat(gate.admit(usersWithIntNote()).topic()).isEqualTo("app.shop.users-v2");
    }

    @Test
    void columnChangesNamesAddedRequiredAndRemovedColumns() {
        org.apache.avro.Schema before = avro.fromConnectSchema(Fixtures.users().envelopeSchema());
        TableSchema keyAdded = users(new ColumnSpec("tenant", TypeMapper.INT8, -1, true));
        List<String> changes = SchemaChangeGate.columnChanges(before, avro.fromConnectSchema(keyAdded.envelopeSchema()));
        assertThat(changes).containsExactly("column 'tenant' added without a default (long)");
        assertThat(SchemaChangeGate.columnChanges(avro.fromConnectSchema(keyAdded.envelopeSchema()), before))
                .containsExactly("column 'tenant' removed (it had no default)");
    }

    @Test
    void anUnreachableRegistryFailsNamingItAndTheKeyToUnset() {
        SchemaRegistryClient down = SchemaRegistryClients.create(Map.of("schema.registry.url", "http://127.0.0.1:1",
                "max.retries", "0"));
        SchemaChangeGate gate = new SchemaChangeGate(down, "http://127.0.0.1:1", SchemaChangeGate.Policy.FAIL);
        assertThatThrownBy(() -> gate.admit(Fixtures.users()))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("http://127.0.0.1:1")
                .hasMessageContaining("unset schema.registry.url");
    }
}
