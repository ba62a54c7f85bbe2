package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.RetrySettings;

/** The backoff delay before a retry (SEMANTICS.md §2). */
public final class Backoff {
    private Backoff() {}

    /**
     * The delay before retry {@code retry}: the capped exponential base plus
     * {@code floor(u × jitter_ms)}. The base is iterated (never {@code pow}) and floored at every
     * step; jitter is added after the cap, so a capped delay still varies.
     *
     * @param retry n, 1 for the sleep after the first attempt failed
     * @param settings {@code payment.retry}
     * @param u one draw in [0, 1), consumed also when {@code jitter_ms} is 0
     * @return the delay in milliseconds
     * @throws IllegalArgumentException when retry &lt; 1 or u is outside [0, 1)
     */
    public static long delayMs(int retry, RetrySettings settings, double u) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is " + retry + "; expected at least 1");
        }
        if (!(u >= 0.0 && u < 1.0)) {
            throw new IllegalArgumentException("u is " + u + "; expected a draw in [0, 1)");
        }
        long max = settings.maxDelayMs();
        double multiplier = settings.backoffMultiplier();
        long base = Math.min(max, settings.baseDelayMs());
        // Once the base reaches the cap, or floor(base × multiplier) gives it back unchanged, every
        // later step gives the same value: stopping there makes retry 2^31 - 1 cost nothing.
        for (int n = 2; n <= retry && base < max; n++) {
            long next = Math.min(max, (long) Math.floor(base * multiplier));
            if (next == base) {
                break;
            }
            base = next;
        }
        return base + (long) Math.floor(u * settings.jitterMs());
    }
}
