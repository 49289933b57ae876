package io.kaveri.streams.query;

import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.util.Map;

/** Sends a query on to another instance of the app and returns its answer as is. */
@FunctionalInterface
interface Forwarder {

    /** @throws IOException when the instance cannot be reached or does not answer in time */
    Reply get(HostInfo host, String pathAndQuery, Map<String, String> headers) throws IOException;
}
