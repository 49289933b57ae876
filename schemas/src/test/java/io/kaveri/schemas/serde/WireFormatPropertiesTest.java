package io.kaveri.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaveri.schemas.registry.MockSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Primitive values against a reference encoder written here from the Avro specification (zig-zag, then base-128
 * varint, least significant group first; strings as a varint length and UTF-8), not from Avro's code.
 */
class WireFormatPropertiesTest {

    private final MockSchemaRegistry registry = new MockSchemaRegistry();
    private final KaveriAvroSerializer serializer = new KaveriAvroSerializer(registry);
    private final KaveriAvroDeserializer deserializer = new KaveriAvroDeserializer(registry);

    WireFormatPropertiesTest() {
        Map<String, String> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused");
        serializer.configure(config, true);
        deserializer.configure(config, true);
    }

    @Property(tries = 300)
    void longsAreZigZagVarints(@ForAll long value) {
        byte[] bytes = serializer.serialize("longs", value);
        ByteArrayOutputStream expected = header(registry.latest("longs-key").id());
        varint((value << 1) ^ (value >> 63), expected);
        assertThat(bytes).isEqualTo(expected.toByteArray());
        assertThat(deserializer.deserialize("longs", bytes)).isEqualTo(value);
    }

    @Property(tries = 300)
    void stringsAreLengthPrefixedUtf8(@ForAll String value) {
        byte[] bytes = serializer.serialize("strings", value);
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream expected = header(registry.latest("strings-key").id());
        varint((long) utf8.length << 1, expected);
        expected.writeBytes(utf8);
        assertThat(bytes).isEqualTo(expected.toByteArray());
        assertThat(deserializer.deserialize("strings", bytes)).isEqualTo(value);
    }

    private static ByteArrayOutputStream header(int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        return out;
    }

    private static void varint(long zigZagged, ByteArrayOutputStream out) {
        long rest = zigZagged;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
