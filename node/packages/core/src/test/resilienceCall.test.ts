import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  Bulkhead,
  CircuitBreaker,
  ResilienceError,
  ResilientCall,
  RetryBudget,
  SUCCESS,
  TIMED_OUT,
  defaultClassifier,
  type AttemptContext,
  type Transition,
} from "../index.js";
import { BREAKER, BUDGET, BULKHEAD, CALL, FakeClock, UpstreamError, fakeCall } from "./resilience/fakes.js";

/** An upstream that takes `durationMs` on the fake clock per attempt, then answers or throws. */
function upstream(clock: FakeClock, script: readonly (string | UpstreamError)[], durationMs = 100) {
  const seen: AttemptContext[] = [];
  const attempt = (context: AttemptContext): Promise<string> => {
    seen.push(context);
    clock.ms += Math.min(durationMs, context.timeoutMs);
    const answer = script[context.number - 1];
    if (answer === undefined) {
      return Promise.reject(new Error(`attempt ${context.number} was not scripted`));
    }
    return answer instanceof UpstreamError ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { attempt, seen };
}

describe("ResilientCall", () => {
  test("each attempt gets its number, its timeout and X-Deadline-Ms = timeout - answer_margin_ms", async () => {
    const { call, clock, breaker, budget } = fakeCall({ draws: [0.5, 0.5] });
    const { attempt, seen } = upstream(clock, [new UpstreamError("CONNECTION"), new UpstreamError("CONNECTION"), "ok"]);
    const result = await call.call(attempt, 25000);
    assert.deepEqual([result.outcome, result.errorClass, result.value, result.error], ["success", null, "ok", undefined]);
    assert.deepEqual(seen, [
      { number: 1, timeoutMs: 20000, deadlineHeaderMs: 19500 },
      { number: 2, timeoutMs: 20000, deadlineHeaderMs: 19500 },
      { number: 3, timeoutMs: 25000 - (100 + 2250 + 100 + 4250), deadlineHeaderMs: 17800 },
    ]);
    assert.deepEqual(result.sleepsMs, [2250, 4250]);
    // Two failures took 1000 milli-tokens each, the success gave back 100; the streak ended closed.
    assert.deepEqual([budget.tokensMilli, breaker.state], [8100, "closed"]);
  });

  test("a relay does not retry a TIMEOUT: its outcome is unknown", async () => {
    const { call, clock, budget } = fakeCall({ role: "relay" });
    const { attempt } = upstream(clock, [new UpstreamError("TIMEOUT")], 20000);
    const result = await call.call(attempt);
    assert.deepEqual([result.outcome, result.attempts, clock.ms, budget.tokensMilli], ["TIMEOUT", 1, 20000, 9000]);
  });

  test("a body that says retryable false is not retried, but is still a breaker failure", async () => {
    const { call, clock, budget } = fakeCall();
    const { attempt } = upstream(clock, [new UpstreamError("UPSTREAM_UNAVAILABLE", false)]);
    const result = await call.call(attempt);
    assert.deepEqual([result.outcome, result.attempts, budget.tokensMilli], ["UPSTREAM_UNAVAILABLE", 1, 9000]);
  });

  test("DECLINED is an answer: the call ends with it, and neither breaker nor budget counts it", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    const { call, clock, budget } = fakeCall({ breaker });
    const { attempt } = upstream(clock, [new UpstreamError("DECLINED")]);
    const result = await call.call(attempt);
    assert.equal(result.outcome, "DECLINED");
    assert.equal(breaker.state, "closed");
    assert.equal(budget.tokensMilli, 10000);
  });

  test("an open breaker ends the call with CIRCUIT_OPEN before any attempt runs", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    breaker.allow(0).record("failure", 0);
    const { call, clock } = fakeCall({ breaker, clock: new FakeClock(1000) });
    const { attempt, seen } = upstream(clock, ["ok"]);
    const result = await call.call(attempt);
    assert.deepEqual(
      [result.outcome, result.attempts, result.value, result.error, seen.length],
      ["CIRCUIT_OPEN", 0, undefined, undefined, 0],
    );
    // Opened at 0 with a 60 s recovery, asked at 1000: trials are let through 59 s later.
    assert.equal(result.retryAfterMs, 59000);
  });

  test("a cut attempt below min(timeout_ms, p99) that runs out is ignored and ends DEADLINE_EXCEEDED", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    const { call, clock, budget } = fakeCall({ breaker, draws: [] });
    const { attempt } = upstream(clock, [new UpstreamError("TIMEOUT")], 20000);
    const result = await call.call(attempt, 5000);
    assert.deepEqual(
      [result.outcome, clock.ms, budget.tokensMilli, breaker.state],
      ["DEADLINE_EXCEEDED", 5000, 10000, "closed"],
    );
  });

  test("a cut attempt at or above min(timeout_ms, p99) that runs out is a failure", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    const { call, clock, budget } = fakeCall({ breaker, settings: { ...CALL, provider_expected_p99_ms: 5000 } });
    const { attempt } = upstream(clock, [new UpstreamError("TIMEOUT")], 20000);
    const result = await call.call(attempt, 5000);
    assert.deepEqual(
      [result.outcome, clock.ms, budget.tokensMilli, breaker.state],
      ["DEADLINE_EXCEEDED", 5000, 9000, "open"],
    );
  });

  test("a quick TIMEOUT answer inside a cut attempt is a TIMEOUT that an origin retries", async () => {
    const { call, clock, budget } = fakeCall({ draws: [0.5] });
    const { attempt, seen } = upstream(clock, [new UpstreamError("TIMEOUT"), "ok"]);
    const result = await call.call(attempt, 15000);
    assert.deepEqual(
      [result.outcome, result.attempts, result.sleepsMs, budget.tokensMilli],
      ["success", 2, [2250], 9100],
    );
    assert.deepEqual(seen.map((context) => context.timeoutMs), [15000, 12650]);
  });

  test("a verdict saying timedOut ran out of time whatever the clock says", async () => {
    const clock = new FakeClock();
    const budget = new RetryBudget(BUDGET);
    const call = new ResilientCall<string>({
      settings: CALL,
      role: "origin",
      breaker: new CircuitBreaker(BREAKER),
      budget,
      bulkhead: new Bulkhead(BULKHEAD),
      classifier: { classifyResult: () => SUCCESS, classifyError: () => TIMED_OUT },
      clock: clock.now,
      random: () => 0.5,
      sleep: clock.sleep,
    });
    const result = await call.call(() => Promise.reject(new Error("aborted")), 5000);
    assert.deepEqual([result.outcome, result.attempts, budget.tokensMilli], ["DEADLINE_EXCEEDED", 1, 10000]);
  });

  test("an attempt with at most answer_margin_ms left does not start and asks the breaker nothing", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    breaker.allow(0).record("failure", 0);
    const { call, clock } = fakeCall({ breaker, clock: new FakeClock(60000) });
    const { attempt, seen } = upstream(clock, ["ok"]);
    const result = await call.call(attempt, 60500);
    assert.deepEqual([result.outcome, result.attempts, seen.length], ["DEADLINE_EXCEEDED", 0, 0]);
    assert.deepEqual([breaker.state, breaker.generation], ["open", 1]);
  });

  test("an attempt whose header would be below min_deadline_ms is not sent and asks the breaker nothing", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1, half_open_max_calls: 1 });
    breaker.allow(0).record("failure", 0);
    const { call, clock } = fakeCall({ breaker, clock: new FakeClock(60000) });
    const { attempt, seen } = upstream(clock, ["ok"]);
    // 1499 ms would send 999, below the floor of 1000: not sent, the breaker due for recovery stays open.
    const refused = await call.call(attempt, 61499);
    assert.deepEqual([refused.outcome, refused.attempts, seen.length], ["DEADLINE_EXCEEDED", 0, 0]);
    assert.deepEqual([breaker.state, breaker.generation], ["open", 1]);
    // 1500 ms sends exactly the floor, as the half-open trial.
    const sent = await call.call(attempt, 61500);
    assert.deepEqual(seen, [{ number: 1, timeoutMs: 1500, deadlineHeaderMs: 1000 }]);
    assert.deepEqual([sent.outcome, breaker.state, breaker.generation], ["success", "closed", 3]);
  });

  test("a backoff leaving no attempt that could start is not slept; its draw is still taken", async () => {
    for (const [deadlineAt, expected] of [
      [4750, ["success", [2250], [4250, 1000]]],
      [4749, ["DEADLINE_EXCEEDED", [], [4249]]],
    ] as const) {
      const { call, clock, draws } = fakeCall({ draws: [0.5] });
      const { attempt, seen } = upstream(clock, [new UpstreamError("CONNECTION"), "ok"], 1000);
      // 4750 - 1000 - 2250 = 1500 ms leaves a retry sending X-Deadline-Ms 1000; 1499 would leave 999.
      const result = await call.call(attempt, deadlineAt);
      assert.deepEqual(
        [result.outcome, result.sleepsMs, seen.map((context) => context.deadlineHeaderMs)],
        expected.map((value) => (Array.isArray(value) ? [...value] : value)),
      );
      assert.equal(draws.length, 0);
    }
  });

  test("a relay's attempt gets the whole remaining deadline, capped by deadline_ms", async () => {
    const { call, clock } = fakeCall({ role: "relay", clock: new FakeClock(5) });
    const { attempt, seen } = upstream(clock, ["ok"], 45000);
    const result = await call.call(attempt, 70000);
    assert.equal(result.outcome, "success");
    assert.deepEqual(seen, [{ number: 1, timeoutMs: 69995, deadlineHeaderMs: 69495 }]);
  });

  test("a backoff that cannot end before the deadline is not slept; its draw is still taken", async () => {
    const { call, clock, draws } = fakeCall({ draws: [0.5] });
    const { attempt } = upstream(clock, [new UpstreamError("CONNECTION")]);
    const result = await call.call(attempt, 2350);
    assert.deepEqual([result.outcome, result.sleepsMs, clock.ms, draws.length], ["DEADLINE_EXCEEDED", [], 100, 0]);
  });

  test("the retry budget ends a call once half the bucket is gone", async () => {
    const budget = new RetryBudget({ max_tokens: 2, token_ratio: 0.1 });
    const { call, clock } = fakeCall({ budget });
    const { attempt } = upstream(clock, [new UpstreamError("CONNECTION")]);
    const result = await call.call(attempt);
    assert.deepEqual([result.outcome, result.attempts, budget.tokensMilli], ["RETRY_BUDGET_EXHAUSTED", 1, 1000]);
  });

  test("transitions reach the breaker's callback as they happen inside a call", async () => {
    const transitions: Transition[] = [];
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 2 }, (event) => transitions.push(event));
    const { call, clock } = fakeCall({ breaker, draws: [0, 0] });
    const { attempt } = upstream(clock, [new UpstreamError("CONNECTION"), new UpstreamError("CONNECTION")]);
    const result = await call.call(attempt);
    assert.deepEqual([result.outcome, result.sleepsMs], ["CIRCUIT_OPEN", [2000, 4000]]);
    assert.deepEqual(transitions, [{ fromState: "closed", toState: "open", generation: 1, atMs: 2200 }]);
  });

  test("calls interleaved across awaits never get more half-open trials than half_open_max_calls", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    breaker.allow(0).record("failure", 0);
    const clock = new FakeClock(60000);
    const pending: (() => void)[] = [];
    let running = 0;
    let mostRunning = 0;
    const call = new ResilientCall<string>({
      settings: CALL,
      role: "origin",
      breaker,
      budget: new RetryBudget(BUDGET),
      bulkhead: new Bulkhead(BULKHEAD),
      classifier: defaultClassifier,
      clock: clock.now,
      random: () => 0,
      sleep: clock.sleep,
    });
    const attempt = (): Promise<string> => {
      running += 1;
      mostRunning = Math.max(mostRunning, running);
      return new Promise((resolve) =>
        pending.push(() => {
          running -= 1;
          resolve("ok");
        }),
      );
    };
    const calls = Array.from({ length: 10 }, () => call.call(attempt));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(mostRunning, 3);
    for (const release of pending.splice(0)) {
      release();
    }
    const results = await Promise.all(calls);
    assert.deepEqual(
      results.map((result) => result.outcome).sort(),
      [...Array(3).fill("success"), ...Array(7).fill("HALF_OPEN_LIMIT")].sort(),
    );
    assert.equal(breaker.state, "closed");
  });

  test("the default classifier keeps a thrown ResilienceError's class; anything else is a bug, rethrown", async () => {
    // One half-open trial slot: a bug whose permit were not given back would leave the next call HALF_OPEN_LIMIT.
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1, half_open_max_calls: 1 });
    breaker.allow(0).record("failure", 0);
    const clock = new FakeClock(60000);
    const bulkhead = new Bulkhead(BULKHEAD);
    const call = new ResilientCall<string>({
      settings: CALL,
      role: "origin",
      breaker,
      budget: new RetryBudget(BUDGET),
      bulkhead,
      classifier: defaultClassifier,
      clock: clock.now,
      random: () => 0,
      sleep: clock.sleep,
    });
    const bug = new TypeError("undefined is not a function");
    await assert.rejects(call.call(() => Promise.reject(bug)), bug);
    assert.deepEqual([breaker.state, bulkhead.inFlight], ["half_open", 0]);
    const declined = await call.call(() => Promise.reject(new ResilienceError("DECLINED", "card declined")));
    assert.deepEqual([declined.outcome, declined.errorClass, declined.attempts], ["DECLINED", "DECLINED", 1]);
    const overloaded = await call.call(() => Promise.reject(new ResilienceError("OVERLOADED", "429")));
    assert.deepEqual([overloaded.outcome, overloaded.attempts], ["OVERLOADED", 1]);
    assert.ok(overloaded.error instanceof ResilienceError);
  });
});
