package com.checkout.resilience;

/** Every half-open trial slot is taken; the upstream was not called ({@code HALF_OPEN_LIMIT}). */
public final class HalfOpenLimitException extends ResilienceException {
    private static final long serialVersionUID = 1L;

    /**
     * A rejection by a half-open breaker.
     *
     * @param halfOpenMaxCalls the number of trial slots, all taken
     */
    public HalfOpenLimitException(long halfOpenMaxCalls) {
        super(ErrorClass.HALF_OPEN_LIMIT, "the circuit breaker is half-open and all "
                + halfOpenMaxCalls + " trial slots are taken", null, false);
    }
}
