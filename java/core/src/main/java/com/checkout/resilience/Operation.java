package com.checkout.resilience;

import java.util.Locale;

/**
 * The operations of an upstream (SEMANTICS.md §11), each with its own policy, breaker, retry
 * budget and bulkhead.
 */
public enum Operation {
    /** {@code POST /payments}: the provider's charge. */
    CHARGE,
    /** {@code GET /payments/{key}}: the provider's status query. */
    LOOKUP;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /**
     * The name used in vectors, logs and the {@code operation} metric label.
     *
     * @return {@code charge} or {@code lookup}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * The operation with this wire name.
     *
     * @param wireName {@code charge} or {@code lookup}
     * @return the operation
     * @throws IllegalArgumentException for any other name
     */
    public static Operation fromWireName(String wireName) {
        for (Operation operation : values()) {
            if (operation.wireName.equals(wireName)) {
                return operation;
            }
        }
        throw new IllegalArgumentException("operation is \"" + wireName
                + "\"; expected charge or lookup");
    }
}
