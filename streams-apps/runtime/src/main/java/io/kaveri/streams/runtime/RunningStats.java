package io.kaveri.streams.runtime;

/**
 * Count, mean and variance of a stream of values in constant memory, by Welford's online algorithm, which stays
 * accurate where the textbook sum-of-squares formula cancels catastrophically (large values, small spread).
 *
 * <p>With a {@code maxCount}, the count stops growing at that bound and each new value then weighs
 * {@code 1 / maxCount}: the statistics become exponentially weighted (West 1979, Finch 2009), so they follow a
 * drifting baseline instead of the whole history. Immutable; {@link #add} returns the next value.
 *
 * @param count values seen, at most the bound given to {@link #add}
 * @param mean  their mean
 * @param m2    sum of squared deviations from the mean (variance times count)
 */
public record RunningStats(long count, double mean, double m2) {

    public static final RunningStats EMPTY = new RunningStats(0, 0, 0);

    /** Adds {@code x}; {@code maxCount <= 0} keeps the whole history. */
    public RunningStats add(double x, long maxCount) {
        if (maxCount > 0 && count >= maxCount) {
            // Exponentially weighted update with alpha = 1/n; m2 is kept as variance * n.
            double alpha = 1.0 / count;
            double diff = x - mean;
            double increment = alpha * diff;
            double variance = (1 - alpha) * (populationVariance() + diff * increment);
            return new RunningStats(count, mean + increment, variance * count);
        }
        long n = count + 1;
        double delta = x - mean;
        double nextMean = mean + delta / n;
        return new RunningStats(n, nextMean, m2 + delta * (x - nextMean));
    }

    /** Adds {@code x} to the whole history. */
    public RunningStats add(double x) {
        return add(x, 0);
    }

    /** Variance of the values seen; 0 before two values. */
    public double populationVariance() {
        return count == 0 ? 0 : Math.max(0, m2 / count);
    }

    public double populationStddev() {
        return Math.sqrt(populationVariance());
    }

    /** Sample variance (Bessel's correction), the estimate of the spread of the process the values come from. */
    public double sampleVariance() {
        return count < 2 ? 0 : Math.max(0, m2 / (count - 1));
    }

    public double sampleStddev() {
        return Math.sqrt(sampleVariance());
    }

    /**
     * How many sample standard deviations {@code x} lies from the mean, with the deviation taken as at least
     * {@code minStddev}: a history of identical values has no spread, and without a floor a jump from it would say
     * nothing (or infinity). {@code NaN} before two values, or when both deviation and floor are 0.
     */
    public double zScore(double x, double minStddev) {
        double sd = Math.max(sampleStddev(), minStddev);
        return count < 2 || sd == 0 ? Double.NaN : (x - mean) / sd;
    }

    /** Writes the three fields, for the binary state of an app that keeps running statistics. */
    public void writeTo(BinarySerde.Output out) {
        out.writeLong(count).writeDouble(mean).writeDouble(m2);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static RunningStats readFrom(BinarySerde.Input in) {
        return new RunningStats(in.readLong(), in.readDouble(), in.readDouble());
    }
}
