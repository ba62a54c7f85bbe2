// An upstream (SEMANTICS.md §11): one policy, breaker, budget and bulkhead per operation; a reload
// keeps what did not change.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  Upstream,
  operationPolicy,
  type AttemptContext,
  type Operation,
  type PaymentSettings,
  type Transition,
} from "../index.js";
import { BREAKER, BUDGET, BULKHEAD, CALL, FakeClock, UpstreamError, classifyUpstream } from "./resilience/fakes.js";

const PAYMENT: PaymentSettings = {
  ...CALL,
  circuit_breaker: BREAKER,
  retry_budget: BUDGET,
  bulkhead: BULKHEAD,
  lookup: {
    timeout_ms: 5000,
    deadline_ms: 20000,
    provider_expected_p99_ms: 2000,
    retry: { max_attempts: 3, base_delay_ms: 500, backoff_multiplier: 2, jitter_ms: 250, max_delay_ms: 2000 },
    circuit_breaker: { ...BREAKER, recovery_timeout_ms: 30000 },
    retry_budget: BUDGET,
    bulkhead: { max_concurrent: 20 },
  },
};

function upstreamOf(payment: PaymentSettings = PAYMENT, clock = new FakeClock()) {
  const transitions: [Operation, Transition][] = [];
  const sleeps: [number, Operation][] = [];
  const upstream = new Upstream<string>({
    payment,
    role: "origin",
    classifiers: { charge: classifyUpstream, lookup: classifyUpstream },
    clock: clock.now,
    random: () => 0.5,
    sleep: (ms, operation) => {
      sleeps.push([ms, operation]);
      return clock.sleep(ms);
    },
    onTransition: (operation, transition) => transitions.push([operation, transition]),
  });
  return { upstream, clock, transitions, sleeps };
}

const connectionFails = (clock: FakeClock) => (): Promise<string> => {
  clock.ms += 50;
  return Promise.reject(new UpstreamError("CONNECTION"));
};

