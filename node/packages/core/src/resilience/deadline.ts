// The deadline rules of SEMANTICS.md §5. Every quantity is integer milliseconds of the caller's
// monotonic clock, except the header, which is relative so that no two clocks are ever compared.
import { DEADLINE_HEADER_NAME, DEADLINE_HEADER_PATTERN } from "../generated/vocabulary.js";
import { DeadlineExceededError, ResilienceError } from "./errors.js";
import type { Role } from "./taxonomy.js";

/** Carries the milliseconds the caller will wait for this request (the attempt's timeout). */
export const DEADLINE_HEADER = DEADLINE_HEADER_NAME;

// A base-10 integer of at most 10 ASCII digits, optionally negative (a value <= 0 is a deadline
// already spent, not a malformed header).
const HEADER_VALUE = new RegExp(`^(?:${DEADLINE_HEADER_PATTERN})$`);

/**
 * The most one attempt may take: `timeoutMs` for an origin, `deadlineMs` for a relay, whose upstream
 * runs its own retries inside the time it is given (SEMANTICS.md §5, §7).
 */
export function attemptCapMs(role: Role, timeoutMs: number, deadlineMs: number): number {
  return role === "origin" ? timeoutMs : deadlineMs;
}

/**
 * Whether an attempt of `timeoutMs` may start: its `X-Deadline-Ms`, `timeoutMs − answerMarginMs`, is at
 * least the next hop's `minDeadlineMs` (a lower value would be refused with 400 INVALID_REQUEST).
 */
export function attemptStarts(timeoutMs: number, answerMarginMs: number, minDeadlineMs: number): boolean {
  return timeoutMs - answerMarginMs >= minDeadlineMs;
}

/**
 * The timeout of an attempt starting at `now`: `min(timeoutMs, deadlineAt − now)`, `timeoutMs` being
 * the cap (see `attemptCapMs`). Throws `DeadlineExceededError` when the attempt does not start
 * (SEMANTICS.md §8 step 1): its `X-Deadline-Ms`, the timeout minus `answerMarginMs`, would be below
 * `minDeadlineMs`, the floor below which the next hop refuses the request. Pass
 * `payment.answer_margin_ms` and `payment.min_deadline_ms`; the defaults (0 and 1) refuse only when
 * no time is left.
 */
export function attemptTimeoutMs(
  now: number,
  deadlineAt: number,
  timeoutMs: number,
  answerMarginMs = 0,
  minDeadlineMs = 1,
): number {
  const remaining = deadlineAt - now;
  if (remaining <= 0) {
    throw new DeadlineExceededError(`the deadline passed ${-remaining} ms ago; no attempt starts`);
  }
  const timeout = Math.min(timeoutMs, remaining);
  if (!attemptStarts(timeout, answerMarginMs, minDeadlineMs)) {
    throw new DeadlineExceededError(
      `an attempt would get ${timeout} ms and send ${DEADLINE_HEADER} ${timeout - answerMarginMs} ` +
        `(answer_margin_ms ${answerMarginMs}), below min_deadline_ms ${minDeadlineMs}: it does not start`,
    );
  }
  return timeout;
}

/** The `X-Deadline-Ms` an attempt of `timeoutMs` sends: the answer needs `answerMarginMs` to travel back. */
export function deadlineHeaderMs(timeoutMs: number, answerMarginMs: number): number {
  return timeoutMs - answerMarginMs;
}

/**
 * The deadline of a request that arrived at `arrival` carrying `header` (the `X-Deadline-Ms` value
 * as received, `null`/`undefined` when absent): `arrival + min(header, deadlineMs)`.
 *
 * Throws `ResilienceError` INVALID_REQUEST when the header is not a base-10 integer of at most 10
 * digits or its value is in `1 .. minDeadlineMs − 1` (pass `payment.min_deadline_ms`; the default 1
 * refuses none), and `DeadlineExceededError` when its value is ≤ 0 (the work must not start).
 */
export function deadlineFromHeader(
  arrival: number,
  header: string | null | undefined,
  deadlineMs: number,
  minDeadlineMs = 1,
): number {
  if (header === null || header === undefined) {
    return arrival + deadlineMs;
  }
  if (!HEADER_VALUE.test(header)) {
    throw new ResilienceError(
      "INVALID_REQUEST",
      `${DEADLINE_HEADER} must be a base-10 integer of at most 10 digits, but was ${JSON.stringify(header)}`,
    );
  }
  const wait = Number(header);
  if (wait <= 0) {
    throw new DeadlineExceededError(`${DEADLINE_HEADER} is ${header}: the caller has stopped waiting`);
  }
  if (wait < minDeadlineMs) {
    throw new ResilienceError(
      "INVALID_REQUEST",
      `${DEADLINE_HEADER} is ${wait} ms, below min_deadline_ms ${minDeadlineMs}; ` +
        `expected at least ${minDeadlineMs} ms (or a value <= 0 for a deadline already spent)`,
    );
  }
  return arrival + Math.min(wait, deadlineMs);
}

/**
 * Whether a backoff of `delay` may be slept at `now` (SEMANTICS.md §8 step 9): only if the attempt after
 * it would start, `min(capMs, deadlineAt − now − delay) − answerMarginMs ≥ minDeadlineMs`. Pass the call
 * site's cap (`attemptCapMs`), `payment.answer_margin_ms` and `payment.min_deadline_ms`; the defaults (no
 * cap, 0 and 1) allow any sleep that ends strictly before the deadline.
 */
export function sleepAllowed(
  now: number,
  delay: number,
  deadlineAt: number,
  capMs = Number.POSITIVE_INFINITY,
  answerMarginMs = 0,
  minDeadlineMs = 1,
): boolean {
  return attemptStarts(Math.min(capMs, deadlineAt - now - delay), answerMarginMs, minDeadlineMs);
}
