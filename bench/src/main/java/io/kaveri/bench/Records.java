package io.kaveri.bench;

import io.kaveri.bench.avro.BenchAddress;
import io.kaveri.bench.avro.BenchLine;
import io.kaveri.bench.avro.BenchMedium;
import io.kaveri.bench.avro.BenchSmall;
import io.kaveri.bench.avro.BenchStatus;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecordBase;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The records the benchmarks move: the same values as specific and as generic records. */
final class Records {

    private Records() {
    }

    static SpecificRecordBase specific(String size) {
        return switch (size) {
            case "small" -> small();
            case "medium" -> medium();
            default -> throw new IllegalArgumentException("size " + size);
        };
    }

    /** A deep copy of the specific record as a generic one, so both paths carry identical data. */
    static GenericRecord generic(String size) {
        SpecificRecordBase specific = specific(size);
        return (GenericRecord) GenericData.get().deepCopy(specific.getSchema(), toGeneric(specific.getSchema(), specific));
    }

    private static Object toGeneric(Schema schema, Object value) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record r = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    r.put(f.pos(), toGeneric(f.schema(), ((org.apache.avro.generic.IndexedRecord) value).get(f.pos())));
                }
                yield r;
            }
            case ARRAY -> ((List<?>) value).stream().map(v -> toGeneric(schema.getElementType(), v)).toList();
            case ENUM -> new GenericData.EnumSymbol(schema, value.toString());
            case UNION -> value == null ? null : toGeneric(schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
            case LONG -> value instanceof Instant i ? i.toEpochMilli() : value;
            default -> value;
        };
    }

    private static BenchSmall small() {
        return BenchSmall.newBuilder().setId(123_456_789L).setUser("user-4711").setAmount(42.5)
                .setAccepted(true).setTs(Instant.ofEpochMilli(1_764_000_000_000L)).build();
    }

    private static BenchMedium medium() {
        BenchMedium m = new BenchMedium();
        for (Schema.Field f : BenchMedium.getClassSchema().getFields()) {
            if (!f.name().startsWith("f")) {
                continue;
            }
            int i = Integer.parseInt(f.name().substring(1));
            Object v = switch (f.schema().getType()) {
                case LONG -> 1_000_000_000L + i;
                case STRING -> "value-" + i;
                case DOUBLE -> i * 1.25;
                case BOOLEAN -> i % 2 == 0;
                case INT -> i * 7;
                default -> throw new IllegalStateException(f.toString());
            };
            m.put(f.pos(), v);
        }
        m.setNote("leave at the door");
        m.setStatus(BenchStatus.PAID);
        m.setTags(List.of("gift", "express"));
        m.setAttributes(Map.of("channel", "web")); // one entry: map order would differ after a round trip
        m.setAddress(BenchAddress.newBuilder().setStreet("1 Dam Road").setCity("Tiruchirappalli").setZip("620001").setCountry("IN").build());
        m.setLines(List.of(BenchLine.newBuilder().setSku("sku-1").setQuantity(2).setPrice(9.99).build(),
                        BenchLine.newBuilder().setSku("sku-2").setQuantity(1).setPrice(24.5).build()));
        return m;
    }
}
