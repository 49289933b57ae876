package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.PgOutputMessage.TupleData;
import io.kaveri.connect.postgres.PgOutputMessage.Value;
import io.kaveri.connect.postgres.TableSchema.ColumnSpec;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A table {@code shop.users (id int4 primary key, name text, note text)} and helpers around it. */
final class Fixtures {

    static final Instant COMMIT_TIME = Instant.parse("2024-05-06T07:08:09.010Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:10Z"), ZoneOffset.UTC);
    static final TableId USERS = new TableId("shop", "users");

    private Fixtures() {
    }

    static TypeMapper types() {
        return new TypeMapper(TypeMapper.DecimalMode.PRECISE, TypeMapper.IntervalMode.NUMERIC, oid -> null);
    }

    static TableSchema users() {
        return new TableSchema(USERS, "app", List.of(
                new ColumnSpec("id", TypeMapper.INT4, -1, true),
                new ColumnSpec("name", TypeMapper.TEXT, -1, false),
                new ColumnSpec("note", TypeMapper.TEXT, -1, false)), types(), EventFactory.SOURCE_SCHEMA);
    }

    static EventFactory events(boolean tombstones) {
        return new EventFactory("app", "shopdb", tombstones, CLOCK);
    }

    static EventFactory.SourceInfo info() {
        return new EventFactory.SourceInfo(COMMIT_TIME, "false", 777L, Lsn.parse("0/1000"), Lsn.parse("0/900"));
    }

    /** Text values; {@code null} is SQL NULL and {@code "\u0000u"} an unchanged TOAST value. */
    static TupleData tuple(String... values) {
        List<Value> list = new ArrayList<>();
        for (String v : values) {
            list.add(v == null ? Value.NULL : v.equals("\u0000u") ? Value.UNCHANGED_TOAST : Value.text(v));
        }
        return new TupleData(list);
    }

    static Map<String, String> minimalConfig() {
        return Map.of(
                PostgresCdcSourceConfig.HOSTNAME_CONFIG, "db.example",
                PostgresCdcSourceConfig.DBNAME_CONFIG, "shopdb",
                PostgresCdcSourceConfig.USER_CONFIG, "cdc",
                PostgresCdcSourceConfig.TOPIC_PREFIX_CONFIG, "app");
    }
}
