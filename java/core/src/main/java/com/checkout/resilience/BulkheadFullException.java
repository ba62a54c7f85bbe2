package com.checkout.resilience;

/**
 * Every slot of the operation's bulkhead is taken; the upstream was not called for this attempt
 * ({@code BULKHEAD_FULL}, SEMANTICS.md §11).
 */
public final class BulkheadFullException extends ResilienceException {
    private static final long serialVersionUID = 1L;

    private final long maxConcurrent;

    /**
     * A rejection by a full bulkhead.
     *
     * @param maxConcurrent the bulkhead's limit, all of whose slots are taken
     * @param cause how an earlier attempt of the call ended, or null before the first
     */
    public BulkheadFullException(long maxConcurrent, Throwable cause) {
        super(ErrorClass.BULKHEAD_FULL, "all " + maxConcurrent + " bulkhead slots (max_concurrent)"
                + " are taken by attempts in flight", cause, false);
        this.maxConcurrent = maxConcurrent;
    }

    /**
     * The limit that was reached, for the answer's message.
     *
     * @return {@code max_concurrent} when the call was refused
     */
    public long maxConcurrent() {
        return maxConcurrent;
    }
}
