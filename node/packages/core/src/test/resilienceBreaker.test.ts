import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { CircuitBreaker, CircuitOpenError, HalfOpenLimitError, type Transition } from "../index.js";
import { BREAKER } from "./resilience/fakes.js";

function failTimes(breaker: CircuitBreaker, times: number, now: number): void {
  for (let i = 0; i < times; i++) {
    breaker.allow(now).record("failure", now);
  }
}

function rejection(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return assert.fail("expected a rejection, but a permit was granted");
}

describe("CircuitBreaker", () => {
  test("the fifth consecutive failure opens it, not the fourth", () => {
    const breaker = new CircuitBreaker(BREAKER);
    failTimes(breaker, 4, 0);
    assert.equal(breaker.state, "closed");
    failTimes(breaker, 1, 10);
    assert.equal(breaker.state, "open");
    assert.equal(breaker.generation, 1);
  });

  test("an open breaker rejects without a permit and says when trials resume", () => {
    const breaker = new CircuitBreaker(BREAKER);
    failTimes(breaker, 5, 1000);
    const error = rejection(() => breaker.allow(31000));
    assert.ok(error instanceof CircuitOpenError);
    assert.equal(error.errorClass, "CIRCUIT_OPEN");
    assert.equal(error.retryAfterMs, 30000);
    assert.equal(error.httpStatus, 503);
    assert.equal(error.retryable, false);
  });

  test("a rejection does not move opened_at", () => {
    const breaker = new CircuitBreaker(BREAKER);
    failTimes(breaker, 5, 0);
    rejection(() => breaker.allow(59999));
    breaker.allow(60000);
    assert.equal(breaker.state, "half_open");
  });

  test("half-open admits exactly half_open_max_calls trials at once, then HALF_OPEN_LIMIT", () => {
    const breaker = new CircuitBreaker(BREAKER);
    failTimes(breaker, 5, 0);
    const trials = [breaker.allow(60000), breaker.allow(60000), breaker.allow(60000)];
    const error = rejection(() => breaker.allow(60001));
    assert.ok(error instanceof HalfOpenLimitError);
    assert.equal(error.errorClass, "HALF_OPEN_LIMIT");
    for (const trial of trials) {
      trial.record("success", 60002);
    }
    assert.equal(breaker.state, "closed");
  });

  test("one failed trial re-opens it and recovery counts from that failure", () => {
    const breaker = new CircuitBreaker(BREAKER);
    failTimes(breaker, 5, 0);
    breaker.allow(60000).record("success", 60100);
    breaker.allow(60200).record("failure", 65000);
    assert.equal(breaker.state, "open");
    const error = rejection(() => breaker.allow(65000));
    assert.ok(error instanceof CircuitOpenError);
    assert.equal(error.retryAfterMs, 60000);
  });

  test("a declined (ignored) trial returns its slot", () => {
    const breaker = new CircuitBreaker({ ...BREAKER, half_open_max_calls: 1 });
    failTimes(breaker, 5, 0);
    breaker.allow(60000).record("ignored", 60001);
    assert.doesNotThrow(() => breaker.allow(60002));
  });

  test("a permit records once, and a result from an older generation is dropped", () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 2 });
    const early = breaker.allow(0);
    const permit = breaker.allow(0);
    assert.equal(permit.record("failure", 1), true);
    assert.equal(permit.record("failure", 2), false);
    assert.equal(breaker.state, "closed");
    failTimes(breaker, 1, 3);
    assert.equal(breaker.state, "open");
    assert.equal(early.generation, 0);
    assert.equal(early.record("success", 4), false);
    assert.equal(breaker.state, "open");
  });

  test("every transition goes through one door: next generation and one event each", () => {
    const events: Transition[] = [];
    const breaker = new CircuitBreaker({ ...BREAKER, half_open_max_calls: 1 }, (event) => events.push(event));
    failTimes(breaker, 5, 10);
    breaker.allow(60010).record("success", 60020);
    assert.deepEqual(events, [
      { fromState: "closed", toState: "open", generation: 1, atMs: 10 },
      { fromState: "open", toState: "half_open", generation: 2, atMs: 60010 },
      { fromState: "half_open", toState: "closed", generation: 3, atMs: 60020 },
    ]);
    assert.equal(breaker.generation, 3);
  });

  test("nothing changes without a call: an open breaker past recovery still reports open", () => {
    const breaker = new CircuitBreaker(BREAKER);
    failTimes(breaker, 5, 0);
    assert.equal(breaker.state, "open");
    assert.equal(breaker.generation, 1);
  });

  test("a disabled breaker admits everything, records nothing and stays closed", () => {
    const events: Transition[] = [];
    const breaker = new CircuitBreaker({ ...BREAKER, enabled: false }, (event) => events.push(event));
    for (let i = 0; i < 100; i++) {
      assert.equal(breaker.allow(i).record("failure", i), false);
    }
    assert.equal(breaker.state, "closed");
    assert.equal(breaker.generation, 0);
    assert.deepEqual(events, []);
  });
});
