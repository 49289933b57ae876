package io.kaveri.connect.postgres;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import java.util.Collection;

/** Estimates the heap a Connect value holds, to bound the queue by bytes; a fair guess, not an exact count. */
final class RecordSizes {

    private RecordSizes() {
    }

    static long of(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof String s) {
            return 40L + 2L * s.length();
        }
        if (value instanceof byte[] b) {
            return 16L + b.length;
        }
        if (value instanceof Struct s) {
            long total = 16;
            for (Field f : s.schema().fields()) {
                total += 8 + of(s.get(f));
            }
            return total;
        }
        if (value instanceof Collection<?> c) {
            long total = 16;
            for (Object o : c) {
                total += 8 + of(o);
            }
            return total;
        }
        return 16;
    }
}
