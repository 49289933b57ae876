package io.kaveri.connect.postgres;

import org.apache.kafka.connect.source.SourceRecord;

/**
 * A record handed from the reader to {@code poll()}.
 *
 * @param commitAfter the Kafka transaction ends with this record (the database transaction, or a snapshot chunk, ended)
 * @param flushLsn    once Kafka has this record, the slot may confirm up to here; null if it ends no transaction
 */
record Emission(SourceRecord record, boolean commitAfter, Lsn flushLsn, long estimatedBytes) {
}
