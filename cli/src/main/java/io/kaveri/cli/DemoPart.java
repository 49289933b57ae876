package io.kaveri.cli;

import io.kaveri.stack.LocalStack;

import java.util.List;
import java.util.Set;

/**
 * Something {@code ./kaveri up} deploys on the running local stack: a connector with sample traffic,
 * a streams app, the dashboard. Each capability of Kaveri adds one to {@link DemoParts}, so the demo grows
 * with the product without {@link UpCommand} changing.
 */
interface DemoPart extends AutoCloseable {

    /** Short name for the status line, e.g. {@code webhook-source}. */
    String name();

    /** The stack parts this needs running. */
    Set<LocalStack.Part> needs();

    /**
     * Deploys onto the running stack and starts any sample traffic; returns once it is running.
     *
     * @return endpoint lines to print, e.g. {@code dashboard=http://127.0.0.1:8080/}
     */
    List<String> start(LocalStack stack) throws Exception;

    /** Stops what {@link #start} started (traffic generators, apps). Called in reverse order on shutdown. */
    @Override
    default void close() throws Exception {
    }
}
