import type { PaymentSettings } from "../generated/index.js";
import { backoffDelayMs } from "./backoff.js";
import type { CircuitBreaker, Permit } from "./breaker.js";
import type { RetryBudget } from "./budget.js";
import { attemptCapMs, attemptTimeoutMs, deadlineHeaderMs, sleepAllowed } from "./deadline.js";
import { ResilienceError } from "./errors.js";
import { ERROR_CLASSES, isRetried, type ErrorClass, type Outcome, type Role } from "./taxonomy.js";

/**
 * What one attempt is given: its number (1 = first), its timeout (wait that long for the answer) and
 * the `X-Deadline-Ms` value it sends, `timeoutMs − answer_margin_ms` (SEMANTICS.md §5).
 */
export interface AttemptContext {
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly deadlineHeaderMs: number;
}

/** How an attempt ended. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** What the classifier made of an attempt's end (SEMANTICS.md §6). */
export type AttemptVerdict =
  | { readonly kind: "success" }
  /** An answer, not a fault: the call ends with DECLINED and nothing counts it. */
  | { readonly kind: "declined" }
  | {
      readonly kind: "error";
      readonly errorClass: ErrorClass;
      /** The `retryable` of the error answer's body; `null` when there was no such body. */
      readonly downstreamRetryable: boolean | null;
      /**
       * The attempt's own timeout ran out (no answer in time); only a TIMEOUT can say so. A TIMEOUT
       * without it counts as timed out when the attempt took its whole timeout, and as the
       * upstream's TIMEOUT answer otherwise (SEMANTICS.md §5, evidence rule).
       */
      readonly timedOut?: boolean;
    };

/** Turns an attempt's value or thrown error into a verdict; the only place that knows the transport. */
export type Classifier<T> = (settled: Settled<T>) => AttemptVerdict;

/**
 * Values are successes; a thrown `ResilienceError` has its class (its `retryable: false` is the
 * downstream's veto), anything else is INTERNAL.
 */
export function defaultClassifier(settled: Settled<unknown>): AttemptVerdict {
  if (settled.ok) {
    return SUCCESS;
  }
  const error = settled.error;
  if (error instanceof ResilienceError) {
    if (error.errorClass === "DECLINED") {
      return DECLINED;
    }
    return { kind: "error", errorClass: error.errorClass, downstreamRetryable: error.retryable ? null : false };
  }
  return { kind: "error", errorClass: "INTERNAL", downstreamRetryable: null };
}

const SUCCESS: AttemptVerdict = Object.freeze({ kind: "success" });
const DECLINED: AttemptVerdict = Object.freeze({ kind: "declined" });

/** The part of the payment settings one call needs. */
export type CallSettings = Pick<
  PaymentSettings,
  "timeout_ms" | "deadline_ms" | "provider_expected_p99_ms" | "min_deadline_ms" | "answer_margin_ms" | "retry"
>;

/** Everything a call depends on, injected: no clock, randomness or timer is read from globals. */
export interface ResilientCallOptions<T> {
  readonly settings: CallSettings;
  readonly role: Role;
  /** Shared by every call to the same upstream. */
  readonly breaker: CircuitBreaker;
  /** Shared by every call to the same upstream. */
  readonly budget: RetryBudget;
  readonly classifier: Classifier<T>;
  /** Monotonic clock, integer ms. */
  readonly now: () => number;
  /** One draw in [0, 1) per scheduled retry. */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** How a call ended. `retryable` is always false: once this loop ran, nobody upstream may retry. */
export interface CallResult<T> {
  /** `success`, `DECLINED` (an answer) or the class the call failed with. */
  readonly result: "success" | ErrorClass;
  /** Attempts actually run; a breaker rejection is not one. */
  readonly attempts: number;
  readonly sleepsMs: readonly number[];
  /** What the last attempt returned or threw; `undefined` when none ran. */
  readonly last: Settled<T> | undefined;
  readonly retryable: false;
}

/** What one attempt is: it must give up by `timeoutMs` (the kernel runs no timer) and send the header. */
export type Attempt<T> = (context: AttemptContext) => Promise<T>;

/**
 * One call, SEMANTICS.md §8: deadline ⊃ retry ⊃ breaker ⊃ attempt timeout.
 *
 * A hand-written loop rather than cockatiel (or opossum): their half-open breakers admit a single
 * probe and count differently, and neither lets the random draw of the backoff be injected.
 */
export class ResilientCall<T> {
  readonly #options: ResilientCallOptions<T>;

