package io.kaveri.streams.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;

import java.util.function.Supplier;

/**
 * What Kaveri's in-memory state stores share with Kafka's own: restore from the changelog in batches (each record
 * applied under the store's lock, its position taken from the record's headers, as Kafka's in-memory stores do), the
 * position that interactive queries bound their reads by, and the answer to IQv2's basic queries (key and range
 * queries of key-value stores, ping) through the store's own methods. Kafka's logging and metering layers wrap a
 * subclass as they wrap Kafka's stores.
 */
public abstract class InMemoryStore implements StateStore {

    private final String name;
    /** Where the store's content stands in its input partitions, for interactive queries' position bounds. */
    protected final Position position = Position.emptyPosition();
    private StateStoreContext context;
    private volatile boolean open;

    protected InMemoryStore(String name) {
        this.name = name;
    }

    /** A supplier of new {@code stores} named {@code name}, for {@code Stores.keyValueStoreBuilder}. */
    static KeyValueBytesStoreSupplier keyValueSupplier(String name, String metricsScope,
                                                       Supplier<KeyValueStore<Bytes, byte[]>> stores) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return stores.get();
            }

            @Override
            public String metricsScope() {
                return metricsScope;
            }
        };
    }

    /** Applies one changelog record (a null value removes what its key held); called under this store's lock. */
    protected abstract void restore(ConsumerRecord<byte[], byte[]> record);

    /** Drops the content, on close. */
    protected abstract void clear();

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        this.context = stateStoreContext;
        if (root != null) {
            boolean consistency = StreamsConfig.InternalConfig.getBoolean(stateStoreContext.appConfigs(),
                    StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
            stateStoreContext.register(root, (RecordBatchingStateRestoreCallback) records -> {
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        restore(record);
                        ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(record, consistency, position);
                    }
                }
            });
        }
        open = true;
    }

    /** Records that the record being processed is in the store; call after each write. */
    protected void updatePosition() {
        StoreQueryUtils.updatePosition(position, context);
    }

    @Override
    public synchronized void close() {
        clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Position getPosition() {
        return position;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return StoreQueryUtils.handleBasicQueries(query, positionBound, config, this, position, context);
    }
}
