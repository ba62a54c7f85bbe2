import type { Attempt, AttemptContext, AttemptVerdict, CallResult, CallSettings, Classifier } from "./attempt.js";
import { backoffDelayMs } from "./backoff.js";
import type { CircuitBreaker, Permit } from "./breaker.js";
import type { RetryBudget } from "./budget.js";
import type { Bulkhead, BulkheadSlot } from "./bulkhead.js";
import { attemptCapMs, attemptTimeoutMs, deadlineHeaderMs, sleepAllowed } from "./deadline.js";
import { CircuitOpenError, ResilienceError } from "./errors.js";
import { ERROR_CLASSES, isRetried, type ErrorClass, type Outcome, type Role } from "./taxonomy.js";

/** Everything a call depends on, injected: no clock, randomness or timer is read from globals. */
export interface ResilientCallOptions<T> {
  readonly settings: CallSettings;
  readonly role: Role;
  /** Shared by every call of the same operation of the same upstream. */
  readonly breaker: CircuitBreaker;
  /** Shared like the breaker. */
  readonly budget: RetryBudget;
  /** Shared like the breaker: the operation's attempts in flight in this process. */
  readonly bulkhead: Bulkhead;
  readonly classifier: Classifier<T>;
  /** Monotonic clock, integer ms. */
  readonly clock: () => number;
  /** One draw in [0, 1) per computed backoff delay. */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * One call, SEMANTICS.md §8: deadline ⊃ retry ⊃ bulkhead ⊃ breaker ⊃ attempt timeout.
 *
 * A hand-written loop rather than cockatiel (or opossum): their half-open breakers admit a single
 * probe and count differently, and neither lets the random draw of the backoff be injected.
 */
export class ResilientCall<T> {
  readonly #options: ResilientCallOptions<T>;

  constructor(options: ResilientCallOptions<T>) {
    this.#options = options;
  }

  get settings(): CallSettings {
    return this.#options.settings;
  }

  get role(): Role {
    return this.#options.role;
  }

  get breaker(): CircuitBreaker {
    return this.#options.breaker;
  }

  get budget(): RetryBudget {
    return this.#options.budget;
  }

  get bulkhead(): Bulkhead {
    return this.#options.bulkhead;
  }

  /**
   * Runs `attempt` until §8 ends the call; `deadlineAt` defaults to `clock() + deadline_ms`. Rethrows
   * an error the classifier gives no verdict for (a bug), after giving its slot and permit back.
   */
  async call(attempt: Attempt<T>, deadlineAt?: number): Promise<CallResult<T>> {
    const { settings, role, breaker, budget, bulkhead, clock, random, sleep } = this.#options;
    const deadline = deadlineAt ?? clock() + settings.deadline_ms;
    const sleepsMs: number[] = [];
    let attempts = 0;
    let last: Settled<T> | undefined;
    let retryAfterMs: number | null = null;
    const end = (errorClass: ErrorClass | null): CallResult<T> => ({
      errorClass,
      attempts,
      sleepsMs,
      value: last?.ok === true ? last.value : undefined,
      error: last?.ok === false ? last.error : undefined,
      retryAfterMs,
      outcome: errorClass ?? "success",
    });

    const margin = settings.answer_margin_ms;
    const floor = settings.min_deadline_ms;
    const cap = attemptCapMs(role, settings.timeout_ms, settings.deadline_ms);
    // §5's evidence rule: an attempt that ran out is a failure only if it had at least this long.
    const evidenceMs = Math.min(settings.timeout_ms, settings.provider_expected_p99_ms);
    for (let k = 1; ; k++) {
      const startedAt = clock();
      let timeoutMs: number;
      try {
        // Step 1. An X-Deadline-Ms below min_deadline_ms would be refused by the next hop: the
        // attempt does not start, takes no slot and asks the breaker nothing.
        timeoutMs = attemptTimeoutMs(startedAt, deadline, cap, margin, floor);
      } catch (error) {
        return end(classOf(error));
      }
      // Step 2, before the breaker: a full bulkhead says nothing about the upstream and must not
      // take a half-open trial slot.
      const slot = bulkhead.tryAcquire();
      if (slot === null) {
        return end("BULKHEAD_FULL");
      }
      let permit: Permit;
      try {
        permit = breaker.allow(startedAt);
      } catch (error) {
        slot.release();
        if (error instanceof CircuitOpenError) {
          retryAfterMs = error.retryAfterMs;
        }
        return end(classOf(error));
      }

      attempts = k;
      const context = { number: k, timeoutMs, deadlineHeaderMs: deadlineHeaderMs(timeoutMs, margin) };
      last = await settle(attempt, context, slot);
      const endedAt = clock();
      const verdict = this.#verdict(last, permit, endedAt);
      const ranOut = ranOutOfTime(verdict, endedAt - startedAt, timeoutMs);
      // No answer in time: evidence against the upstream only if it had the time it is expected to
      // need; a shorter attempt, cut by a caller's deadline, proves nothing (so a caller's short
      // deadline cannot open the shared breaker). An upstream's quick TIMEOUT answer is an answer.
      const outcome = ranOut ? (timeoutMs >= evidenceMs ? "failure" : "ignored") : outcomeOf(verdict);
      permit.record(outcome, endedAt);
      budget.record(outcome);

      const errorClass = verdict.errorClass;
      if (errorClass === null || errorClass === "DECLINED") {
        return end(errorClass);
      }
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

  // The classifier's verdict; an end without one (a bug) gives the permit back and is rethrown.
  #verdict(settled: Settled<T>, permit: Permit, endedAt: number): AttemptVerdict {
    const classifier = this.#options.classifier;
    let verdict: AttemptVerdict | null;
    try {
      verdict = settled.ok ? classifier.classifyResult(settled.value) : classifier.classifyError(settled.error);
    } catch (bug) {
      permit.record("ignored", endedAt);
      throw bug;
    }
    if (verdict === null) {
      permit.record("ignored", endedAt);
      throw (settled as { readonly error: unknown }).error;
    }
    return verdict;
  }
}

// Runs one attempt; its slot goes back as soon as it ended, before any backoff sleep (§11).
async function settle<T>(
  attempt: Attempt<T>,
  context: AttemptContext,
  slot: BulkheadSlot,
): Promise<Settled<T>> {
  try {
    return { ok: true, value: await attempt(context) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    slot.release();
  }
}

// A refusal before the attempt (deadline, breaker) carries its class; anything else is a bug.
function classOf(error: unknown): ErrorClass {
  if (error instanceof ResilienceError) {
    return error.errorClass;
  }
  throw error;
}

// Whether the attempt's own timeout ran out: the classifier says so, or a TIMEOUT took it all.
function ranOutOfTime(verdict: AttemptVerdict, elapsedMs: number, timeoutMs: number): boolean {
  if (verdict.errorClass !== "TIMEOUT") {
    return false;
  }
  return verdict.timedOut || elapsedMs >= timeoutMs;
}

// Classes without a breaker outcome (database and internal ones) never come from an upstream
// answer; should an attempt end with one, it proves nothing about the upstream.
function outcomeOf(verdict: AttemptVerdict): Outcome {
  return verdict.errorClass === null ? "success" : (ERROR_CLASSES[verdict.errorClass].breaker ?? "ignored");
}
