// The bulkhead (SEMANTICS.md §11) on its own and as step 2 of the call loop (§8).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { Bulkhead, CircuitBreaker, type AttemptContext, type BulkheadSlot } from "../index.js";
import { BREAKER, FakeClock, UpstreamError, fakeCall } from "./resilience/fakes.js";

describe("Bulkhead", () => {
  test("grants up to max_concurrent slots, refuses the next without waiting, and grants a freed one again", () => {
    const bulkhead = new Bulkhead({ max_concurrent: 2 });
    const a = bulkhead.tryAcquire();
    const b = bulkhead.tryAcquire();
    assert.ok(a !== null && b !== null);
    assert.equal(bulkhead.tryAcquire(), null);
    assert.equal(bulkhead.inFlight, 2);
    assert.equal(a.release(), true);
    assert.equal(bulkhead.inFlight, 1);
    assert.ok(bulkhead.tryAcquire() !== null);
  });

  test("a slot released twice frees one place: the second release does nothing", () => {
    const bulkhead = new Bulkhead({ max_concurrent: 1 });
    const a = bulkhead.tryAcquire() as BulkheadSlot;
    assert.equal(a.release(), true);
    const b = bulkhead.tryAcquire();
    assert.ok(b !== null);
    assert.equal(a.release(), false);
    assert.deepEqual([bulkhead.inFlight, bulkhead.tryAcquire()], [1, null]);
  });

  test("a resize keeps the slots in flight and admits again only below the new limit", () => {
    const bulkhead = new Bulkhead({ max_concurrent: 3 });
    const held = [bulkhead.tryAcquire(), bulkhead.tryAcquire(), bulkhead.tryAcquire()] as BulkheadSlot[];
    bulkhead.resize({ max_concurrent: 1 });
    assert.deepEqual([bulkhead.maxConcurrent, bulkhead.inFlight, bulkhead.tryAcquire()], [1, 3, null]);
    held[0]?.release();
    held[1]?.release();
    assert.equal(bulkhead.tryAcquire(), null, "1 in flight of 1");
    held[2]?.release();
    assert.ok(bulkhead.tryAcquire() !== null);
    bulkhead.resize({ max_concurrent: 2 });
    assert.ok(bulkhead.tryAcquire() !== null, "growing grants at once");
  });
});

describe("the bulkhead in the call loop", () => {
  test("a full bulkhead ends the call BULKHEAD_FULL: nothing sent, the breaker not asked, no token spent", async () => {
    // An open breaker past its recovery time: asking it would take the only half-open trial.
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1, half_open_max_calls: 1 });
    breaker.allow(0).record("failure", 0);
    const { call, clock, budget, bulkhead } = fakeCall({ breaker, bulkhead: new Bulkhead({ max_concurrent: 1 }) });
    clock.ms = 60000;
    const other = bulkhead.tryAcquire() as BulkheadSlot;
    let sent = 0;
    const result = await call.call(() => {
      sent += 1;
      return Promise.resolve("ok");
    });
    assert.deepEqual(
      [result.outcome, result.attempts, result.retryAfterMs, sent, budget.tokensMilli],
      ["BULKHEAD_FULL", 0, null, 0, 10000],
    );
    assert.deepEqual([breaker.state, breaker.generation], ["open", 1]);
    other.release();
    const next = await call.call(() => Promise.resolve("ok"));
    assert.deepEqual([next.outcome, breaker.state, breaker.generation], ["success", "closed", 3]);
  });

  test("an attempt holds its slot while it runs and never across a backoff sleep", async () => {
    const { call, clock, bulkhead } = fakeCall({ draws: [0.5, 0.5], bulkhead: new Bulkhead({ max_concurrent: 1 }) });
    const inFlightDuring: number[] = [];
    const seenSleeping: number[] = [];
    clock.onSleep = () => seenSleeping.push(bulkhead.inFlight);
    const result = await call.call((context: AttemptContext) => {
      inFlightDuring.push(bulkhead.inFlight);
      clock.ms += 100;
      return context.number < 3 ? Promise.reject(new UpstreamError("CONNECTION")) : Promise.resolve("ok");
    });
    assert.deepEqual([result.outcome, result.attempts, result.sleepsMs], ["success", 3, [2250, 4250]]);
    assert.deepEqual(inFlightDuring, [1, 1, 1]);
    assert.deepEqual(seenSleeping, [0, 0]);
    assert.equal(bulkhead.inFlight, 0);
  });

  test("a breaker rejection gives the slot back", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1 });
    breaker.allow(0).record("failure", 0);
    const { call, bulkhead } = fakeCall({ breaker, clock: new FakeClock(1000) });
    const result = await call.call(() => Promise.resolve("ok"));
    assert.deepEqual([result.outcome, bulkhead.inFlight], ["CIRCUIT_OPEN", 0]);
  });

  test("a retry refused by a full bulkhead still carries the earlier attempt's error", async () => {
    const { call, clock, bulkhead } = fakeCall({ draws: [0.5], bulkhead: new Bulkhead({ max_concurrent: 1 }) });
    const failure = new UpstreamError("CONNECTION");
    let other: BulkheadSlot | null = null;
    // Another call takes the only slot while this one sleeps.
    clock.onSleep = () => {
      other = bulkhead.tryAcquire();
    };
    const result = await call.call(() => {
      clock.ms += 100;
      return Promise.reject(failure);
    });
    assert.ok(other !== null);
    assert.deepEqual(
      [result.outcome, result.attempts, result.sleepsMs, result.error, result.value],
      ["BULKHEAD_FULL", 1, [2250], failure, undefined],
    );
  });

  test("an error the classifier has no verdict for (a bug) gives the slot and the permit back and is rethrown", async () => {
    const breaker = new CircuitBreaker({ ...BREAKER, failure_threshold: 1, half_open_max_calls: 1 });
    breaker.allow(0).record("failure", 0);
    const { call, bulkhead } = fakeCall({ breaker, clock: new FakeClock(60000) });
    const bug = new Error("not an UpstreamError");
    await assert.rejects(call.call(() => Promise.reject(bug)), bug);
    assert.equal(bulkhead.inFlight, 0);
    // The half-open trial slot went back: the next call is the trial.
    const next = await call.call(() => Promise.resolve("ok"));
    assert.deepEqual([next.outcome, breaker.state], ["success", "closed"]);
  });
});
