// What the call loop (SEMANTICS.md §8) hands an attempt, what it needs back, and how a call ended: the
// names Python (`checkout_payments.resilience.attempt`) and Java (`com.checkout.resilience`) use too.
import type { RetrySettings } from "../generated/index.js";
import { ResilienceError } from "./errors.js";
import { ERROR_CLASSES, isErrorClass, type ErrorClass } from "./taxonomy.js";

/**
 * What one attempt is given: its number (1 = first), its timeout (wait that long for the answer) and
 * the `X-Deadline-Ms` value it sends, `timeoutMs − answer_margin_ms` (SEMANTICS.md §5).
 */
export interface AttemptContext {
  readonly number: number;
  readonly timeoutMs: number;
  readonly deadlineHeaderMs: number;
}

/** What one attempt is: it must give up by `timeoutMs` (the kernel runs no timer) and send the header. */
export type Attempt<T> = (context: AttemptContext) => Promise<T>;

/**
 * How an attempt ended (SEMANTICS.md §6): `errorClass` `null` for a success (`DECLINED` is an answer
 * too, and ends the call with it); `downstreamRetryable` the `retryable` of the error answer's body,
 * `null` when there was none; `timedOut` that the attempt's own timeout ran out (no answer in time),
 * which only a `TIMEOUT` can say. A `TIMEOUT` without it counts as timed out when the attempt took its
 * whole timeout, and as the upstream's `TIMEOUT` answer otherwise (§5, the evidence rule).
 */
export interface AttemptVerdict {
  readonly errorClass: ErrorClass | null;
  readonly downstreamRetryable: boolean | null;
  readonly timedOut: boolean;
}

/** The verdict of every successful attempt. */
export const SUCCESS: AttemptVerdict = Object.freeze({ errorClass: null, downstreamRetryable: null, timedOut: false });

/** An attempt whose own timeout ran out: no answer came in time. */
export const TIMED_OUT: AttemptVerdict = Object.freeze({
  errorClass: "TIMEOUT",
  downstreamRetryable: null,
  timedOut: true,
});

/** An attempt that ended with `errorClass` (an answer's or the transport's), not by its own timeout. */
export function verdictOf(errorClass: ErrorClass, downstreamRetryable: boolean | null = null): AttemptVerdict {
  return Object.freeze({ errorClass, downstreamRetryable, timedOut: false });
}

/**
 * An upstream's error answer, classified at the call site (SEMANTICS.md §6): by the body's
 * `error.class` when that class has a breaker outcome; otherwise by status — 429, or 503 with
 * `Retry-After`, is `OVERLOADED`, any other 5xx `UPSTREAM_UNAVAILABLE`, any other 4xx
 * `INVALID_REQUEST`. A status below 400 is no error answer the APIs have (a redirect, a 2xx the caller
 * could not read): `INTERNAL`. `bodyRetryable` is the body's `retryable` (`null` when absent), the
 * downstream's veto on a retry (§7).
 */
export function classifyAnswer(
  status: number,
  bodyErrorClass: string | null,
  bodyRetryable: boolean | null,
  hasRetryAfter: boolean,
): AttemptVerdict {
  return verdictOf(answerClass(status, bodyErrorClass, hasRetryAfter), bodyRetryable);
}

function answerClass(status: number, bodyErrorClass: string | null, hasRetryAfter: boolean): ErrorClass {
  // A downstream's database or internal class has no breaker outcome: it says nothing about this hop's
  // upstream that its status does not.
  if (isErrorClass(bodyErrorClass) && ERROR_CLASSES[bodyErrorClass].breaker !== null) {
    return bodyErrorClass;
  }
  if (status === 429 || (status === 503 && hasRetryAfter)) {
    return "OVERLOADED";
  }
  if (status >= 500) {
    return "UPSTREAM_UNAVAILABLE";
  }
  return status >= 400 ? "INVALID_REQUEST" : "INTERNAL";
}

/**
 * Turns what an attempt returned or threw into a verdict; the only place that knows the transport.
 * `classifyError` returns `null` for an error that is no attempt outcome (a bug of the caller's): the
 * loop then gives the slot and the permit back (`ignored`) and rethrows it.
 */
export interface Classifier<T> {
  classifyResult(value: T): AttemptVerdict;
  classifyError(error: unknown): AttemptVerdict | null;
}

/**
 * Every value is a success; a thrown `ResilienceError` has its class (its `retryable: false` is the
 * downstream's veto, `DECLINED` an answer); anything else is a bug, rethrown.
 */
export const defaultClassifier: Classifier<unknown> = Object.freeze({
  classifyResult: (): AttemptVerdict => SUCCESS,
  classifyError: (error: unknown): AttemptVerdict | null =>
    error instanceof ResilienceError ? verdictOf(error.errorClass, error.retryable ? null : false) : null,
});

/** The settings one call reads; the breaker's, budget's and bulkhead's are those objects' own. */
export interface CallSettings {
  readonly timeout_ms: number;
  readonly deadline_ms: number;
  readonly provider_expected_p99_ms: number;
  readonly min_deadline_ms: number;
  readonly answer_margin_ms: number;
  readonly retry: RetrySettings;
}

/**
 * How a call ended. No `retryable`: once this loop ran, the caller of this service may not retry
 * (SEMANTICS.md §7), so a service answers `"retryable": false` itself.
 */
export interface CallResult<T> {
  /** `null` for a success; `DECLINED` (an answer) or the class the call failed with. */
  readonly errorClass: ErrorClass | null;
  /** Attempts actually run; a call refused by the bulkhead or the breaker before one ran has 0. */
  readonly attempts: number;
  readonly sleepsMs: readonly number[];
  /** What the last attempt run returned; `undefined` when it threw or none ran. */
  readonly value: T | undefined;
  /** What the last attempt run threw; `undefined` when it returned or none ran. */
  readonly error: unknown;
  /** Until the breaker lets a trial through, when it rejected the call `CIRCUIT_OPEN`; else `null`. */
  readonly retryAfterMs: number | null;
  /** `success` or the class: the label logs and metrics use. */
  readonly outcome: "success" | ErrorClass;
}
