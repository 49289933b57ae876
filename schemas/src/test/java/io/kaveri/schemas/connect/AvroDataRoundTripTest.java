package io.kaveri.schemas.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;

/** Connect → Avro → Connect is the identity, for generated schemas and for values through Avro's binary encoding. */
class AvroDataRoundTripTest {

    private final AvroData avroData = new AvroData(Map.of());

    @Provide
    Arbitrary<Schema> connectSchemas() {
        return ConnectSchemas.schemas(3).filter(ConnectSchemas::namesAreUnambiguous);
    }

    @Provide
    Arbitrary<Tuple2<Schema, Object>> structsWithValues() {
        return ConnectSchemas.structs(3).filter(ConnectSchemas::namesAreUnambiguous)
                .flatMap(schema -> ConnectSchemas.values(schema, true).map(value -> Tuple.of(schema, value)));
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void schemaComesBackUnchanged(@ForAll("connectSchemas") Schema schema) {
        org.apache.avro.Schema avroSchema = avroData.fromConnectSchema(schema);
        // What the registry stores is the text: the schema must survive printing and parsing too.
        org.apache.avro.Schema reparsed = new org.apache.avro.Schema.Parser().parse(avroSchema.toString());

        assertThat(ConnectSchemas.describe(avroData.toConnectSchema(reparsed)))
                .as("via %s", avroSchema).isEqualTo(ConnectSchemas.describe(schema));
        assertThat(avroData.toConnectSchema(reparsed)).isEqualTo(schema);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void valueComesBackUnchanged(@ForAll("structsWithValues") Tuple2<Schema, Object> schemaAndValue) throws IOException {
        Schema schema = schemaAndValue.get1();
        Object value = schemaAndValue.get2();
        Assume.that(value != null);
        org.apache.avro.Schema avroSchema = avroData.fromConnectSchema(schema);

        Object avroValue = avroData.fromConnectData(schema, value);
        Object decoded = AvroBinary.decode(avroSchema, AvroBinary.encode(avroSchema, avroValue));
        SchemaAndValue back = avroData.toConnectData(avroSchema, decoded);

        assertThat(ConnectSchemas.describe(back.schema())).isEqualTo(ConnectSchemas.describe(schema));
        assertThat(back.schema()).isEqualTo(schema);
        assertThat(back.value()).isEqualTo(value);
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void aSecondConversionIsServedFromTheCache(@ForAll("connectSchemas") Schema schema) {
        org.apache.avro.Schema first = avroData.fromConnectSchema(schema);
        Schema connect = avroData.toConnectSchema(first);

        assertThat(avroData.fromConnectSchema(schema)).isSameAs(first);
        assertThat(avroData.toConnectSchema(first)).isSameAs(connect);
    }
}
