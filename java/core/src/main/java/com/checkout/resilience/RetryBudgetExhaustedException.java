package com.checkout.resilience;

/** The retry budget refused a retry ({@code RETRY_BUDGET_EXHAUSTED}). */
public final class RetryBudgetExhaustedException extends ResilienceException {
    private static final long serialVersionUID = 1L;

    /**
     * A refused retry.
     *
     * @param tokensMilli the bucket when the retry was refused
     * @param maxMilli the bucket's size; a retry needs more than half of it
     * @param cause how the attempt that would have been retried ended, or null
     */
    public RetryBudgetExhaustedException(long tokensMilli, long maxMilli, Throwable cause) {
        super(ErrorClass.RETRY_BUDGET_EXHAUSTED, "the retry budget holds " + tokensMilli
                + " of " + maxMilli + " milli-tokens; a retry needs more than half", cause);
    }
}
