package com.checkout.payment.observability;

import java.util.Arrays;
import java.util.OptionalDouble;

/** The most recent upstream attempt durations, for {@code /health}'s p50 and p99. */
public final class LatencyWindow {
    private final double[] samples; // guarded by this
    private int next; // guarded by this
    private int count; // guarded by this

    /**
     * A window.
     *
     * @param size how many recent samples are kept
     */
    public LatencyWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size is " + size + "; expected at least 1");
        }
        samples = new double[size];
    }

    /**
     * Adds a sample, dropping the oldest once full.
     *
     * @param ms a duration in ms
     */
    public synchronized void add(double ms) {
        samples[next] = ms;
        next = (next + 1) % samples.length;
        count = Math.min(count + 1, samples.length);
    }

    /**
     * A percentile of the window (nearest rank).
     *
     * @param p in (0, 100]
     * @return the value, empty before the first sample
     */
    public OptionalDouble percentile(double p) {
        double[] sorted;
        synchronized (this) {
            if (count == 0) {
                return OptionalDouble.empty();
            }
            sorted = Arrays.copyOf(samples, count);
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return OptionalDouble.of(sorted[Math.max(0, Math.min(sorted.length, rank) - 1)]);
    }
}
