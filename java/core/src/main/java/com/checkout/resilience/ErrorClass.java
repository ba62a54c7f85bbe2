package com.checkout.resilience;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The error taxonomy of SEMANTICS.md §6 as data: one set of names for errors, logs, HTTP bodies
 * ({@code error.class}) and metric labels ({@code error_class}).
 */
public enum ErrorClass {
    /** No answer within the attempt timeout: the outcome is unknown. */
    TIMEOUT(Outcome.FAILURE, true, 504),
    /** Connect refused/failed, or the connection broke before an answer. */
    CONNECTION(Outcome.FAILURE, true, 502),
    /** The upstream answered 5xx (other than overload). */
    UPSTREAM_UNAVAILABLE(Outcome.FAILURE, true, 502),
    /** The upstream answered 429, or 503 saying it sheds load. */
    OVERLOADED(Outcome.FAILURE, false, 503),
    /** The breaker rejected the call; the upstream was not called. */
    CIRCUIT_OPEN(Outcome.IGNORED, false, 503),
    /** Half-open trial slots are taken; the upstream was not called. */
    HALF_OPEN_LIMIT(Outcome.IGNORED, false, 503),
    /** The deadline left no time for (another) attempt. */
    DEADLINE_EXCEEDED(Outcome.IGNORED, false, 504),
    /** The retry budget refused a retry. */
    RETRY_BUDGET_EXHAUSTED(Outcome.IGNORED, false, 503),
    /** The provider declined the payment: an answer, not a fault (200 as a result, 402 raised). */
    DECLINED(Outcome.IGNORED, false, 402),
    /** The request is malformed or invalid (413 when too large). */
    INVALID_REQUEST(Outcome.IGNORED, false, 400),
    /** Same key in flight (409) or with a different payload (422). */
    IDEMPOTENCY_CONFLICT(Outcome.IGNORED, false, 409),
    /** No such order or payment. */
    NOT_FOUND(Outcome.IGNORED, false, 404),
    /** No database connection within {@code acquire_timeout_ms}. */
    POOL_ACQUIRE_TIMEOUT(null, true, 503),
    /** The database refused, reset or terminated the connection. */
    DB_CONNECTION(null, true, 503),
    /** A statement was cancelled by its timeout. */
    DB_STATEMENT_TIMEOUT(null, true, 503),
    /** Serialization failure or deadlock (SQLSTATE 40001/40P01). */
    DB_SERIALIZATION(null, true, 503),
    /** A unique constraint (SQLSTATE 23505), e.g. a duplicate idempotency key. */
    ALREADY_EXISTS(null, false, 409),
    /** A config file failed the schema or the lint; never an HTTP answer. */
    INVALID_CONFIG(null, false, 0),
    /** A bug; never expected. */
    INTERNAL(null, false, 500);

    private final Outcome breaker;
    private final boolean retryable;
    private final int httpStatus;

    ErrorClass(Outcome breaker, boolean retryable, int httpStatus) {
        this.breaker = breaker;
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    /**
     * The outcome a circuit breaker records for an attempt that ended this way.
     *
     * @return the outcome; empty where the table says "—" (classes no breaker sees)
     */
    public Optional<Outcome> breaker() {
        return Optional.ofNullable(breaker);
    }

    /**
     * Whether the class is worth another attempt with the same Idempotency-Key at a layer that
     * may retry it; which classes a call site actually retries is {@link Role#isRetried}.
     *
     * @return the table's {@code retryable} column
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The HTTP status a raised error of this class answers with: the first one the table names.
     *
     * @return the status; empty for {@link #INVALID_CONFIG}, which is never an HTTP answer
     */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }
}