describe("Upstream", () => {
  test("each operation runs its own policy: the lookup's timeout and backoff, the charge's own", async () => {
    const { upstream, clock, sleeps } = upstreamOf();
    const seen: AttemptContext[] = [];
    const lookup = await upstream.lookup.call((context) => {
      seen.push(context);
      return connectionFails(clock)();
    });
    assert.deepEqual(
      seen.map((c) => [c.timeoutMs, c.deadlineHeaderMs]),
      [
        [5000, 4500],
        [5000, 4500],
        [5000, 4500],
      ],
    );
    assert.deepEqual(sleeps, [
      [625, "lookup"],
      [1125, "lookup"],
    ]);
    assert.equal(lookup.outcome, "CONNECTION");
    const charge = await upstream.charge.call(({ timeoutMs }) => Promise.resolve(String(timeoutMs)));
    assert.deepEqual([charge.outcome, charge.value], ["success", "20000"]);
    assert.equal(upstream.operation("charge"), upstream.charge);
    assert.equal(upstream.operation("lookup"), upstream.lookup);
    assert.deepEqual(operationPolicy(PAYMENT, "lookup").settings, {
      retry: PAYMENT.lookup.retry,
      timeout_ms: 5000,
      deadline_ms: 20000,
      provider_expected_p99_ms: 2000,
      min_deadline_ms: 1000,
      answer_margin_ms: 500,
    });
  });

  test("lookup failures open only the lookup breaker and spend only its budget: a charge still runs", async () => {
    const payment = { ...PAYMENT, lookup: { ...PAYMENT.lookup, retry: { ...PAYMENT.lookup.retry, max_attempts: 1 } } };
    const { upstream, clock, transitions } = upstreamOf(payment);
    for (let i = 0; i < 5; i++) {
      await upstream.lookup.call(connectionFails(clock));
    }
    assert.deepEqual([upstream.lookup.breaker.state, upstream.lookup.budget.tokensMilli], ["open", 5000]);
    assert.deepEqual(
      transitions.map(([operation, t]) => [operation, t.fromState, t.toState]),
      [["lookup", "closed", "open"]],
    );
    const charge = await upstream.charge.call(() => Promise.resolve("ok"));
    assert.equal(charge.outcome, "success");
    assert.deepEqual([upstream.charge.breaker.state, upstream.charge.budget.tokensMilli], ["closed", 10000]);
    assert.equal((await upstream.lookup.call(() => Promise.resolve("ok"))).outcome, "CIRCUIT_OPEN");
  });

  test("a reload keeps an open breaker and a spent budget whose settings did not change, and resizes the bulkhead in place", async () => {
    const one = { ...PAYMENT, circuit_breaker: { ...BREAKER, failure_threshold: 1 } };
    const { upstream, clock } = upstreamOf(one);
    await upstream.charge.call(connectionFails(clock));
    const { breaker, budget, bulkhead } = upstream.charge;
    assert.equal(breaker.state, "open");
    const held = upstream.lookup.bulkhead.tryAcquire();
    const lookupBreaker = upstream.lookup.breaker;

    upstream.reconfigure({ ...one, timeout_ms: 15000, lookup: { ...one.lookup, bulkhead: { max_concurrent: 1 } } });
    assert.equal(upstream.charge.breaker, breaker, "the same breaker, still open");
    assert.deepEqual([breaker.state, breaker.generation], ["open", 1]);
    assert.equal(upstream.charge.budget, budget);
    assert.equal(budget.tokensMilli, 9000);
    assert.equal(upstream.charge.bulkhead, bulkhead);
    assert.equal(upstream.charge.settings.timeout_ms, 15000);
    assert.equal(upstream.lookup.breaker, lookupBreaker);
    assert.deepEqual([upstream.lookup.bulkhead.maxConcurrent, upstream.lookup.bulkhead.inFlight], [1, 1]);
    assert.equal(upstream.lookup.bulkhead.tryAcquire(), null, "the slot in flight counts against the new size");
    held?.release();

    upstream.reconfigure({
      ...one,
      circuit_breaker: { ...BREAKER, failure_threshold: 2 },
      retry_budget: { max_tokens: 20, token_ratio: 0.1 },
    });
    assert.notEqual(upstream.charge.breaker, breaker);
    assert.deepEqual([upstream.charge.breaker.state, upstream.charge.breaker.generation], ["closed", 0]);
    assert.equal(upstream.charge.budget.tokensMilli, 20000);
    const next = await upstream.charge.call(({ timeoutMs }) => Promise.resolve(String(timeoutMs)));
    assert.deepEqual([next.outcome, next.value], ["success", "20000"]);
  });

  test("a call in progress finishes with the policy it started with; the next one gets the new", async () => {
    const { upstream, clock } = upstreamOf();
    const timeouts: number[] = [];
    const result = await upstream.charge.call(({ number, timeoutMs }) => {
      timeouts.push(timeoutMs);
      if (number === 1) {
        upstream.reconfigure({ ...PAYMENT, timeout_ms: 15000 });
        return connectionFails(clock)();
      }
      return Promise.resolve("ok");
    });
    assert.deepEqual([result.outcome, timeouts], ["success", [20000, 20000]]);
    const after = await upstream.charge.call(({ timeoutMs }) => Promise.resolve(String(timeoutMs)));
    assert.equal(after.value, "15000");
  });

  test("a replaced breaker still reports its transitions under its operation", async () => {
    const { upstream, clock, transitions } = upstreamOf();
    upstream.reconfigure({ ...PAYMENT, circuit_breaker: { ...BREAKER, failure_threshold: 1 } });
    await upstream.charge.call(connectionFails(clock));
    assert.deepEqual(
      transitions.map(([operation, t]) => [operation, t.toState, t.generation]),
      [["charge", "open", 1]],
    );
  });
});
