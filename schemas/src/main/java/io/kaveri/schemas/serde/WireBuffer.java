package io.kaveri.schemas.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer kept per thread by the serializer, so a record costs one exact-size copy and no
 * growth of a fresh stream; unlike ByteArrayOutputStream its writes are not synchronized.
 */
final class WireBuffer extends OutputStream {

    private static final int INITIAL = 256;
    // Beyond this a buffer is not kept for the next record, so one huge record does not pin memory.
    private static final int KEEP_AT_MOST = 1 << 20;

    private byte[] bytes = new byte[INITIAL];
    private int size;

    void startRecord(int schemaId) {
        if (bytes.length > KEEP_AT_MOST) {
            bytes = new byte[INITIAL];
        }
        bytes[0] = AvroWireFormat.MAGIC_BYTE;
        bytes[1] = (byte) (schemaId >>> 24);
        bytes[2] = (byte) (schemaId >>> 16);
        bytes[3] = (byte) (schemaId >>> 8);
        bytes[4] = (byte) schemaId;
        size = AvroWireFormat.HEADER_SIZE;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