  constructor(options: ResilientCallOptions<T>) {
    this.#options = options;
  }

  /** Runs `attempt` until §8 ends the call; `deadlineAt` defaults to `now() + deadline_ms`. */
  async run(attempt: Attempt<T>, deadlineAt?: number): Promise<CallResult<T>> {
    const { settings, role, breaker, budget, classifier, now, random, sleep } = this.#options;
    const deadline = deadlineAt ?? now() + settings.deadline_ms;
    const sleepsMs: number[] = [];
    let attempts = 0;
    let last: Settled<T> | undefined;
    const end = (result: CallResult<T>["result"]): CallResult<T> => ({
      result,
      attempts,
      sleepsMs,
      last,
      retryable: false,
    });

    const margin = settings.answer_margin_ms;
    const floor = settings.min_deadline_ms;
    const cap = attemptCapMs(role, settings.timeout_ms, settings.deadline_ms);
    // §5's evidence rule: an attempt that ran out is a failure only if it had at least this long.
    const evidenceMs = Math.min(settings.timeout_ms, settings.provider_expected_p99_ms);
    for (let k = 1; ; k++) {
      const startedAt = now();
      let timeoutMs: number;
      let permit: Permit;
      try {
        // An X-Deadline-Ms below min_deadline_ms would be refused by the next hop: the attempt does
        // not start, sends nothing and asks the breaker nothing.
        timeoutMs = attemptTimeoutMs(startedAt, deadline, cap, margin, floor);
        permit = breaker.allow(startedAt);
      } catch (error) {
        if (error instanceof ResilienceError) {
          return end(error.errorClass);
        }
        throw error;
      }

      attempts = k;
      try {
        const context = { attempt: k, timeoutMs, deadlineHeaderMs: deadlineHeaderMs(timeoutMs, margin) };
        last = { ok: true, value: await attempt(context) };
      } catch (error) {
        last = { ok: false, error };
      }
      const endedAt = now();
      const verdict = classifier(last);
      const ranOut = ranOutOfTime(verdict, endedAt - startedAt, timeoutMs);
      // No answer in time: evidence against the upstream only if it had the time it is expected to
      // need; a shorter attempt, cut by a caller's deadline, proves nothing (so a caller's short
      // deadline cannot open the shared breaker). An upstream's quick TIMEOUT answer is an answer.
      const outcome = ranOut ? (timeoutMs >= evidenceMs ? "failure" : "ignored") : outcomeOf(verdict);
      permit.record(outcome, endedAt);
      budget.record(outcome);

      if (verdict.kind !== "error") {
        return end(verdict.kind === "success" ? "success" : "DECLINED");
      }
      const errorClass = verdict.errorClass;
      if (ranOut && timeoutMs < cap) {
        // The deadline cut this attempt and it ran out: the call's time is up.
        return end("DEADLINE_EXCEEDED");
      }
      if (!isRetried(errorClass, role, verdict.downstreamRetryable) || k >= settings.retry.max_attempts) {
        return end(errorClass);
      }
      if (!budget.allowRetry()) {
        return end("RETRY_BUDGET_EXHAUSTED");
      }
      const delay = backoffDelayMs(k, settings.retry, random());
      // No sleep whose following attempt could not start.
      if (!sleepAllowed(endedAt, delay, deadline, cap, margin, floor)) {
        return end("DEADLINE_EXCEEDED");
      }
      await sleep(delay);
      sleepsMs.push(delay);
    }
  }
}

// Whether the attempt's own timeout ran out: the classifier says so, or a TIMEOUT took it all.
function ranOutOfTime(verdict: AttemptVerdict, elapsedMs: number, timeoutMs: number): boolean {
  if (verdict.kind !== "error" || verdict.errorClass !== "TIMEOUT") {
    return false;
  }
  return verdict.timedOut === true || elapsedMs >= timeoutMs;
}

// Classes without a breaker outcome (database and internal ones) never come from an upstream
// answer; should an attempt end with one, it proves nothing about the upstream.
function outcomeOf(verdict: AttemptVerdict): Outcome {
  if (verdict.kind === "success") {
    return "success";
  }
  if (verdict.kind === "declined") {
    return "ignored";
  }
  return ERROR_CLASSES[verdict.errorClass].breaker ?? "ignored";
}
