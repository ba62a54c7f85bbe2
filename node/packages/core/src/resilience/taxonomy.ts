// The error taxonomy of config/SEMANTICS.md §6 as data, and the retry-at-one-layer rule of §7.

/** The outcome a circuit breaker (and the retry budget) records for a finished attempt. */
export type Outcome = "success" | "failure" | "ignored";

export const OUTCOMES: readonly Outcome[] = Object.freeze(["success", "failure", "ignored"]);

/** One set of names for errors, logs, HTTP bodies (`error.class`) and metric labels (`error_class`). */
export type ErrorClass =
  | "TIMEOUT"
  | "CONNECTION"
  | "UPSTREAM_UNAVAILABLE"
  | "OVERLOADED"
  | "CIRCUIT_OPEN"
  | "HALF_OPEN_LIMIT"
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
  | "INTERNAL";

/** One row of the §6 table. */
export interface ErrorClassInfo {
  /** The outcome recorded for an attempt that ended this way; `null` where the table says —. */
  readonly breaker: Exclude<Outcome, "success"> | null;
  /** Worth another attempt with the same Idempotency-Key at a layer that may retry it (§7). */
  readonly retryable: boolean;
  /** The status a raised error of this class answers with; `null` where the table says —. */
  readonly httpStatus: number | null;
}

function row(breaker: ErrorClassInfo["breaker"], retryable: boolean, httpStatus: number | null): ErrorClassInfo {
  return Object.freeze({ breaker, retryable, httpStatus });
}

/**
 * SEMANTICS.md §6, row by row. DECLINED answers 200 (`status: declined`) as a result and 402 when
 * raised; an INVALID_REQUEST that is too large answers 413, an IDEMPOTENCY_CONFLICT over a different
 * payload 422 — the table holds the status of the raised error in its common case.
 */
export const ERROR_CLASSES: Readonly<Record<ErrorClass, ErrorClassInfo>> = Object.freeze({
  TIMEOUT: row("failure", true, 504),
  CONNECTION: row("failure", true, 502),
  UPSTREAM_UNAVAILABLE: row("failure", true, 502),
  OVERLOADED: row("failure", false, 503),
  CIRCUIT_OPEN: row("ignored", false, 503),
  HALF_OPEN_LIMIT: row("ignored", false, 503),
  DEADLINE_EXCEEDED: row("ignored", false, 504),
  RETRY_BUDGET_EXHAUSTED: row("ignored", false, 503),
  DECLINED: row("ignored", false, 402),
  INVALID_REQUEST: row("ignored", false, 400),
  IDEMPOTENCY_CONFLICT: row("ignored", false, 409),
  NOT_FOUND: row("ignored", false, 404),
  POOL_ACQUIRE_TIMEOUT: row(null, true, 503),
  DB_CONNECTION: row(null, true, 503),
  DB_STATEMENT_TIMEOUT: row(null, true, 503),
  DB_SERIALIZATION: row(null, true, 503),
  ALREADY_EXISTS: row(null, false, 409),
  INVALID_CONFIG: row(null, false, null),
  INTERNAL: row(null, false, 500),
});

export function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === "string" && Object.hasOwn(ERROR_CLASSES, value);
}

/** Where a call site sits (§7): `origin` when the upstream does the work, `relay` when it retries its own upstream. */
export type Role = "origin" | "relay";

export const ROLES: readonly Role[] = Object.freeze(["origin", "relay"]);

const RETRIED_BY: Readonly<Record<Role, ReadonlySet<ErrorClass>>> = Object.freeze({
  // The same Idempotency-Key makes a retried charge safe where the upstream does the work itself.
  origin: new Set<ErrorClass>(["TIMEOUT", "CONNECTION", "UPSTREAM_UNAVAILABLE"]),
  // Only a request that never reached the gateway is safe to resend: its TIMEOUT means the gateway
  // already spent its own retries and the outcome is settled by reconciliation, not a second charge.
  relay: new Set<ErrorClass>(["CONNECTION"]),
});

/**
 * Whether a call site of this role retries an attempt that ended with `errorClass` (§7).
 *
 * `downstreamRetryable` is the `retryable` of the error answer's body, `null` when there was none:
 * `false` vetoes any retry, `true` never widens the role's classes.
 */
export function isRetried(errorClass: ErrorClass, role: Role, downstreamRetryable: boolean | null): boolean {
  return downstreamRetryable !== false && RETRIED_BY[role].has(errorClass);
}
