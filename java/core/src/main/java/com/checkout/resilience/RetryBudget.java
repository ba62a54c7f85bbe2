package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that caps retries while an upstream fails (SEMANTICS.md §4, after gRPC retry
 * throttling). Integer milli-tokens, so every language computes the same bucket. One per upstream,
 * shared by every call to it; thread-safe without a lock.
 */
public final class RetryBudget {
    private final long maxMilli;
    private final long ratioMilli;
    private final AtomicLong tokensMilli;

    /**
     * A full bucket.
     *
     * @param settings {@code payment.retry_budget}
     */
    public RetryBudget(RetryBudgetSettings settings) {
        this.maxMilli = Math.multiplyExact(settings.maxTokens(), 1000L);
        // token_ratio has at most three decimals, so the product is within an ulp of an
        // integer; Math.round (half up, the same as half away from zero for a positive value)
        // removes the error that a ceiling or truncation would keep (0.007 × 1000 = 7.000000000000001).
        this.ratioMilli = Math.round(settings.tokenRatio() * 1000.0);
        this.tokensMilli = new AtomicLong(maxMilli);
    }

    /**
     * Counts the outcome of one attempt: a failure takes a token, a success returns
     * {@code token_ratio} of one, an ignored outcome leaves the bucket alone.
     *
     * @param outcome the breaker outcome of the attempt (§6)
     */
    public void record(Outcome outcome) {
        switch (outcome) {
            case FAILURE -> tokensMilli.updateAndGet(t -> Math.max(0L, t - 1000L));
            case SUCCESS -> tokensMilli.updateAndGet(t -> Math.min(maxMilli, t + ratioMilli));
            case IGNORED -> { }
            default -> throw new IllegalArgumentException("outcome is " + outcome);
        }
    }

    /**
     * Whether a retry may be made now: strictly more than half of the bucket is left.
     *
     * @return {@code tokens × 2 > max}
     */
    public boolean allowRetry() {
        return tokensMilli.get() * 2 > maxMilli;
    }

    /**
     * The bucket now.
     *
     * @return milli-tokens, in [0, {@link #maxMilli()}]
     */
    public long tokensMilli() {
        return tokensMilli.get();
    }

    /**
     * The bucket's size.
     *
     * @return {@code max_tokens × 1000}
     */
    public long maxMilli() {
        return maxMilli;
    }

    /**
     * What a success returns to the bucket.
     *
     * @return {@code round(token_ratio × 1000)}
     */
    public long ratioMilli() {
        return ratioMilli;
    }
}
