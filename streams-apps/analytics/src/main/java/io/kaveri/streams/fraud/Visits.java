package io.kaveri.streams.fraud;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A card's recent located payments, oldest first, in columns. Each payment reads its card's visits from the
 * store and writes them back with one more, so the ids are kept as the UTF-8 bytes the changelog record held
 * (a reference into it, not a copy) and copied back as they are: no visit's id is decoded or encoded again, only
 * the one of the alert's other payment when the travel rule fires. Read from bytes, they are parsed on first use.
 */
final class Visits {

    static final Visits NONE = new Visits(0);

    private long[] ts;
    private double[] latitude;
    private double[] longitude;
    private boolean[] exact;
    private String[] country;
    private byte[][] idBytes;
    private int[] idOffset;
    private int[] idLength;
    private int size;
    /** Fills these visits on first use, when they were read from bytes and not used yet; else null. */
    private Consumer<Visits> pending;
    private int pendingCapacity;

    private Visits(int capacity) {
        allocate(capacity);
    }

    private Visits(int capacity, Consumer<Visits> fill) {
        pendingCapacity = capacity;
        pending = fill;
    }

    private void allocate(int capacity) {
        ts = new long[capacity];
        latitude = new double[capacity];
        longitude = new double[capacity];
        exact = new boolean[capacity];
        country = new String[capacity];
        idBytes = new byte[capacity][];
        idOffset = new int[capacity];
        idLength = new int[capacity];
    }

    /** Filled by {@link #add} up to {@code capacity}, then read only. */
    static Visits withCapacity(int capacity) {
        return capacity == 0 ? NONE : new Visits(capacity);
    }

    /**
     * Visits that {@code fill} adds, {@code capacity} of them, when they are first used: closing a window, evicting
     * an idle card and rebuilding after a restore read profiles for everything but their visits.
     */
    static Visits lazy(int capacity, Consumer<Visits> fill) {
        return capacity == 0 ? NONE : new Visits(capacity, fill);
    }

    private void ensure() {
        if (pending != null) {
            Consumer<Visits> fill = pending;
            pending = null;
            allocate(pendingCapacity);
            fill.accept(this);
        }
    }

    static Visits of(List<CardProfile.Visit> visits) {
        Visits out = withCapacity(visits.size());
        visits.forEach(out::add);
        return out;
    }

    /** Appends a visit whose id is {@code length} UTF-8 bytes of {@code id} from {@code offset}. */
    void add(long at, String countryCode, double lat, double lon, boolean exactPosition, byte[] id, int offset, int length) {
        int i = size++;
        ts[i] = at;
        country[i] = countryCode;
        latitude[i] = lat;
        longitude[i] = lon;
        exact[i] = exactPosition;
        idBytes[i] = id;
        idOffset[i] = offset;
        idLength[i] = length;
    }

    void add(CardProfile.Visit v) {
        byte[] id = v.paymentId().getBytes(StandardCharsets.UTF_8);
        add(v.ts(), v.country(), v.latitude(), v.longitude(), v.exact(), id, 0, id.length);
    }

    private void addFrom(Visits other, int i) {
        other.ensure();
        add(other.ts[i], other.country[i], other.latitude[i], other.longitude[i], other.exact[i], other.idBytes[i],
                other.idOffset[i], other.idLength[i]);
    }

    int size() {
        ensure();
        return size;
    }

    long ts(int i) {
        ensure();
        return ts[i];
    }

    double latitude(int i) {
        ensure();
        return latitude[i];
    }

    double longitude(int i) {
        ensure();
        return longitude[i];
    }

    boolean exact(int i) {
        ensure();
        return exact[i];
    }

    String country(int i) {
        ensure();
        return country[i];
    }

    String paymentId(int i) {
        ensure();
        return new String(idBytes[i], idOffset[i], idLength[i], StandardCharsets.UTF_8);
    }

    /** Whether visit {@code i} is the payment whose id is {@code id} in UTF-8. */
    boolean isPayment(int i, byte[] id) {
        ensure();
        return Arrays.equals(idBytes[i], idOffset[i], idOffset[i] + idLength[i], id, 0, id.length);
    }

    /** Writes the UTF-8 of visit {@code i}'s id through {@code sink}. */
    void writeId(int i, IdSink sink) {
        ensure();
        sink.write(idBytes[i], idOffset[i], idLength[i]);
    }

    /** Receives an id's UTF-8 bytes. */
    interface IdSink {
        void write(byte[] bytes, int offset, int length);
    }

    CardProfile.Visit get(int i) {
        ensure();
        return new CardProfile.Visit(paymentId(i), ts[i], country[i], latitude[i], longitude[i], exact[i]);
    }

    List<CardProfile.Visit> asList() {
        return new AbstractList<>() {
            @Override
            public CardProfile.Visit get(int index) {
                Objects.checkIndex(index, Visits.this.size());
                return Visits.this.get(index);
            }

            @Override
            public int size() {
                return Visits.this.size();
            }
        };
    }

    /**
     * These visits with {@code visit}, keeping the newest {@code max} within {@code horizonMs} of the newest, in
     * order of time then payment id.
     */
    Visits with(CardProfile.Visit visit, int max, long horizonMs) {
        ensure();
        // In order already, and a payment is most often the card's newest: find its place from the end.
        int at = size;
        while (at > 0 && (ts[at - 1] > visit.ts() || ts[at - 1] == visit.ts() && paymentId(at - 1).compareTo(visit.paymentId()) > 0)) {
            at--;
        }
        long newest = Math.max(visit.ts(), size == 0 ? Long.MIN_VALUE : ts[size - 1]);
        long oldestKept = newest - horizonMs;
        // Of the size + 1 visits, skip those older than the horizon, then the oldest beyond max.
        int first = 0;
        while (first < size + 1 && tsOfMerged(first, at, visit) < oldestKept) {
            first++;
        }
        first = Math.max(first, size + 1 - max);
        Visits out = withCapacity(size + 1 - first);
        for (int i = first; i <= size; i++) {
            if (i == at) {
                out.add(visit);
            } else {
                out.addFrom(this, i < at ? i : i - 1);
            }
        }
        return out;
    }

    private long tsOfMerged(int i, int at, CardProfile.Visit visit) {
        return i == at ? visit.ts() : ts[i < at ? i : i - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Visits other && asList().equals(other.asList());
    }

    @Override
    public int hashCode() {
        return asList().hashCode();
    }

    @Override
    public String toString() {
        return asList().toString();
    }
}
