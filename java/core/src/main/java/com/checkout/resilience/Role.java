package com.checkout.resilience;

import com.checkout.config.generated.Taxonomy;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The role of a call site, which decides what it may retry (SEMANTICS.md §7: retry at one layer).
 * Its retried classes are {@link Taxonomy#ROLES}, generated from config/taxonomy.json.
 */
public enum Role {
    /** The upstream does the work itself (the gateway calling the payment provider). */
    ORIGIN,
    /** The upstream retries its own upstream (callers of the gateway). */
    RELAY;

    private final String wireName = name().toLowerCase(Locale.ROOT);
    private final Set<ErrorClass> retried = retriedBy(wireName);

    private static Set<ErrorClass> retriedBy(String wireName) {
        for (Taxonomy.RoleRow row : Taxonomy.ROLES) {
            if (row.role().equals(wireName)) {
                Set<ErrorClass> classes = EnumSet.noneOf(ErrorClass.class);
                row.retried().forEach(name -> classes.add(ErrorClass.valueOf(name)));
                return classes;
            }
        }
        throw new IllegalStateException("role " + wireName + " is not in config/taxonomy.json");
    }

    /**
     * The name used in vectors and logs.
     *
     * @return {@code origin} or {@code relay}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether a call site of this role retries an attempt that ended with this class. The list
     * of retried classes is exhaustive: a retryable database class is not retried by a payment
     * call site.
     *
     * @param errorClass how the attempt ended
     * @param downstreamRetryable false only when the upstream's error body said
     *     {@code "retryable": false}; true when it said true or there was no body (a body can
     *     forbid a retry, never widen the role's list)
     * @return whether another attempt may follow
     */
    public boolean isRetried(ErrorClass errorClass, boolean downstreamRetryable) {
        return downstreamRetryable && retried.contains(errorClass);
    }

    /**
     * The role with this wire name.
     *
     * @param wireName {@code origin} or {@code relay}
     * @return the role
     * @throws IllegalArgumentException for any other name
     */
    public static Role fromWireName(String wireName) {
        for (Role role : values()) {
            if (role.wireName.equals(wireName)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role is \"" + wireName + "\"; expected origin or relay");
    }
}
