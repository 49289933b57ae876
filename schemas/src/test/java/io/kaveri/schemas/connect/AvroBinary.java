package io.kaveri.schemas.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/** Avro's own binary encoding, independent of the serde under test. */
final class AvroBinary {

    private AvroBinary() {
    }

    static byte[] encode(org.apache.avro.Schema schema, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static Object decode(org.apache.avro.Schema schema, byte[] bytes) throws IOException {
        return new GenericDatumReader<>(schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
