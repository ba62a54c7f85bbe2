// The small pure functions: backoff, budget, deadlines, the taxonomy and its errors.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";

import {
  DEADLINE_HEADER,
  DeadlineExceededError,
  ERROR_CLASSES,
  ResilienceError,
  RetryBudget,
  attemptCapMs,
  attemptStarts,
  attemptTimeoutMs,
  backoffDelayMs,
  classifyAnswer,
  deadlineFromHeader,
  deadlineHeaderMs,
  isRetried,
  sleepAllowed,
} from "../index.js";
import { REPO_ROOT, readText } from "./fixtures.js";
import { RETRY } from "./resilience/fakes.js";

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return assert.fail("expected an error");
}

describe("backoffDelayMs", () => {
  test("doubles from the base, caps before jitter and adds floor(u × jitter_ms)", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 50].map((retry) => backoffDelayMs(retry, RETRY, 0.5)),
      [2250, 4250, 8250, 8250, 8250],
    );
  });

  test("retry 2^31 − 1 returns at once and does not overflow", () => {
    assert.equal(backoffDelayMs(2147483647, RETRY, 0), 8000);
    assert.equal(
      backoffDelayMs(2147483647, { ...RETRY, backoff_multiplier: 1.001, max_delay_ms: 3600000 }, 0),
      3600000,
    );
  });

  test("refuses a retry below 1 and a draw outside [0, 1)", () => {
    assert.throws(() => backoffDelayMs(0, RETRY, 0), /retry must be an integer >= 1, but was 0/);
    assert.throws(() => backoffDelayMs(1, RETRY, 1), /u must be a draw in \[0, 1\), but was 1/);
    assert.throws(() => backoffDelayMs(1, RETRY, Number.NaN), /but was NaN/);
  });
});

describe("RetryBudget", () => {
  test("starts full, a failure takes 1000 milli-tokens, a success returns the ratio, capped", () => {
    const budget = new RetryBudget({ max_tokens: 10, token_ratio: 0.1 });
    assert.equal(budget.tokensMilli, 10000);
    budget.record("failure");
    budget.record("failure");
    assert.equal(budget.tokensMilli, 8000);
    budget.record("success");
    assert.equal(budget.tokensMilli, 8100);
    budget.record("ignored");
    assert.equal(budget.tokensMilli, 8100);
    for (let i = 0; i < 50; i++) {
      budget.record("success");
    }
    assert.equal(budget.tokensMilli, 10000);
  });

  test("allows retries only while strictly more than half is left", () => {
    const budget = new RetryBudget({ max_tokens: 10, token_ratio: 0.1 });
    for (let i = 0; i < 4; i++) {
      budget.record("failure");
    }
    assert.equal(budget.allowRetry(), true);
    budget.record("failure");
    assert.equal(budget.tokensMilli, 5000);
    assert.equal(budget.allowRetry(), false);
  });
});

describe("deadlines", () => {
  test("the header is the one the Python and Java kernels send", () => {
    // The three kernels read it from config/vocabulary.json (generated); this one must, too.
    const vocabulary = JSON.parse(readText(path.join(REPO_ROOT, "config", "vocabulary.json"))) as {
      deadline_header: { name: string; max_digits: number };
    };
    assert.equal(DEADLINE_HEADER, vocabulary.deadline_header.name);
  });

  test("an attempt gets the smaller of timeout_ms and what the deadline leaves; none when nothing is left", () => {
    assert.equal(attemptTimeoutMs(0, 70000, 20000), 20000);
    assert.equal(attemptTimeoutMs(60000, 70000, 20000), 10000);
    const error = thrown(() => attemptTimeoutMs(70000, 70000, 20000));
    assert.ok(error instanceof DeadlineExceededError);
    assert.equal(error.errorClass, "DEADLINE_EXCEEDED");
  });

  test("a receiver's deadline is arrival + min(header, deadline_ms), or deadline_ms without a header", () => {
    assert.equal(deadlineFromHeader(1000, "1500", 70000), 2500);
    assert.equal(deadlineFromHeader(1000, "9999999999", 70000), 71000);
    assert.equal(deadlineFromHeader(1000, null, 70000), 71000);
    assert.equal(deadlineFromHeader(1000, undefined, 70000), 71000);
  });

  test("a malformed header is INVALID_REQUEST naming the value; one <= 0 is DEADLINE_EXCEEDED", () => {
    const malformed = thrown(() => deadlineFromHeader(0, "1.5", 70000));
    assert.ok(malformed instanceof ResilienceError);
    assert.equal(malformed.errorClass, "INVALID_REQUEST");
    assert.equal(malformed.httpStatus, 400);
    assert.match(malformed.message, /X-Deadline-Ms must be a base-10 integer of at most 10 digits, but was "1\.5"/);
    const spent = thrown(() => deadlineFromHeader(0, "-0", 70000));
    assert.ok(spent instanceof DeadlineExceededError);
    assert.equal(spent.httpStatus, 504);
  });

  test("a header below min_deadline_ms is INVALID_REQUEST naming the header, the value and the floor", () => {
    const low = thrown(() => deadlineFromHeader(0, "0200", 70000, 1000));
    assert.ok(low instanceof ResilienceError);
    assert.equal(low.errorClass, "INVALID_REQUEST");
    assert.equal(
      low.message,
      "INVALID_REQUEST: X-Deadline-Ms is 200 ms, below min_deadline_ms 1000; " +
        "expected at least 1000 ms (or a value <= 0 for a deadline already spent)",
    );
    assert.equal(deadlineFromHeader(0, "1000", 70000, 1000), 1000);
    // The old three-argument call accepts every positive value.
    assert.equal(deadlineFromHeader(0, "1", 70000), 1);
    assert.ok(thrown(() => deadlineFromHeader(0, "0", 70000, 1000)) instanceof DeadlineExceededError);
  });

  test("the cap is timeout_ms for an origin and deadline_ms for a relay; the margin must be exceeded", () => {
    assert.equal(attemptCapMs("origin", 20000, 70000), 20000);
    assert.equal(attemptCapMs("relay", 20000, 70000), 70000);
    assert.equal(attemptTimeoutMs(0, 501, 20000, 500), 501);
    const none = thrown(() => attemptTimeoutMs(0, 500, 20000, 500));
    assert.ok(none instanceof DeadlineExceededError);
    assert.match(none.message, /answer_margin_ms 500/);
    assert.equal(deadlineHeaderMs(501, 500), 1);
  });

  test("without cap, margin and floor a sleep is allowed only if it ends before the deadline", () => {
    assert.equal(sleepAllowed(0, 999, 1000), true);
    assert.equal(sleepAllowed(0, 1000, 1000), false);
  });

  test("a sleep is allowed only if the attempt after it would send at least min_deadline_ms", () => {
    assert.equal(sleepAllowed(64500, 4000, 70000, 20000, 500, 1000), true);
    assert.equal(sleepAllowed(64501, 4000, 70000, 20000, 500, 1000), false);
    assert.equal(sleepAllowed(65999, 4000, 70000, 20000, 500, 1000), false);
    // The cap counts too: an origin whose full attempt would send less than the floor never sleeps.
    assert.equal(sleepAllowed(0, 1000, 70000, 1000, 500, 600), false);
    assert.equal(sleepAllowed(0, 1000, 70000, 70000, 500, 600), true);
  });

  test("an attempt whose X-Deadline-Ms would be below min_deadline_ms does not start", () => {
    assert.equal(attemptTimeoutMs(0, 1500, 20000, 500, 1000), 1500);
    const below = thrown(() => attemptTimeoutMs(0, 1499, 20000, 500, 1000));
    assert.ok(below instanceof DeadlineExceededError);
    assert.equal(below.httpStatus, 504);
    assert.equal(
      below.message,
      "DEADLINE_EXCEEDED: an attempt would get 1499 ms and send X-Deadline-Ms 999 (answer_margin_ms 500), " +
        "below min_deadline_ms 1000: it does not start",
    );
    assert.equal(attemptStarts(1500, 500, 1000), true);
    assert.equal(attemptStarts(1499, 500, 1000), false);
  });
});

