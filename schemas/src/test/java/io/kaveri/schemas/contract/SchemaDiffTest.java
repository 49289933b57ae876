package io.kaveri.schemas.contract;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaDiffTest {

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static final Schema V1 = parse("""
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"id","type":"long","doc":"Order id."},
              {"name":"price","type":"double"},
              {"name":"coupon","type":"string"},
              {"name":"ship","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}]}}]}""");

    @Test
    void namesAddedRemovedAndChangedFieldsByPath() {
        Schema v2 = parse("""
                {"type":"record","name":"Order","namespace":"shop","fields":[
                  {"name":"id","type":"long","doc":"The order id."},
                  {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":8}},
                  {"name":"ship","type":{"type":"record","name":"Address","fields":[
                    {"name":"city","type":"string"},{"name":"zip","type":["null","string"],"default":null}]}},
                  {"name":"venue","type":["null","string"],"default":null}]}""");

        assertThat(SchemaDiff.between(V1, v2)).containsExactly(
                "~ id doc: \"Order id.\" -> \"The order id.\"",
                "~ price: double -> decimal(18,8)",
                "- coupon: string",
                "+ ship.zip: [null, string] = null",
                "+ venue: [null, string] = null");
    }

    @Test
    void identicalSchemasHaveNoDiff() {
        assertThat(SchemaDiff.between(V1, parse(V1.toString()))).isEmpty();
    }

    @Test
    void aChangedDefaultIsShown() {
        Schema a = parse("""
                {"type":"record","name":"R","fields":[{"name":"n","type":"int","default":1}]}""");
        Schema b = parse("""
                {"type":"record","name":"R","fields":[{"name":"n","type":"int","default":2}]}""");
        assertThat(SchemaDiff.between(a, b)).containsExactly("~ n default: 1 -> 2");
    }
}
