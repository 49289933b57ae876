package io.kaveri.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes of Confluent's wire format. The expected Avro bodies are written out by hand from the Avro
 * specification (zig-zag varints, length-prefixed UTF-8, little-endian IEEE doubles, union branch index, blocks of
 * arrays and maps, big-endian two's-complement decimals), never produced by the code under test.
 */
class GoldenBytesTest {

    // 257 schemas are registered first, so the id under test is 258 = 0x00000102 and its byte order shows.
    private static final String HEADER = "00 00 00 01 02 ";

    private final MockSchemaRegistry registry = new MockSchemaRegistry();
    private KaveriAvroSerializer serializer;

    @BeforeEach
    void setUp() {
        registry.setCompatibility(Optional.of("filler"), "NONE");
        for (int i = 0; i < 257; i++) {
            registry.register("filler", SchemaBuilder.record("Filler" + i).fields().requiredInt("x").endRecord(), false);
        }
        serializer = new KaveriAvroSerializer(registry);
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://golden",
                AvroSerdeConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, true), false);
    }

    @Test
    void primitiveStringKey() {
        assertBytes(serializer.serialize("t", "abc"), HEADER + "06 61 62 63");
    }

    @Test
    void primitiveLongAndBytes() {
        assertBytes(serializer.serialize("t", 300L), HEADER + "D8 04");
        // Confluent writes bytes raw after the header, without Avro's length prefix.
        KaveriAvroSerializer bytes = new KaveriAvroSerializer(new MockSchemaRegistry());
        bytes.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://golden"), false);
        assertBytes(bytes.serialize("b", new byte[] {1, 2, 3}), "00 00 00 00 01 01 02 03");
        assertBytes(bytes.serialize("b", ByteBuffer.wrap(new byte[] {1, 2, 3})), "00 00 00 00 01 01 02 03");
    }

    @Test
    void smallRecordOfIntLongStringBooleanDouble() {
        Schema schema = SchemaBuilder.record("Small").namespace("io.kaveri.test").fields()
                .requiredInt("count").requiredLong("total").requiredString("name").requiredBoolean("active")
                .requiredDouble("ratio").endRecord();
        GenericRecord small = new GenericData.Record(schema);
        small.put("count", -2);
        small.put("total", 300L);
        small.put("name", "Kä");
        small.put("active", true);
        small.put("ratio", 1.5);
        // -2 -> 03; 300 -> D8 04; "Kä" = 3 UTF-8 bytes -> 06 4B C3 A4; true -> 01; 1.5 -> 3FF8000000000000 LE
        assertBytes(serializer.serialize("t", small), HEADER + "03 D8 04 06 4B C3 A4 01 00 00 00 00 00 00 F8 3F");
    }

    @Test
    void unionOfNullAndString() {
        Schema schema = SchemaBuilder.record("WithOptional").fields().optionalString("nickname").endRecord();
        GenericRecord absent = new GenericData.Record(schema);
        assertBytes(serializer.serialize("t", absent), HEADER + "00");
        GenericRecord present = new GenericData.Record(schema);
        present.put("nickname", "x");
        assertBytes(serializer.serialize("t", present), HEADER + "02 02 78");
    }

    @Test
    void enumSymbol() {
        Schema suit = SchemaBuilder.enumeration("Suit").symbols("SPADES", "HEARTS", "DIAMONDS", "CLUBS");
        assertBytes(serializer.serialize("t", new GenericData.EnumSymbol(suit, "DIAMONDS")), HEADER + "04");
    }

    @Test
    void arrayOfInts() {
        Schema schema = SchemaBuilder.record("Numbers").fields().name("values").type().array().items().intType()
                .noDefault().endRecord();
        GenericRecord numbers = new GenericData.Record(schema);
        numbers.put("values", List.of(1, -1, 64));
        // one block of 3 items, then the empty block that ends the array
        assertBytes(serializer.serialize("t", numbers), HEADER + "06 02 01 80 01 00");
    }

    @Test
    void mapOfLongs() {
        Schema schema = SchemaBuilder.record("Counts").fields().name("counts").type().map().values().longType()
                .noDefault().endRecord();
        GenericRecord counts = new GenericData.Record(schema);
        counts.put("counts", Map.of("a", 1L));
        assertBytes(serializer.serialize("t", counts), HEADER + "02 02 61 02 00");
    }

    @Test
    void decimalAndTimestampMillis() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Payment", "fields": [
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
                  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
                ]}""");
        GenericRecord payment = new GenericData.Record(schema);
        payment.put("amount", new BigDecimal("123.45"));
        payment.put("at", Instant.ofEpochMilli(1_700_000_000_000L));
        // 12345 = 0x3039 as 2 bytes -> 04 30 39; 1700000000000 zig-zag varint -> 80 A0 AB FE F9 62
        assertBytes(serializer.serialize("t", payment), HEADER + "04 30 39 80 A0 AB FE F9 62");
    }

    @Test
    void specificRecord() {
        // "u" -> 02 75; "/p" -> 04 2F 70; 64 -> 80 01
        assertBytes(serializer.serialize("t", new TestPageView("u", "/p", 64)), HEADER + "02 75 04 2F 70 80 01");
    }

    @Test
    void nullIsATombstone() {
        assertThat(serializer.serialize("t", null)).isNull();
    }

    private static void assertBytes(byte[] actual, String expectedHex) {
        assertThat(HexFormat.ofDelimiter(" ").withUpperCase().formatHex(actual)).isEqualTo(expectedHex);
    }
}
