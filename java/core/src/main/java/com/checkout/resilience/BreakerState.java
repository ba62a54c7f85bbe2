package com.checkout.resilience;

/** The three states of the circuit breaker (SEMANTICS.md §3). */
public enum BreakerState {
    /** Every call is admitted; consecutive failures are counted. */
    CLOSED("closed"),
    /** Calls are rejected with {@code CIRCUIT_OPEN} until the recovery timeout has passed. */
    OPEN("open"),
    /** Up to {@code half_open_max_calls} trial calls are admitted at once. */
    HALF_OPEN("half_open");

    private final String wireName;

    BreakerState(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in vectors, logs and metric labels.
     *
     * @return {@code closed}, {@code open} or {@code half_open}
     */
    public String wireName() {
        return wireName;
    }
}
