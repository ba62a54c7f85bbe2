package com.checkout.resilience;

/** The breaker is open and rejected the call without calling the upstream ({@code CIRCUIT_OPEN}). */
public final class CircuitOpenException extends ResilienceException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterMs;

    /**
     * A rejection by an open breaker.
     *
     * @param retryAfterMs time until the breaker lets a half-open trial through:
     *     {@code opened_at + recovery_timeout_ms - now}
     */
    public CircuitOpenException(long retryAfterMs) {
        super(ErrorClass.CIRCUIT_OPEN, "the circuit breaker is open; half-open trials start in "
                + retryAfterMs + " ms", null, false);
        this.retryAfterMs = retryAfterMs;
    }

    /**
     * Time until the breaker admits a half-open trial, for a {@code Retry-After} answer.
     *
     * @return milliseconds, at least 1
     */
    public long retryAfterMs() {
        return retryAfterMs;
    }
}
