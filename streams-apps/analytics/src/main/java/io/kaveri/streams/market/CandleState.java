package io.kaveri.streams.market;

import io.kaveri.schemas.market.Candle;
import io.kaveri.schemas.market.Trade;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The running aggregate of one candle. Every field is order-independent, so trades arriving out of order within
 * grace give the same candle: open and close are the first and last trade by (event time, trade id), not by
 * arrival; the trade id breaks ties between trades of the same millisecond.
 */
final class CandleState {

    static final int SCALE = 8;

    long openTs;
    String openId;
    BigDecimal open;
    long closeTs;
    String closeId;
    BigDecimal close;
    BigDecimal high;
    BigDecimal low;
    BigDecimal volume;
    /** Sum of price × quantity, exact (scale 16), for the VWAP. */
    BigDecimal notional;
    long count;

    static CandleState empty() {
        return new CandleState();
    }

    boolean isEmpty() {
        return count == 0;
    }

    CandleState add(Trade trade) {
        BigDecimal price = trade.getPrice();
        BigDecimal quantity = trade.getQuantity();
        long ts = trade.getTs().toEpochMilli();
        String id = trade.getTradeId();
        if (count == 0) {
            openTs = closeTs = ts;
            openId = closeId = id;
            open = close = high = low = price;
            volume = quantity;
            notional = price.multiply(quantity);
        } else {
            if (before(ts, id, openTs, openId)) {
                openTs = ts;
                openId = id;
                open = price;
            }
            if (before(closeTs, closeId, ts, id)) {
                closeTs = ts;
                closeId = id;
                close = price;
            }
            high = high.max(price);
            low = low.min(price);
            volume = volume.add(quantity);
            notional = notional.add(price.multiply(quantity));
        }
        count++;
        return this;
    }

    /** Adds every trade of {@code other} (a candle of another stretch of time); {@code other} is not changed. */
    CandleState merge(CandleState other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            openTs = other.openTs;
            openId = other.openId;
            open = other.open;
            closeTs = other.closeTs;
            closeId = other.closeId;
            close = other.close;
            high = other.high;
            low = other.low;
            volume = other.volume;
            notional = other.notional;
            count = other.count;
            return this;
        }
        if (before(other.openTs, other.openId, openTs, openId)) {
            openTs = other.openTs;
            openId = other.openId;
            open = other.open;
        }
        if (before(closeTs, closeId, other.closeTs, other.closeId)) {
            closeTs = other.closeTs;
            closeId = other.closeId;
            close = other.close;
        }
        high = high.max(other.high);
        low = low.min(other.low);
        volume = volume.add(other.volume);
        notional = notional.add(other.notional);
        count += other.count;
        return this;
    }

    private static boolean before(long ts, String id, long otherTs, String otherId) {
        return ts < otherTs || (ts == otherTs && id.compareTo(otherId) < 0);
    }

    Candle toCandle(String symbol, long windowStart, long windowEnd, boolean closed) {
        return Candle.newBuilder()
                .setSymbol(symbol)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setOpen(open.setScale(SCALE, RoundingMode.UNNECESSARY))
                .setHigh(high.setScale(SCALE, RoundingMode.UNNECESSARY))
                .setLow(low.setScale(SCALE, RoundingMode.UNNECESSARY))
                .setClose(close.setScale(SCALE, RoundingMode.UNNECESSARY))
                .setVolume(volume.setScale(SCALE, RoundingMode.UNNECESSARY))
                // The one rounding of a candle, as the contract says: half-even to scale 8.
                .setVwap(notional.divide(volume, SCALE, RoundingMode.HALF_EVEN))
                .setTradeCount(count)
                .setClosed(closed)
                .build();
    }
}
