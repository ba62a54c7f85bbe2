// generated from config/taxonomy.json — do not edit
// regenerate: nox -s codegen
// taxonomy-sha256: a8b4ba3f6042ae5b7c0424d4442965614d6c13d6ff78b8139d2c9827e5434515
// The error taxonomy (config/SEMANTICS.md §6) and the call-site roles (§7).

/** The outcome a circuit breaker (and the retry budget) records for a finished attempt. */
export type Outcome =
  | "success"
  | "failure"
  | "ignored"
;

export const OUTCOMES: readonly Outcome[] = Object.freeze(["success", "failure", "ignored"]);

/** One set of names for errors, logs, HTTP bodies (`error.class`) and metric labels (`error_class`). */
export type ErrorClass =
  | "TIMEOUT"
  | "CONNECTION"
  | "UPSTREAM_UNAVAILABLE"
  | "OVERLOADED"
  | "CIRCUIT_OPEN"
  | "HALF_OPEN_LIMIT"
  | "BULKHEAD_FULL"
  | "DEADLINE_EXCEEDED"
  | "RETRY_BUDGET_EXHAUSTED"
  | "DECLINED"
  | "INVALID_REQUEST"
  | "IDEMPOTENCY_CONFLICT"
  | "NOT_FOUND"
  | "POOL_ACQUIRE_TIMEOUT"
  | "DB_CONNECTION"
  | "DB_STATEMENT_TIMEOUT"
  | "DB_SERIALIZATION"
  | "ALREADY_EXISTS"
  | "INVALID_CONFIG"
  | "INTERNAL"
;

/** One row of the §6 table. */
export interface ErrorClassInfo {
  /** The outcome recorded for an attempt that ended this way; `null` where no breaker sees the class. */
  readonly breaker: Exclude<Outcome, "success"> | null;
  /** Worth another attempt with the same Idempotency-Key at a layer that may retry it (§7). */
  readonly retryable: boolean;
  /** The status a raised error of this class answers with in its common case; `null` if never HTTP. */
  readonly httpStatus: number | null;
}

/** SEMANTICS.md §6, row by row. */
export const ERROR_CLASSES: Readonly<Record<ErrorClass, ErrorClassInfo>> = Object.freeze({
  /**
   * no answer within the attempt timeout: the outcome is unknown (§5: ignored when the attempt was
   * shorter than min(timeout_ms, provider_expected_p99_ms))
   */
  TIMEOUT: Object.freeze({ breaker: "failure", retryable: true, httpStatus: 504 }),
  /** connect refused/failed, or the connection broke before an answer */
  CONNECTION: Object.freeze({ breaker: "failure", retryable: true, httpStatus: 502 }),
  /** the upstream answered 5xx (other than overload) */
  UPSTREAM_UNAVAILABLE: Object.freeze({ breaker: "failure", retryable: true, httpStatus: 502 }),
  /** the upstream answered 429, or 503 saying it sheds load */
  OVERLOADED: Object.freeze({ breaker: "failure", retryable: false, httpStatus: 503 }),
  /** the breaker rejected the call; upstream not called */
  CIRCUIT_OPEN: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 503 }),
  /** half-open trial slots are taken; upstream not called */
  HALF_OPEN_LIMIT: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 503 }),
  /**
   * the operation's concurrency limit (bulkhead.max_concurrent) is reached in this process; upstream
   * not called (§11)
   */
  BULKHEAD_FULL: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 503 }),
  /**
   * the deadline left no time for (another) attempt, or a cut attempt ran out (§5: its outcome is
   * the evidence rule's)
   */
  DEADLINE_EXCEEDED: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 504 }),
  /** the retry budget refused a retry */
  RETRY_BUDGET_EXHAUSTED: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 503 }),
  /**
   * the provider declined the payment (an answer, not a fault: POST /payments answers 200 with
   * status: declined)
   */
  DECLINED: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 402 }),
  /** the request is malformed or invalid (a too-large body answers 413) */
  INVALID_REQUEST: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 400 }),
  /** same key in flight (409) or reused with a different payload (answers 422) */
  IDEMPOTENCY_CONFLICT: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 409 }),
  /** no such order or payment */
  NOT_FOUND: Object.freeze({ breaker: "ignored", retryable: false, httpStatus: 404 }),
  /** no database connection within acquire_timeout_ms */
  POOL_ACQUIRE_TIMEOUT: Object.freeze({ breaker: null, retryable: true, httpStatus: 503 }),
  /** the database refused, reset or terminated the connection */
  DB_CONNECTION: Object.freeze({ breaker: null, retryable: true, httpStatus: 503 }),
  /** a statement was cancelled by its timeout */
  DB_STATEMENT_TIMEOUT: Object.freeze({ breaker: null, retryable: true, httpStatus: 503 }),
  /** serialization failure or deadlock (SQLSTATE 40001/40P01) */
  DB_SERIALIZATION: Object.freeze({ breaker: null, retryable: true, httpStatus: 503 }),
  /** a unique constraint (SQLSTATE 23505) — e.g. a duplicate idempotency key */
  ALREADY_EXISTS: Object.freeze({ breaker: null, retryable: false, httpStatus: 409 }),
  /** a config file failed the schema or the lint */
  INVALID_CONFIG: Object.freeze({ breaker: null, retryable: false, httpStatus: null }),
  /** a bug; never expected */
  INTERNAL: Object.freeze({ breaker: null, retryable: false, httpStatus: 500 }),
});

export function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === "string" && Object.hasOwn(ERROR_CLASSES, value);
}

/** Where a call site sits (§7); it decides which classes the call site retries. */
export type Role =
  | "origin"
  | "relay"
;

export const ROLES: readonly Role[] = Object.freeze(["origin", "relay"]);

/** The classes a call site of each role retries; exhaustive: any other class is never retried. */
export const RETRIED_BY: Readonly<Record<Role, ReadonlySet<ErrorClass>>> = Object.freeze({
  /**
   * the upstream does the work itself (the gateway calling the payment provider); the same
   * Idempotency-Key makes a retried charge safe
   */
  origin: new Set<ErrorClass>(["TIMEOUT", "CONNECTION", "UPSTREAM_UNAVAILABLE"]),
  /**
   * the upstream retries its own upstream (the order service and the Python client calling the
   * gateway); a TIMEOUT is not retried: the gateway has spent the attempt's whole time already, the
   * outcome is unknown and is settled by reconciliation, never by a second charge
   */
  relay: new Set<ErrorClass>(["CONNECTION"]),
});
