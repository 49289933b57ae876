package io.kaveri.connect.postgres;

import io.kaveri.connect.postgres.TypeMapper.DecimalMode;
import io.kaveri.connect.postgres.TypeMapper.IntervalMode;
import io.kaveri.connect.postgres.TypeMapper.Mapping;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypeMapperTest {

    private static final Map<Integer, PgType> USER_TYPES = Map.of(
            20000, new PgType(20000, "public", "mood", 'e', 0, List.of("sad", "ok", "happy")),
            20001, new PgType(20001, "public", "_mood", 'a', 20000, List.of()),
            20002, new PgType(20002, "public", "positive_int", 'd', TypeMapper.INT4, List.of()));

    private final TypeMapper precise = mapper(DecimalMode.PRECISE, IntervalMode.NUMERIC);

    private static TypeMapper mapper(DecimalMode d, IntervalMode i) {
        return new TypeMapper(d, i, USER_TYPES::get);
    }

    private Object convert(int oid, String text) {
        return precise.map("s.t.c", oid, -1, true).fromText().apply(text);
    }

    @Test
    void integersBooleansAndFloats() {
        assertThat(convert(TypeMapper.BOOL, "t")).isEqualTo(true);
        assertThat(convert(TypeMapper.BOOL, "f")).isEqualTo(false);
        assertThat(convert(TypeMapper.INT2, "-32768")).isEqualTo((short) -32768);
        assertThat(convert(TypeMapper.INT4, "2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(convert(TypeMapper.INT8, "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(convert(TypeMapper.OID, "4294967295")).isEqualTo(4294967295L);
        assertThat(convert(TypeMapper.FLOAT4, "NaN")).isEqualTo(Float.NaN);
        assertThat(convert(TypeMapper.FLOAT8, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(convert(TypeMapper.FLOAT8, "1.0000000000000002")).isEqualTo(1.0000000000000002);
        assertThat(precise.map("c", TypeMapper.INT8, -1, false).schema()).isEqualTo(Schema.INT64_SCHEMA);
        assertThat(precise.map("c", TypeMapper.INT8, -1, true).schema()).isEqualTo(Schema.OPTIONAL_INT64_SCHEMA);
    }

    @Test
    void numericPreciseUsesTheColumnScale() {
        int typmod = ((10 << 16) | 2) + 4; // numeric(10,2)
        Mapping m = precise.map("s.t.price", TypeMapper.NUMERIC, typmod, true);
        assertThat(m.schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(m.schema().parameters()).containsEntry(Decimal.SCALE_FIELD, "2")
                .containsEntry("connect.decimal.precision", "10");
        assertThat(m.fromText().apply("1.5")).isEqualTo(new BigDecimal("1.50"));
        assertThat(m.fromText().apply("-12345678.99")).isEqualTo(new BigDecimal("-12345678.99"));
    }

    @Test
    void unconstrainedNumericIsAVariableScaleStruct() {
        Mapping m = precise.map("s.t.n", TypeMapper.NUMERIC, -1, true);
        assertThat(m.schema().name()).isEqualTo(TypeMapper.VARIABLE_SCALE_DECIMAL);
        Struct s = (Struct) m.fromText().apply("12.345");
        assertThat(s.getInt32("scale")).isEqualTo(3);
        assertThat(s.getBytes("value")).containsExactly(0x30, 0x39); // 12345 = 0x3039
        assertThat(TypeMapper.fromVariableScale(s)).isEqualTo(new BigDecimal("12.345"));
    }

    @Test
    void numericNanInPreciseModeSaysWhichSettingHelps() {
        assertThatThrownBy(() -> convert(TypeMapper.NUMERIC, "NaN")).isInstanceOf(ConnectException.class)
                .hasMessageContaining("s.t.c").hasMessageContaining("decimal.handling.mode");
    }

    @Test
    void numericAsDoubleOrString() {
        assertThat(mapper(DecimalMode.DOUBLE, IntervalMode.NUMERIC).map("c", TypeMapper.NUMERIC, -1, true).fromText()
                .apply("NaN")).isEqualTo(Double.NaN);
        Mapping s = mapper(DecimalMode.STRING, IntervalMode.NUMERIC).map("c", TypeMapper.NUMERIC, 655366, true);
        assertThat(s.schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(s.fromText().apply("1.50")).isEqualTo("1.50");
    }

    @Test
    void datesAndTimes() {
        assertThat(convert(TypeMapper.DATE_OID, "2024-01-02")).isEqualTo(19724);
        assertThat(convert(TypeMapper.DATE_OID, "1969-12-31")).isEqualTo(-1);
        assertThat(convert(TypeMapper.DATE_OID, "0001-01-01 BC")).isEqualTo(-719528);
        assertThat(convert(TypeMapper.DATE_OID, "infinity")).isEqualTo(Integer.MAX_VALUE);
        assertThat(convert(TypeMapper.DATE_OID, "-infinity")).isEqualTo(Integer.MIN_VALUE);
        assertThat(convert(TypeMapper.TIME, "03:04:05.123456")).isEqualTo(11_045_123_456L);
        assertThat(convert(TypeMapper.TIME, "24:00:00")).isEqualTo(86_400_000_000L);
        assertThat(convert(TypeMapper.TIMESTAMP, "2024-01-02 03:04:05.123456")).isEqualTo(1_704_164_645_123_456L);
        assertThat(convert(TypeMapper.TIMESTAMP, "1969-12-31 23:59:59.5")).isEqualTo(-500_000L);
        assertThat(convert(TypeMapper.TIMESTAMP, "infinity")).isEqualTo(Long.MAX_VALUE);
        assertThat(convert(TypeMapper.TIMESTAMPTZ, "2024-01-02 08:34:05.5+05:30")).isEqualTo("2024-01-02T03:04:05.5Z");
        assertThat(convert(TypeMapper.TIMESTAMPTZ, "2024-01-02 03:04:05+00")).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(convert(TypeMapper.TIMESTAMPTZ, "2024-01-01 22:04:05-05")).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(convert(TypeMapper.TIMESTAMPTZ, "-infinity")).isEqualTo("-infinity");
        assertThat(convert(TypeMapper.TIMETZ, "03:04:05+02")).isEqualTo("01:04:05Z");
        assertThat(precise.map("c", TypeMapper.TIMESTAMP, -1, true).schema().name()).isEqualTo(TypeMapper.MICRO_TIMESTAMP);
        assertThat(precise.map("c", TypeMapper.TIMESTAMPTZ, -1, true).schema().name()).isEqualTo(TypeMapper.ZONED_TIMESTAMP);
        assertThat(precise.map("c", TypeMapper.DATE_OID, -1, true).schema().name()).isEqualTo(TypeMapper.DATE);
    }

    @Test
    void intervalsAsMicrosOrIso() {
        // (14 months * 30.4375 + 3) days = 429.125 days, plus 4h 5m 6.5s
        long expected = 37_076_400_000_000L + 14_706_500_000L;
        assertThat(convert(TypeMapper.INTERVAL_OID, "1 year 2 mons 3 days 04:05:06.5")).isEqualTo(expected);
        assertThat(convert(TypeMapper.INTERVAL_OID, "-00:00:01")).isEqualTo(-1_000_000L);
        Mapping iso = mapper(DecimalMode.PRECISE, IntervalMode.STRING).map("c", TypeMapper.INTERVAL_OID, -1, true);
        assertThat(iso.fromText().apply("1 year 2 mons 3 days 04:05:06.5")).isEqualTo("P1Y2M3DT4H5M6.5S");
    }

    @Test
    void textLikeTypesKeepTheirText() {
        assertThat(precise.map("c", TypeMapper.JSONB, -1, true).schema().name()).isEqualTo(TypeMapper.JSON);
        assertThat(convert(TypeMapper.JSONB, "{\"a\": 1}")).isEqualTo("{\"a\": 1}");
        assertThat(precise.map("c", TypeMapper.UUID_OID, -1, true).schema().name()).isEqualTo(TypeMapper.UUID);
        assertThat(convert(TypeMapper.TEXT, "x")).isEqualTo("x");
        int point = 600;
        assertThat(precise.map("c", point, -1, true).schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(convert(point, "(1,2)")).isEqualTo("(1,2)");
    }

    @Test
    void byteaFromHex() {
        assertThat((byte[]) convert(TypeMapper.BYTEA, "\\x0a0bff")).containsExactly(10, 11, -1);
        assertThat((byte[]) convert(TypeMapper.BYTEA, "\\x")).isEmpty();
        assertThatThrownBy(() -> convert(TypeMapper.BYTEA, "abc")).hasMessageContaining("bytea_output");
    }

    @Test
    void arraysOfBuiltInAndUserTypes() {
        assertThat(convert(1007, "{1,NULL,3}")).isEqualTo(Arrays.asList(1, null, 3));
        assertThat(convert(1009, "{\"a b\",\"c\\\"d\",NULL,\"NULL\",e}")).isEqualTo(Arrays.asList("a b", "c\"d", null, "NULL", "e"));
        assertThat(convert(1009, "{}")).isEqualTo(List.of());
        assertThat(convert(1009, "[0:1]={x,y}")).isEqualTo(List.of("x", "y"));
        Mapping moods = precise.map("c", 20001, -1, true);
        assertThat(moods.schema().valueSchema().name()).isEqualTo(TypeMapper.ENUM);
        assertThat(moods.fromText().apply("{sad,happy}")).isEqualTo(List.of("sad", "happy"));
        assertThatThrownBy(() -> convert(1007, "{{1,2},{3,4}}")).hasMessageContaining("multi-dimensional");
    }

    @Test
    void enumsAndDomains() {
        Mapping mood = precise.map("c", 20000, -1, true);
        assertThat(mood.schema().name()).isEqualTo(TypeMapper.ENUM);
        assertThat(mood.schema().parameters()).containsEntry("allowed", "sad,ok,happy");
        assertThat(mood.fromText().apply("ok")).isEqualTo("ok");
        Mapping domain = precise.map("c", 20002, -1, false);
        assertThat(domain.schema()).isEqualTo(Schema.INT32_SCHEMA);
        assertThat(domain.fromText().apply("7")).isEqualTo(7);
    }

    @Test
    void unknownUserTypeFallsBackToText() {
        assertThat(precise.map("c", 30000, -1, true).fromText().apply("whatever")).isEqualTo("whatever");
    }

    @Test
    void unreadableValueNamesTheColumnAndTheText() {
        assertThatThrownBy(() -> precise.map("shop.orders.qty", TypeMapper.INT4, -1, true).fromText().apply("12x"))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("shop.orders.qty").hasMessageContaining("12x");
    }
}
