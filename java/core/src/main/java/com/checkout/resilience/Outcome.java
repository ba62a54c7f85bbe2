package com.checkout.resilience;

import com.checkout.config.generated.Taxonomy;
import java.util.Arrays;
import java.util.List;

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

    static {
        List<String> names = Arrays.stream(values()).map(Outcome::wireName).toList();
        if (!names.equals(Taxonomy.OUTCOMES)) {
            throw new IllegalStateException("Outcome constants " + names
                    + " are not the outcomes of config/taxonomy.json " + Taxonomy.OUTCOMES);
        }
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
