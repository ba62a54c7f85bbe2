// Properties the kernel keeps for any settings within the config schema's ranges (fast-check).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import fc from "fast-check";

import {
  Bulkhead,
  CircuitBreaker,
  CircuitOpenError,
  ResilienceError,
  ResilientCall,
  RetryBudget,
  SUCCESS,
  TIMED_OUT,
  backoffDelayMs,
  verdictOf,
  type AttemptVerdict,
  type ErrorClass,
  type Outcome,
  type Transition,
} from "../index.js";

const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const retrySettings = fc.record({
  max_attempts: fc.integer({ min: 1, max: 10 }),
  base_delay_ms: fc.integer({ min: 1, max: 600000 }),
  backoff_multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
  jitter_ms: fc.integer({ min: 0, max: 600000 }),
  max_delay_ms: fc.integer({ min: 1, max: 3600000 }),
});

const breakerSettings = fc.record({
  enabled: fc.constant(true),
  failure_threshold: fc.integer({ min: 1, max: 10 }),
  recovery_timeout_ms: fc.integer({ min: 1, max: 100000 }),
  half_open_max_calls: fc.integer({ min: 1, max: 5 }),
});

const outcome = fc.constantFrom<Outcome>("success", "failure", "ignored");

describe("kernel properties", () => {
  test("a delay is an integer in [min(base, max), max_delay_ms + jitter_ms), never shrinking with the retry", () => {
    fc.assert(
      fc.property(retrySettings, fc.integer({ min: 1, max: 2147483646 }), draw, (settings, retry, u) => {
        const delay = backoffDelayMs(retry, settings, u);
        assert.ok(Number.isSafeInteger(delay));
        assert.ok(delay >= Math.min(settings.base_delay_ms, settings.max_delay_ms));
        assert.ok(delay <= settings.max_delay_ms + Math.max(0, settings.jitter_ms - 1));
        assert.ok(backoffDelayMs(retry + 1, settings, u) >= delay);
      }),
    );
  });

  test("an open breaker never admits before recovery_timeout_ms has passed since it opened", () => {
    const step = fc.record({ advanceMs: fc.integer({ min: 0, max: 30000 }), allow: fc.boolean(), outcome });
    fc.assert(
      fc.property(breakerSettings, fc.array(step, { maxLength: 200 }), (settings, steps) => {
        const events: Transition[] = [];
        const breaker = new CircuitBreaker(settings, (event) => events.push(event));
        const held: { record: (outcome: Outcome, now: number) => boolean }[] = [];
        let now = 0;
        for (const { advanceMs, allow, outcome: result } of steps) {
          now += advanceMs;
          if (!allow) {
            held.shift()?.record(result, now);
            continue;
          }
          const last = events.at(-1);
          try {
            held.push(breaker.allow(now));
            if (last?.toState === "open") {
              assert.ok(
                now - last.atMs >= settings.recovery_timeout_ms,
                `admitted ${now - last.atMs} ms after opening`,
              );
            }
          } catch (error) {
            assert.ok(error instanceof ResilienceError);
            if (error instanceof CircuitOpenError) {
              assert.equal(last?.toState, "open");
              assert.equal(error.retryAfterMs, last.atMs + settings.recovery_timeout_ms - now);
            }
          }
        }
      }),
    );
  });

  test("the bucket stays within [0, max_tokens × 1000] and allows retries exactly above half", () => {
    const budgetSettings = fc.record({
      max_tokens: fc.integer({ min: 1, max: 1000 }),
      token_ratio: fc.integer({ min: 1, max: 1000000 }).map((milli) => milli / 1000),
    });
    fc.assert(
      fc.property(budgetSettings, fc.array(outcome, { maxLength: 300 }), (settings, outcomes) => {
        const budget = new RetryBudget(settings);
        const maxMilli = settings.max_tokens * 1000;
        for (const result of outcomes) {
          budget.record(result);
          assert.ok(budget.tokensMilli >= 0 && budget.tokensMilli <= maxMilli);
          assert.ok(Number.isSafeInteger(budget.tokensMilli));
          assert.equal(budget.allowRetry(), budget.tokensMilli * 2 > maxMilli);
        }
      }),
    );
  });

  test("a call never runs past its deadline, nor more than max_attempts attempts", async () => {
    const attemptEnd = fc.record({
      durationMs: fc.integer({ min: 0, max: 30000 }),
      errorClass: fc.constantFrom<ErrorClass | "success">(
        "success",
        "TIMEOUT",
        "CONNECTION",
        "UPSTREAM_UNAVAILABLE",
        "OVERLOADED",
        "DECLINED",
        "NOT_FOUND",
      ),
    });
    const callSettings = fc.record({
      timeout_ms: fc.integer({ min: 1, max: 20000 }),
      deadline_ms: fc.integer({ min: 1, max: 70000 }),
      provider_expected_p99_ms: fc.integer({ min: 1, max: 20000 }),
      min_deadline_ms: fc.integer({ min: 1, max: 1000 }),
      answer_margin_ms: fc.integer({ min: 1, max: 1000 }),
      retry: retrySettings.map((retry) => ({ ...retry, base_delay_ms: Math.min(retry.base_delay_ms, 5000) })),
    });
    await fc.assert(
      fc.asyncProperty(
        callSettings,
        breakerSettings,
        fc.array(attemptEnd, { minLength: 10, maxLength: 10 }),
        fc.infiniteStream(draw),
        fc.integer({ min: 0, max: 70000 }),
        async (settings, breaker, script, draws, deadlineInMs) => {
          let clock = 1000;
          const deadlineAt = clock + deadlineInMs;
          const call = new ResilientCall<AttemptVerdict>({
            settings,
            role: "origin",
            breaker: new CircuitBreaker(breaker),
            budget: new RetryBudget({ max_tokens: 10, token_ratio: 0.1 }),
            bulkhead: new Bulkhead({ max_concurrent: 1 }),
            // The attempt returns its own verdict; it never throws.
            classifier: { classifyResult: (verdict) => verdict, classifyError: () => null },
            clock: () => clock,
            random: () => draws.next().value as number,
            sleep: (ms) => {
              clock += ms;
              return Promise.resolve();
            },
          });
          const result = await call.call(({ number, timeoutMs, deadlineHeaderMs }) => {
            const scripted = script[number - 1];
            // An attempt starts only if its header, which keeps the answer margin, reaches the floor.
            assert.ok(scripted !== undefined);
            assert.equal(timeoutMs, Math.min(settings.timeout_ms, deadlineAt - clock));
            assert.equal(deadlineHeaderMs, timeoutMs - settings.answer_margin_ms);
            assert.ok(deadlineHeaderMs >= settings.min_deadline_ms, `header ${deadlineHeaderMs}`);
            clock += Math.min(scripted.durationMs, timeoutMs);
            const { errorClass } = scripted;
            const verdict: AttemptVerdict =
              scripted.durationMs >= timeoutMs ? TIMED_OUT : errorClass === "success" ? SUCCESS : verdictOf(errorClass);
            return Promise.resolve(verdict);
          }, deadlineAt);
          assert.ok(clock <= deadlineAt, `ended at ${clock}, deadline ${deadlineAt}`);
          assert.ok(result.attempts <= settings.retry.max_attempts);
          // Every sleep is followed by an attempt or by a rejection that ends the call.
          assert.ok(result.sleepsMs.length <= result.attempts);
          // The slot of every attempt went back, also across the sleeps (max_concurrent 1 let them all run).
          assert.equal(call.bulkhead.inFlight, 0);
        },
      ),
    );
  });
});
