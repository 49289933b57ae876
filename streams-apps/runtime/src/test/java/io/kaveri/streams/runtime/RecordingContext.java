package io.kaveri.streams.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens a store without a task, as a unit test needs it: the context answers what stores ask on init and records
 * the restore callback the store registers, so that a test can restore changelog records into it.
 */
final class RecordingContext {

    private final AtomicReference<StateRestoreCallback> restore = new AtomicReference<>();

    private RecordingContext() {
    }

    /** Initializes {@code store} with a recording context. */
    static RecordingContext open(StateStore store) {
        RecordingContext recording = new RecordingContext();
        StateStoreContext context = (StateStoreContext) Proxy.newProxyInstance(RecordingContext.class.getClassLoader(),
                new Class<?>[] {StateStoreContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "register" -> {
                        recording.restore.set((StateRestoreCallback) args[1]);
                        yield null;
                    }
                    case "appConfigs" -> Map.of();
                    case "recordMetadata" -> Optional.empty();
                    case "taskId" -> new TaskId(0, 0);
                    case "applicationId" -> "test";
                    case "toString" -> "test context";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        store.init(context, store);
        return recording;
    }

    /** Restores {@code records} through the callback the store registered, as one batch. */
    void restore(List<ConsumerRecord<byte[], byte[]>> records) {
        ((RecordBatchingStateRestoreCallback) restore.get()).restoreBatch(records);
    }
}
