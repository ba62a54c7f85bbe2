package com.checkout.resilience;

import com.checkout.config.generated.Taxonomy;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The error taxonomy of SEMANTICS.md §6: one set of names for errors, logs, HTTP bodies
 * ({@code error.class}) and metric labels ({@code error_class}). The rows, and what each class
 * means, are {@link Taxonomy#CLASSES}, generated from config/taxonomy.json; the constants here
 * are their names, in the same order, which the class checks when it loads.
 */
public enum ErrorClass {
    TIMEOUT, CONNECTION, UPSTREAM_UNAVAILABLE, OVERLOADED, CIRCUIT_OPEN, HALF_OPEN_LIMIT,
    BULKHEAD_FULL, DEADLINE_EXCEEDED, RETRY_BUDGET_EXHAUSTED, DECLINED, INVALID_REQUEST, IDEMPOTENCY_CONFLICT,
    NOT_FOUND, POOL_ACQUIRE_TIMEOUT, DB_CONNECTION, DB_STATEMENT_TIMEOUT, DB_SERIALIZATION,
    ALREADY_EXISTS, INVALID_CONFIG, INTERNAL;

    static {
        List<String> constants = Arrays.stream(values()).map(Enum::name).toList();
        List<String> rows = Taxonomy.CLASSES.stream().map(Taxonomy.ClassRow::errorClass).toList();
        if (!constants.equals(rows)) {
            throw new IllegalStateException("ErrorClass constants " + constants
                    + " are not the rows of config/taxonomy.json " + rows);
        }
    }

    private Taxonomy.ClassRow row() {
        return Taxonomy.CLASSES.get(ordinal());
    }

    /**
     * The outcome a circuit breaker records for an attempt that ended this way.
     *
     * @return the outcome; empty where the table says "—" (classes no breaker sees)
     */
    public Optional<Outcome> breaker() {
        return Optional.ofNullable(row().breaker()).map(Outcome::fromWireName);
    }

    /**
     * Whether the class is worth another attempt with the same Idempotency-Key at a layer that
     * may retry it; which classes a call site actually retries is {@link Role#isRetried}.
     *
     * @return the table's {@code retryable} column
     */
    public boolean retryable() {
        return row().retryable();
    }

    /**
     * The HTTP status a raised error of this class answers with in its common case.
     *
     * @return the status; empty for {@link #INVALID_CONFIG}, which is never an HTTP answer
     */
    public OptionalInt httpStatus() {
        int status = row().httpStatus();
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }
}
