// The deadline rules of SEMANTICS.md §5. Every quantity is integer milliseconds of the caller's
// monotonic clock, except the header, which is relative so that no two clocks are ever compared.
import { DeadlineExceededError, ResilienceError } from "./errors.js";

/** Carries the milliseconds the caller will wait for this request (the attempt's timeout). */
export const DEADLINE_HEADER = "X-Deadline-Ms";

// A base-10 integer of at most 10 ASCII digits, optionally negative (a value <= 0 is a deadline
// already spent, not a malformed header).
const HEADER_VALUE = /^-?[0-9]{1,10}$/;

/**
 * The timeout of an attempt starting at `now`: `min(timeoutMs, deadlineAt − now)`. Throws
 * `DeadlineExceededError` when that is ≤ 0, for then the attempt must not start.
 */
export function attemptTimeoutMs(now: number, deadlineAt: number, timeoutMs: number): number {
  const remaining = deadlineAt - now;
  if (remaining <= 0) {
    throw new DeadlineExceededError(`the deadline passed ${-remaining} ms ago; no attempt starts`);
  }
  return Math.min(timeoutMs, remaining);
}

/**
 * The deadline of a request that arrived at `arrival` carrying `header` (the `X-Deadline-Ms` value
 * as received, `null`/`undefined` when absent): `arrival + min(header, deadlineMs)`.
 *
 * Throws `ResilienceError` INVALID_REQUEST when the header is not a base-10 integer of at most 10
 * digits, and `DeadlineExceededError` when its value is ≤ 0 (the work must not start).
 */
export function deadlineFromHeader(arrival: number, header: string | null | undefined, deadlineMs: number): number {
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
  return arrival + Math.min(wait, deadlineMs);
}

/** Whether a backoff of `delay` may be slept at `now`: only if it ends before the deadline. */
export function sleepAllowed(now: number, delay: number, deadlineAt: number): boolean {
  return now + delay < deadlineAt;
}
