package com.checkout.resilience;

/** What an attempt's end means to the circuit breaker and the retry budget (SEMANTICS.md §3, §4). */
public enum Outcome {
    /** The upstream answered as it should; resets the failure streak, adds to the budget. */
    SUCCESS("success"),
    /** The upstream failed; counts towards opening the breaker, takes a budget token. */
    FAILURE("failure"),
    /** The attempt proved nothing about the upstream's health; changes no count. */
    IGNORED("ignored");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name used in vectors, logs and metric labels.
     *
     * @return {@code success}, {@code failure} or {@code ignored}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * The outcome with this wire name.
     *
     * @param wireName {@code success}, {@code failure} or {@code ignored}
     * @return the outcome
     * @throws IllegalArgumentException for any other name
     */
    public static Outcome fromWireName(String wireName) {
        for (Outcome outcome : values()) {
            if (outcome.wireName.equals(wireName)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("outcome is \"" + wireName
                + "\"; expected success, failure or ignored");
    }
}
