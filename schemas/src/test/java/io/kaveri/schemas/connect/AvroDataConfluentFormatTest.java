package io.kaveri.schemas.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * The exact Avro schemas Confluent's AvroConverter writes, as literal JSON (from Confluent's
 * documentation, its AvroDataTest and schemas it registers for Debezium topics), and the Connect
 * schemas it reads back, built by hand.
 */
class AvroDataConfluentFormatTest {

    private final AvroData avroData = new AvroData(Map.of());

    /** Parsing and printing again normalizes white space and namespaces but keeps property order. */
    private static String canonical(String json) {
        return new org.apache.avro.Schema.Parser().parse(json).toString();
    }

    @Test
    void structWithOptionalInt8DecimalAndIntKeyedMap() {
        Schema schema = SchemaBuilder.struct()
                .field("tiny", SchemaBuilder.int8().optional().build())
                .field("price", Decimal.schema(2))
                .field("labels", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
                .build();

        String expected = """
                {"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[
                  {"name":"tiny","type":["null",{"type":"int","connect.type":"int8"}],"default":null},
                  {"name":"price","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,
                     "connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal",
                     "logicalType":"decimal"}},
                  {"name":"labels","type":{"type":"array","items":{"type":"record","name":"MapEntry",
                     "namespace":"io.confluent.connect.avro",
                     "fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}}]}
                """;
        assertThat(avroData.fromConnectSchema(schema).toString()).isEqualTo(canonical(expected));
    }

    @Test
    void namedDebeziumStyleValueWithTimestampDateAndDefaults() {
        Schema schema = SchemaBuilder.struct().name("dbserver1.inventory.customers.Value")
                .field("id", Schema.INT32_SCHEMA)
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("created", Timestamp.SCHEMA)
                .field("birthday", Date.builder().optional().build())
                .field("rank", SchemaBuilder.int16().defaultValue((short) 5).doc("rank doc").build())
                .build();

        String expected = """
                {"type":"record","name":"Value","namespace":"dbserver1.inventory.customers","fields":[
                  {"name":"id","type":"int"},
                  {"name":"email","type":["null","string"],"default":null},
                  {"name":"created","type":{"type":"long","connect.version":1,
                     "connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}},
                  {"name":"birthday","type":["null",{"type":"int","connect.version":1,
                     "connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}],"default":null},
                  {"name":"rank","type":{"type":"int","connect.doc":"rank doc","connect.default":5,"connect.type":"int16"},
                     "default":5}],
                 "connect.name":"dbserver1.inventory.customers.Value"}
                """;
        assertThat(avroData.fromConnectSchema(schema).toString()).isEqualTo(canonical(expected));
    }

    @Test
    void debeziumEnvelopeReusesTheRowRecordByName() {
        Schema row = SchemaBuilder.struct().name("dbserver1.inventory.customers.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .build();
        Schema envelope = SchemaBuilder.struct().name("dbserver1.inventory.customers.Envelope")
                .field("before", row)
                .field("after", row)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();

        String expected = """
                {"type":"record","name":"Envelope","namespace":"dbserver1.inventory.customers","fields":[
                  {"name":"before","type":["null",{"type":"record","name":"Value","fields":[{"name":"id","type":"int"}],
                     "connect.name":"dbserver1.inventory.customers.Value"}],"default":null},
                  {"name":"after","type":["null","Value"],"default":null},
                  {"name":"op","type":"string"},
                  {"name":"ts_ms","type":["null","long"],"default":null}],
                 "connect.name":"dbserver1.inventory.customers.Envelope"}
                """;
        assertThat(avroData.fromConnectSchema(envelope).toString()).isEqualTo(canonical(expected));
    }

    @Test
    void unnamedStructsAreNumberedInTheOrderTheyAreMet() {
        // Confluent's AvroDataTest.testFromConnectStructsWithNullName.
        Schema inner = SchemaBuilder.struct().field("value", Schema.INT64_SCHEMA).optional().build();
        Schema outer = SchemaBuilder.struct()
                .field("struct", inner)
                .field("array", SchemaBuilder.array(inner).build())
                .build();

        String expected = """
                {"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[
                  {"name":"struct","type":["null",{"type":"record","name":"ConnectDefault2",
                     "fields":[{"name":"value","type":"long"}]}],"default":null},
                  {"name":"array","type":{"type":"array","items":["null","ConnectDefault2"]}}]}
                """;
        assertThat(avroData.fromConnectSchema(outer).toString()).isEqualTo(canonical(expected));
    }

    @Test
    void optionalFieldWithDefaultPutsTheTypeBeforeNull() {
        Schema schema = SchemaBuilder.struct().name("S")
                .field("n", SchemaBuilder.int32().optional().defaultValue(7).build())
                .build();

        String expected = """
                {"type":"record","name":"S","fields":[
                  {"name":"n","type":[{"type":"int","connect.default":7},"null"],"default":7}],
                 "connect.name":"S"}
                """;
        assertThat(avroData.fromConnectSchema(schema).toString()).isEqualTo(canonical(expected));
    }

    @Test
    void enhancedSupportTurnsEnumParametersBackIntoAnAvroEnum() {
        AvroData enhanced = new AvroData(Map.of(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true));
        Schema color = SchemaBuilder.string().name("com.example.Color")
                .parameter("io.confluent.connect.avro.Enum", "com.example.Color")
                .parameter("io.confluent.connect.avro.Enum.RED", "RED")
                .parameter("io.confluent.connect.avro.Enum.GREEN", "GREEN")
                .build();

        String expected = """
                {"type":"enum","name":"Color","namespace":"com.example","symbols":["RED","GREEN"],
                 "connect.parameters":{"io.confluent.connect.avro.Enum":"com.example.Color",
                   "io.confluent.connect.avro.Enum.RED":"RED","io.confluent.connect.avro.Enum.GREEN":"GREEN"},
                 "connect.name":"com.example.Color"}
                """;
        assertThat(enhanced.fromConnectSchema(color).toString()).isEqualTo(canonical(expected));
        assertThat(new AvroData(Map.of()).fromConnectSchema(color).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
        Object symbol = enhanced.fromConnectData(color, "GREEN");
        assertThat(symbol).isInstanceOf(GenericData.EnumSymbol.class).hasToString("GREEN");
        assertThatThrownBy(() -> enhanced.fromConnectData(color, "BLUE"))
                .isInstanceOf(DataException.class).hasMessageContaining("BLUE").hasMessageContaining("com.example.Color");
    }

    @Test
    void withoutConnectMetaDataOnlyAvroRemains() {
        AvroData plain = new AvroData(Map.of(AvroDataConfig.CONNECT_META_DATA_CONFIG, false));
        Schema schema = SchemaBuilder.struct().name("a.B").version(3).doc("d")
                .field("x", SchemaBuilder.int8().defaultValue((byte) 1).build())
                .build();

        String expected = """
                {"type":"record","name":"B","namespace":"a","fields":[{"name":"x","type":"int","default":1}]}
                """;
        assertThat(plain.fromConnectSchema(schema).toString()).isEqualTo(canonical(expected));
    }

    @Test
    void avroNativeSchemaReadsAsConfluentsConnectSchema() {
        String avro = """
                {"type":"record","name":"Payment","namespace":"io.kaveri.pay","doc":"A payment.","fields":[
                  {"name":"id","type":"string","doc":"The id."},
                  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
                  {"name":"status","type":{"type":"enum","name":"Status","symbols":["OK","FAILED"]},"default":"OK"},
                  {"name":"ref","type":["null","string"],"default":null},
                  {"name":"either","type":["string","int"]}]}
                """;
        Schema actual = avroData.toConnectSchema(new org.apache.avro.Schema.Parser().parse(avro), 4);

        Schema status = SchemaBuilder.string().name("io.kaveri.pay.Status")
                .parameter("io.confluent.connect.avro.Enum", "io.kaveri.pay.Status")
                .parameter("io.confluent.connect.avro.Enum.OK", "OK")
                .parameter("io.confluent.connect.avro.Enum.FAILED", "FAILED")
                .parameter("io.confluent.connect.avro.field.default", "true")
                .defaultValue("OK")
                .build();
        Schema either = SchemaBuilder.struct().name("io.confluent.connect.avro.Union")
                .field("string", Schema.OPTIONAL_STRING_SCHEMA)
                .field("int", Schema.OPTIONAL_INT32_SCHEMA)
                .build();
        Schema expected = SchemaBuilder.struct().name("io.kaveri.pay.Payment").version(4)
                .parameter("io.confluent.connect.avro.record.doc", "A payment.")
                .parameter("io.confluent.connect.avro.field.doc.id", "The id.")
                .field("id", Schema.STRING_SCHEMA)
                .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "10").build())
                .field("status", status)
                .field("ref", Schema.OPTIONAL_STRING_SCHEMA)
                .field("either", either)
                .build();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void valuesGoBothWays() {
        Schema schema = SchemaBuilder.struct().name("V")
                .field("tiny", SchemaBuilder.int8().optional().build())
                .field("price", Decimal.schema(2))
                .field("labels", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
                .field("raw", Schema.BYTES_SCHEMA)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .build();
        Struct struct = new Struct(schema)
                .put("tiny", (byte) -3)
                .put("price", new BigDecimal("12.34"))
                .put("labels", Map.of(1, "one"))
                .put("raw", ByteBuffer.wrap(new byte[] {1, 2}))
                .put("tags", List.of("a", "b"));

        GenericRecord record = (GenericRecord) avroData.fromConnectData(schema, struct);

        assertThat(record.get("tiny")).isEqualTo(-3);
        // 1234 as a big-endian two's complement unscaled value.
        assertThat(record.get("price")).isEqualTo(ByteBuffer.wrap(new byte[] {0x04, (byte) 0xD2}));
        GenericRecord entry = (GenericRecord) ((List<?>) record.get("labels")).get(0);
        assertThat(entry.get("key")).isEqualTo(1);
        assertThat(entry.get("value")).isEqualTo("one");
        SchemaAndValue back = avroData.toConnectData(record.getSchema(), record);
        assertThat(back.value()).isEqualTo(struct);
    }

    @Test
    void badValuesNameThePathToTheField() {
        // Connect checks types on put but not a decimal's scale, which Avro's bytes depend on.
        Schema inner = SchemaBuilder.struct().name("Line").field("price", Decimal.schema(2)).build();
        Schema schema = SchemaBuilder.struct().name("Order")
                .field("lines", SchemaBuilder.array(inner).build())
                .build();
        Struct order = new Struct(schema).put("lines", List.of(
                new Struct(inner).put("price", new BigDecimal("1.00")),
                new Struct(inner).put("price", new BigDecimal("1.000"))));

        assertThatThrownBy(() -> avroData.fromConnectData(schema, order))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("lines[1].price")
                .hasMessageContaining("scale");
    }

    @Test
    void schemalessDataIsWrappedInConfluentsAnythingRecord() {
        String expected = """
                {"type":"record","name":"Anything","namespace":"io.confluent.connect.avro","fields":[
                  {"name":"boolean","type":["null","boolean"],"default":null},
                  {"name":"bytes","type":["null","bytes"],"default":null},
                  {"name":"double","type":["null","double"],"default":null},
                  {"name":"float","type":["null","float"],"default":null},
                  {"name":"int","type":["null","int"],"default":null},
                  {"name":"long","type":["null","long"],"default":null},
                  {"name":"string","type":["null","string"],"default":null},
                  {"name":"array","type":["null",{"type":"array","items":"Anything"}],"default":null},
                  {"name":"map","type":["null",{"type":"array","items":{"type":"record","name":"MapEntry",
                     "fields":[{"name":"key","type":"Anything"},{"name":"value","type":"Anything"}]}}],"default":null}]}
                """;
        assertThat(avroData.fromConnectSchema(null).toString()).isEqualTo(canonical(expected));

        Map<Object, Object> map = new java.util.HashMap<>();
        map.put("k", List.of(1L, "two", true));
        map.put(3, null);
        GenericRecord record = (GenericRecord) avroData.fromConnectData(null, map);
        org.apache.avro.Schema parsed = new org.apache.avro.Schema.Parser().parse(expected);
        SchemaAndValue back = avroData.toConnectData(parsed, record);

        assertThat(back.schema()).isNull();
        assertThat(back.value()).isEqualTo(map);
        assertThat(avroData.fromConnectData(null, null)).isNull();
        assertThatThrownBy(() -> avroData.fromConnectData(null, new java.util.Date()))
                .isInstanceOf(DataException.class).hasMessageContaining("java.util.Date");
    }

    @Test
    void aNamedTypeMetAgainCarriesItsParametersOnTheField() {
        Schema inner = SchemaBuilder.struct().name("a.In").parameter("p", "1").field("x", Schema.INT32_SCHEMA).build();
        Schema outer = SchemaBuilder.struct().name("a.Out").field("first", inner).field("second", inner).build();

        String expected = """
                {"type":"record","name":"Out","namespace":"a","fields":[
                  {"name":"first","type":{"type":"record","name":"In","fields":[{"name":"x","type":"int"}],
                     "connect.parameters":{"p":"1"},"connect.name":"a.In"}},
                  {"name":"second","type":"In","connect.parameters":{"p":"1"}}],
                 "connect.name":"a.Out"}
                """;
        org.apache.avro.Schema avro = avroData.fromConnectSchema(outer);
        assertThat(avro.toString()).isEqualTo(canonical(expected));
        assertThat(avroData.toConnectSchema(avro)).isEqualTo(outer);
    }

    @Test
    void decimalsBeyondAvrosRulesKeepOnlyTheLegacyLogicalTypeProperty() {
        String expected = """
                {"type":"bytes","scale":-2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"-2"},
                 "connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}
                """;
        org.apache.avro.Schema avro = avroData.fromConnectSchema(Decimal.schema(-2));

        assertThat(avro.toString()).isEqualTo(canonical(expected));
        assertThat(avro.getLogicalType()).isNull();
        assertThat(avroData.toConnectData(avro, avroData.fromConnectData(Decimal.schema(-2), new BigDecimal("1.2E+3"))))
                .isEqualTo(new SchemaAndValue(Decimal.schema(-2), new BigDecimal("1.2E+3")));
    }

    @Test
    void fixedAndUnionsWithEnhancedSupport() {
        AvroData enhanced = new AvroData(Map.of(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true));
        org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse("""
                {"type":"record","name":"R","namespace":"n","fields":[
                  {"name":"hash","type":{"type":"fixed","name":"Hash","size":4}},
                  {"name":"either","type":["null",
                     {"type":"record","name":"A","fields":[{"name":"a","type":"int"}]},
                     {"type":"enum","name":"E","symbols":["X","Y"]}],"default":null}]}
                """);
        Schema connect = enhanced.toConnectSchema(avro);

        Schema either = connect.field("either").schema();
        assertThat(either.name()).isEqualTo("io.confluent.connect.avro.Union");
        assertThat(either.isOptional()).isTrue();
        assertThat(either.fields()).extracting(org.apache.kafka.connect.data.Field::name).containsExactly("n.A", "n.E");
        assertThat(connect.field("hash").schema().parameters()).containsEntry("connect.fixed.size", "4");

        GenericData.Record record = new GenericData.Record(avro);
        record.put("hash", new GenericData.Fixed(avro.getField("hash").schema(), new byte[] {1, 2, 3, 4}));
        record.put("either", new GenericData.EnumSymbol(avro.getField("either").schema().getTypes().get(2), "Y"));
        SchemaAndValue value = enhanced.toConnectData(avro, record);
        Struct struct = (Struct) value.value();
        assertThat(struct.getStruct("either").get("n.E")).isEqualTo("Y");
        assertThat(struct.get("hash")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));

        // And back: the same Avro types, the enum an enum again, the fixed a fixed.
        GenericRecord again = (GenericRecord) enhanced.fromConnectData(connect, struct);
        assertThat(again.get("either")).isInstanceOf(GenericData.EnumSymbol.class).hasToString("Y");
        assertThat(again.get("hash")).isInstanceOf(GenericData.Fixed.class);
        org.apache.avro.Schema written = enhanced.fromConnectSchema(connect);
        assertThat(written.getField("either").schema().getTypes()).extracting(org.apache.avro.Schema::getFullName)
                .containsExactly("null", "n.A", "n.E");
        assertThat(written.getField("hash").schema().getFixedSize()).isEqualTo(4);
    }

    @Test
    void scrubbedNamesAreValidAvro() {
        AvroData scrubbing = new AvroData(Map.of(AvroDataConfig.SCRUB_INVALID_NAMES_CONFIG, true));
        Schema schema = SchemaBuilder.struct().name("my-db.public.1st table")
                .field("order-id", Schema.INT32_SCHEMA)
                .build();

        org.apache.avro.Schema avro = scrubbing.fromConnectSchema(schema);

        assertThat(avro.getFullName()).isEqualTo("my_db.public.x1st_table");
        assertThat(avro.getFields()).extracting(org.apache.avro.Schema.Field::name).containsExactly("order_id");
        assertThat(avro.getProp("connect.name")).isEqualTo("my-db.public.1st table");
        assertThatThrownBy(() -> avroData.fromConnectSchema(schema))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("1st table").hasMessageContaining("scrub.invalid.names");
        Schema badField = SchemaBuilder.struct().name("ok.Name").field("order-id", Schema.INT32_SCHEMA).build();
        assertThatThrownBy(() -> avroData.fromConnectSchema(badField))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("order-id").hasMessageContaining("scrub.invalid.names");
    }

    @Test
    void optionalStringKeysMayStayAnAvroMap() {
        Schema map = SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA).build();
        AvroData allowing = new AvroData(Map.of(AvroDataConfig.ALLOW_OPTIONAL_MAP_KEYS_CONFIG, true));

        assertThat(avroData.fromConnectSchema(map).getType()).isEqualTo(org.apache.avro.Schema.Type.ARRAY);
        assertThat(allowing.fromConnectSchema(map).getType()).isEqualTo(org.apache.avro.Schema.Type.MAP);
    }

    @Test
    void singletonUnionsFlattenUnlessAsked() {
        org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse("[\"string\"]");
        AvroData keeping = new AvroData(Map.of(AvroDataConfig.FLATTEN_SINGLETON_UNIONS_CONFIG, false));

        assertThat(avroData.toConnectSchema(avro)).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(keeping.toConnectSchema(avro)).isEqualTo(SchemaBuilder.struct().name("io.confluent.connect.avro.Union")
                .field("string", Schema.OPTIONAL_STRING_SCHEMA).build());
    }

    @Test
    void nullsInOptionalFieldsWithDefaultsAreWrittenAsTheDefaultUnlessIgnored() {
        Schema schema = SchemaBuilder.struct().name("S")
                .field("n", SchemaBuilder.int32().optional().defaultValue(7).build())
                .build();
        Struct struct = new Struct(schema);
        AvroData ignoring = new AvroData(Map.of(AvroDataConfig.IGNORE_DEFAULT_FOR_NULLABLES_CONFIG, true));

        assertThat(((GenericRecord) avroData.fromConnectData(schema, struct)).get("n")).isEqualTo(7);
        assertThat(((GenericRecord) ignoring.fromConnectData(schema, struct)).get("n")).isNull();
    }

    @Test
    void unsupportedAvroIsRefusedClearly() {
        org.apache.avro.Schema recursive = new org.apache.avro.Schema.Parser().parse("""
                {"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}
                """);
        assertThatThrownBy(() -> avroData.toConnectSchema(recursive))
                .isInstanceOf(DataException.class).hasMessageContaining("Node");
        org.apache.avro.Schema recursiveThroughMap = new org.apache.avro.Schema.Parser().parse("""
                {"type":"record","name":"Node","namespace":"n","fields":[{"name":"kids","type":{"type":"array",
                  "items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro",
                    "fields":[{"name":"key","type":"int"},{"name":"value","type":"n.Node"}]}}}]}
                """);
        assertThatThrownBy(() -> avroData.toConnectSchema(recursiveThroughMap))
                .isInstanceOf(DataException.class).hasMessageContaining("n.Node");
        org.apache.avro.Schema badType = new org.apache.avro.Schema.Parser().parse("""
                {"type":"int","connect.type":"int128"}
                """);
        assertThatThrownBy(() -> avroData.toConnectSchema(badType))
                .isInstanceOf(DataException.class).hasMessageContaining("int128");
    }

    @Test
    void eachUseOfASharedNameKeepsItsOwnParameters() {
        // Confluent's AvroDataTest.testFieldLevelParamsComplexEnvelopeRoundTrip: structs converted from
        // Protobuf share a name but differ in a parameter.
        Schema home = address("14");
        Schema work = address("15");
        Schema person = SchemaBuilder.struct().name("Person")
                .field("home_addr", home)
                .field("work_addr", work)
                .build();
        Struct value = new Struct(person)
                .put("home_addr", new Struct(home).put("city", "SF"))
                .put("work_addr", new Struct(work).put("city", "NYC"));

        org.apache.avro.Schema avro = avroData.fromConnectSchema(person);
        SchemaAndValue back = avroData.toConnectData(avro, avroData.fromConnectData(person, value));

        assertThat(back.schema().field("home_addr").schema().parameters()).containsEntry("protobuf.type.tag", "14");
        assertThat(back.schema().field("work_addr").schema().parameters()).containsEntry("protobuf.type.tag", "15");
        assertThat(((Struct) back.value()).getStruct("work_addr").getString("city")).isEqualTo("NYC");
        String expected = """
                {"type":"record","name":"Person","fields":[
                  {"name":"home_addr","type":{"type":"record","name":"Address",
                     "fields":[{"name":"city","type":["null","string"],"default":null}],
                     "connect.parameters":{"protobuf.type.tag":"14"},"connect.name":"Address"}},
                  {"name":"work_addr","type":"Address","connect.parameters":{"protobuf.type.tag":"15"}}],
                 "connect.name":"Person"}
                """;
        assertThat(avro.toString()).isEqualTo(canonical(expected));
        // What a sink reads back from the registry's text.
        Schema fromText = avroData.toConnectSchema(new org.apache.avro.Schema.Parser().parse(avro.toString()));
        assertThat(fromText.field("work_addr").schema().parameters()).containsEntry("protobuf.type.tag", "15");
    }

    private static Schema address(String tag) {
        return SchemaBuilder.struct().name("Address").parameter("protobuf.type.tag", tag)
                .field("city", Schema.OPTIONAL_STRING_SCHEMA).build();
    }
}