describe("taxonomy", () => {
  test("every class of config/taxonomy.json has a row, in its order; only upstream faults are breaker failures", () => {
    const taxonomy = JSON.parse(readText(path.join(REPO_ROOT, "config", "taxonomy.json"))) as {
      classes: { class: string; breaker: string | null; retryable: boolean; http_status: number | null }[];
    };
    assert.deepEqual(
      Object.entries(ERROR_CLASSES).map(([name, info]) => [name, info.breaker, info.retryable, info.httpStatus]),
      taxonomy.classes.map((row) => [row.class, row.breaker, row.retryable, row.http_status]),
    );
    const failures = Object.entries(ERROR_CLASSES)
      .filter(([, info]) => info.breaker === "failure")
      .map(([name]) => name);
    assert.deepEqual(failures, ["TIMEOUT", "CONNECTION", "UPSTREAM_UNAVAILABLE", "OVERLOADED"]);
  });

  test("a relay retries only CONNECTION; a body saying retryable false vetoes any retry", () => {
    assert.equal(isRetried("TIMEOUT", "origin", null), true);
    assert.equal(isRetried("TIMEOUT", "relay", null), false);
    assert.equal(isRetried("CONNECTION", "relay", true), true);
    assert.equal(isRetried("CONNECTION", "relay", false), false);
    assert.equal(isRetried("OVERLOADED", "origin", true), false);
  });

  test("an error answer is classified by its body's class when that class has a breaker outcome, else by status", () => {
    const classOf = (status: number, body: string | null, retryAfter = false): unknown =>
      classifyAnswer(status, body, null, retryAfter).errorClass;
    assert.equal(classOf(503, "CIRCUIT_OPEN"), "CIRCUIT_OPEN");
    assert.equal(classOf(503, "BULKHEAD_FULL"), "BULKHEAD_FULL");
    assert.equal(classOf(504, "TIMEOUT"), "TIMEOUT");
    // A downstream's database class, an unknown name or no body: the status decides.
    assert.equal(classOf(503, "POOL_ACQUIRE_TIMEOUT"), "UPSTREAM_UNAVAILABLE");
    assert.equal(classOf(500, "NO_SUCH_CLASS"), "UPSTREAM_UNAVAILABLE");
    assert.equal(classOf(429, null), "OVERLOADED");
    assert.equal(classOf(503, null, true), "OVERLOADED");
    assert.equal(classOf(503, null), "UPSTREAM_UNAVAILABLE");
    assert.equal(classOf(404, null), "INVALID_REQUEST");
    assert.equal(classOf(302, null), "INTERNAL");
    assert.deepEqual(classifyAnswer(502, "CONNECTION", false, false), {
      errorClass: "CONNECTION",
      downstreamRetryable: false,
      timedOut: false,
    });
  });

  test("a ResilienceError carries its class, the class's retryable unless told, and its status", () => {
    const error = new ResilienceError("UPSTREAM_UNAVAILABLE", "the gateway answered 502");
    assert.equal(error.retryable, true);
    assert.equal(error.httpStatus, 502);
    assert.equal(error.message, "UPSTREAM_UNAVAILABLE: the gateway answered 502");
    assert.equal(new ResilienceError("UPSTREAM_UNAVAILABLE", "after retries", false).retryable, false);
    assert.equal(new ResilienceError("INVALID_CONFIG", "bad").httpStatus, null);
  });
});
