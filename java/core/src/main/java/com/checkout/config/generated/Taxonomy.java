// generated from config/taxonomy.json — do not edit
// regenerate: nox -s codegen
// taxonomy-sha256: a8b4ba3f6042ae5b7c0424d4442965614d6c13d6ff78b8139d2c9827e5434515
package com.checkout.config.generated;

import java.util.List;

/**
 * The error taxonomy (SEMANTICS.md §6) and the call-site roles (§7) as rows; the kernel's
 * {@code ErrorClass}, {@code Role} and {@code Outcome} enums read their traits from here.
 */
public final class Taxonomy {
    private Taxonomy() {}

    /**
     * One row of the §6 table.
     *
     * @param errorClass the wire name
     * @param breaker the outcome's wire name; null where no breaker sees the class
     * @param retryable worth another attempt at a layer that may retry it (§7)
     * @param httpStatus the status of a raised error in its common case; 0 when never HTTP
     */
    public record ClassRow(String errorClass, String breaker, boolean retryable, int httpStatus) {}

    /**
     * One role of §7.
     *
     * @param role the wire name
     * @param retried the classes a call site of the role retries; exhaustive
     */
    public record RoleRow(String role, List<String> retried) {}

    /** The outcomes' wire names, in order. */
    public static final List<String> OUTCOMES = List.of("success", "failure", "ignored");

    /** The §6 table, row by row. */
    public static final List<ClassRow> CLASSES = List.of(
            /**
             * no answer within the attempt timeout: the outcome is unknown (§5: ignored when the attempt
             * was shorter than min(timeout_ms, provider_expected_p99_ms))
             */
            new ClassRow("TIMEOUT", "failure", true, 504),
            /**
             * connect refused/failed, or the connection broke before an answer
             */
            new ClassRow("CONNECTION", "failure", true, 502),
            /**
             * the upstream answered 5xx (other than overload)
             */
            new ClassRow("UPSTREAM_UNAVAILABLE", "failure", true, 502),
            /**
             * the upstream answered 429, or 503 saying it sheds load
             */
            new ClassRow("OVERLOADED", "failure", false, 503),
            /**
             * the breaker rejected the call; upstream not called
             */
            new ClassRow("CIRCUIT_OPEN", "ignored", false, 503),
            /**
             * half-open trial slots are taken; upstream not called
             */
            new ClassRow("HALF_OPEN_LIMIT", "ignored", false, 503),
            /**
             * the operation's concurrency limit (bulkhead.max_concurrent) is reached in this process;
             * upstream not called (§11)
             */
            new ClassRow("BULKHEAD_FULL", "ignored", false, 503),
            /**
             * the deadline left no time for (another) attempt, or a cut attempt ran out (§5: its outcome
             * is the evidence rule's)
             */
            new ClassRow("DEADLINE_EXCEEDED", "ignored", false, 504),
            /**
             * the retry budget refused a retry
             */
            new ClassRow("RETRY_BUDGET_EXHAUSTED", "ignored", false, 503),
            /**
             * the provider declined the payment (an answer, not a fault: POST /payments answers 200 with
             * status: declined)
             */
            new ClassRow("DECLINED", "ignored", false, 402),
            /**
             * the request is malformed or invalid (a too-large body answers 413)
             */
            new ClassRow("INVALID_REQUEST", "ignored", false, 400),
            /**
             * same key in flight (409) or reused with a different payload (answers 422)
             */
            new ClassRow("IDEMPOTENCY_CONFLICT", "ignored", false, 409),
            /**
             * no such order or payment
             */
            new ClassRow("NOT_FOUND", "ignored", false, 404),
            /**
             * no database connection within acquire_timeout_ms
             */
            new ClassRow("POOL_ACQUIRE_TIMEOUT", null, true, 503),
            /**
             * the database refused, reset or terminated the connection
             */
            new ClassRow("DB_CONNECTION", null, true, 503),
            /**
             * a statement was cancelled by its timeout
             */
            new ClassRow("DB_STATEMENT_TIMEOUT", null, true, 503),
            /**
             * serialization failure or deadlock (SQLSTATE 40001/40P01)
             */
            new ClassRow("DB_SERIALIZATION", null, true, 503),
            /**
             * a unique constraint (SQLSTATE 23505) — e.g. a duplicate idempotency key
             */
            new ClassRow("ALREADY_EXISTS", null, false, 409),
            /**
             * a config file failed the schema or the lint
             */
            new ClassRow("INVALID_CONFIG", null, false, 0),
            /**
             * a bug; never expected
             */
            new ClassRow("INTERNAL", null, false, 500));

    /** The roles of §7. */
    public static final List<RoleRow> ROLES = List.of(
            /**
             * the upstream does the work itself (the gateway calling the payment provider); the same
             * Idempotency-Key makes a retried charge safe
             */
            new RoleRow("origin", List.of("TIMEOUT", "CONNECTION", "UPSTREAM_UNAVAILABLE")),
            /**
             * the upstream retries its own upstream (the order service and the Python client calling the
             * gateway); a TIMEOUT is not retried: the gateway has spent the attempt's whole time already,
             * the outcome is unknown and is settled by reconciliation, never by a second charge
             */
            new RoleRow("relay", List.of("CONNECTION")));
}
