package io.kaveri.streams.market;

import io.kaveri.schemas.market.Trade;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.math.BigDecimal;

/** What makes a trade usable, and where its event time comes from. */
final class Trades {

    private Trades() {
    }

    /** A trade that can never be aggregated; thrown in a processor so that the dead-letter queue gets the record. */
    static final class InvalidTradeException extends RuntimeException {
        InvalidTradeException(String message) {
            super(message);
        }
    }

    /** The symbol to key the trade by, once the trade is known to be whole. */
    static String symbolOf(Trade trade, String topic) {
        if (trade == null) {
            throw new InvalidTradeException("a record of topic " + topic + " has no value (a tombstone); trades are never deleted");
        }
        String where = "trade " + trade.getTradeId() + " of topic " + topic;
        if (trade.getTradeId().isBlank()) {
            throw new InvalidTradeException("a trade of topic " + topic + " for symbol " + trade.getSymbol() + " has a blank tradeId");
        }
        if (trade.getSymbol().isBlank()) {
            throw new InvalidTradeException(where + " has a blank symbol");
        }
        positive(trade.getPrice(), "price", where);
        positive(trade.getQuantity(), "quantity", where);
        return trade.getSymbol();
    }

    private static void positive(BigDecimal value, String field, String where) {
        if (value.signum() <= 0) {
            throw new InvalidTradeException(where + " has " + field + " " + value.toPlainString() + "; it must be positive");
        }
    }

    /** The identity of a trade for de-duplication: a venue's trade ids are unique only at that venue. */
    static String identity(Trade trade) {
        return trade.getSymbol() + '|' + (trade.getVenue() == null ? "" : trade.getVenue()) + '|' + trade.getTradeId();
    }

    /**
     * Event time is the execution time in the trade, not when a feed produced it. A record without a readable
     * trade keeps the partition's time, so it still reaches the validation step and the dead-letter topic.
     */
    static final class EventTime implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.value() instanceof Trade trade) {
                return trade.getTs().toEpochMilli();
            }
            return partitionTime >= 0 ? partitionTime : Math.max(0, record.timestamp());
        }
    }
}
