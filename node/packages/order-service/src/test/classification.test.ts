import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { parseCli, UsageError } from "../cli.js";
import { DEFAULT_DATABASE_URL, redactUrl, unreachableHint } from "../db/databaseUrl.js";
import { classifyDbError } from "../db/dbErrors.js";
import { GatewayClient, GatewayError } from "../gateway/gatewayClient.js";
import { FakeGateway, type ScriptStep } from "./support/fakeGateway.js";

function pgError(code: string, message = "pg error"): Error {
  return Object.assign(new Error(message), { code });
}

describe("database errors map onto the shared taxonomy", () => {
  const cases: [string, unknown, string, number, boolean][] = [
    [
      "the pool's wait for a connection ran out",
      new Error("timeout exceeded when trying to connect"),
      "POOL_ACQUIRE_TIMEOUT",
      503,
      true,
    ],
    ["connection refused", pgError("ECONNREFUSED"), "DB_CONNECTION", 503, true],
    ["connection reset", pgError("ECONNRESET"), "DB_CONNECTION", 503, true],
    ["admin shutdown (57P01)", pgError("57P01"), "DB_CONNECTION", 503, true],
    ["connection exception class 08", pgError("08006"), "DB_CONNECTION", 503, true],
    ["a socket that went away", new Error("Connection terminated unexpectedly"), "DB_CONNECTION", 503, true],
    ["statement timeout (57014)", pgError("57014"), "DB_STATEMENT_TIMEOUT", 503, true],
    ["serialization failure (40001)", pgError("40001"), "DB_SERIALIZATION", 503, true],
    ["deadlock (40P01)", pgError("40P01"), "DB_SERIALIZATION", 503, true],
    ["unique violation (23505)", pgError("23505"), "ALREADY_EXISTS", 409, false],
    ["check violation (23514)", pgError("23514"), "INVALID_REQUEST", 400, false],
    [
      "a NUL PostgreSQL text cannot hold (22021)",
      pgError("22021", 'invalid byte sequence for encoding "UTF8": 0x00'),
      "INVALID_REQUEST",
      400,
      false,
    ],
    ["a value too long (22001)", pgError("22001"), "INVALID_REQUEST", 400, false],
    ["anything else", pgError("42P01", "relation does not exist"), "INTERNAL", 500, false],
  ];
  for (const [name, error, errorClass, status, retryable] of cases) {
    test(`${name} → ${errorClass} ${status}`, () => {
      const classified = classifyDbError(error);
      assert.deepEqual(
        [classified.errorClass, classified.status, classified.retryable],
        [errorClass, status, retryable],
      );
    });
  }
});

describe("gateway answers are classified at the call site (SEMANTICS.md §6)", () => {
  let gateway: FakeGateway;
  let client: GatewayClient;
  before(async () => {
    gateway = await FakeGateway.start();
    client = new GatewayClient(gateway.url);
  });
  after(async () => {
    await gateway.close();
  });

  async function payWith(step: ScriptStep, timeoutMs = 500): Promise<GatewayError> {
    gateway.script([step]);
    const request = { paymentKey: "k", orderId: "o", amountMinor: 1, currency: "EUR", paymentToken: "t" };
    const error = await client.pay(request, { timeoutMs, deadlineHeaderMs: timeoutMs }).then(
      () => assert.fail("expected the attempt to fail"),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }

  function answer(status: number, body: unknown, headers: Record<string, string> = {}): ScriptStep {
    return { behaviour: { kind: "answer", status, body, headers } };
  }

  const cases: [string, ScriptStep, string, boolean, boolean][] = [
    ["429 → OVERLOADED, nothing charged", answer(429, {}), "OVERLOADED", false, false],
    ["503 with Retry-After → OVERLOADED", answer(503, null, { "retry-after": "1" }), "OVERLOADED", false, false],
    ["a bare 500 → UPSTREAM_UNAVAILABLE, maybe charged", answer(500, null), "UPSTREAM_UNAVAILABLE", true, true],
    [
      "a downstream POOL_ACQUIRE_TIMEOUT 503 (no breaker outcome) → by status",
      answer(503, { error: { class: "POOL_ACQUIRE_TIMEOUT", message: "m", retryable: true } }),
      "UPSTREAM_UNAVAILABLE",
      true,
      true,
    ],
    [
      "a 400 → INVALID_REQUEST, nothing charged",
      answer(400, { error: { class: "INVALID_REQUEST", message: "m", retryable: false } }),
      "INVALID_REQUEST",
      false,
      false,
    ],
    [
      "409 in flight at the gateway → maybe charged",
      answer(409, { error: { class: "IDEMPOTENCY_CONFLICT", message: "m", retryable: false } }),
      "IDEMPOTENCY_CONFLICT",
      true,
      false,
    ],
    [
      "body status failed wins over a 5xx",
      answer(502, { error: { class: "UPSTREAM_UNAVAILABLE", message: "m", retryable: false }, status: "failed" }),
      "UPSTREAM_UNAVAILABLE",
      false,
      false,
    ],
    ["a 200 without a payment status", answer(200, { hello: 1 }), "UPSTREAM_UNAVAILABLE", true, true],
  ];
  for (const [name, step, errorClass, maybeCharged, retryable] of cases) {
    test(name, async () => {
      const error = await payWith(step);
      assert.deepEqual([error.errorClass, error.maybeCharged, error.retryable], [errorClass, maybeCharged, retryable]);
    });
  }

  test("a hang ends at the attempt timeout as TIMEOUT, maybe charged", async () => {
    const started = Date.now();
    const error = await payWith({ behaviour: { kind: "hang" } }, 100);
    const took = Date.now() - started;
    assert.deepEqual([error.errorClass, error.maybeCharged], ["TIMEOUT", true]);
    // Ended by the 100 ms attempt timeout, not by the fake's hang (which never answers).
    assert.ok(took >= 95 && took < 5000, `took ${took} ms`);
  });

  test("a refused connection is CONNECTION and surely not charged", async () => {
    const closed = await FakeGateway.start();
    const url = closed.url;
    await closed.close();
    const error = await new GatewayClient(url)
      .pay(
        { paymentKey: "k", orderId: "o", amountMinor: 1, currency: "EUR", paymentToken: "t" },
        { timeoutMs: 200, deadlineHeaderMs: 200 },
      )
      .catch((thrown: unknown) => thrown);
    assert.ok(error instanceof GatewayError);
    assert.deepEqual([error.errorClass, error.maybeCharged], ["CONNECTION", false]);
  });

  test("a lookup 404 without the gateway's NOT_FOUND body proves nothing", async () => {
    assert.equal(await client.lookup("never-seen", { timeoutMs: 200, deadlineHeaderMs: 200 }), "not_found");
    const wrongPrefix = new GatewayClient(`${gateway.url}/wrong-prefix`);
    await assert.rejects(wrongPrefix.lookup("k", { timeoutMs: 200, deadlineHeaderMs: 200 }), GatewayError);
  });
});

describe("command line", () => {
  test("defaults: 127.0.0.1, port 0, reload every second, the repo's durable dev database", () => {
    assert.deepEqual(parseCli(["--gateway-url", "http://127.0.0.1:9"], {}), {
      host: "127.0.0.1",
      port: 0,
      gatewayUrl: "http://127.0.0.1:9",
      config: undefined,
      reloadIntervalMs: 1000,
      database: { url: "postgresql://postgres@127.0.0.1:54329/orders", source: "default" },
    });
    assert.equal(DEFAULT_DATABASE_URL, "postgresql://postgres@127.0.0.1:54329/orders");
    assert.match(unreachableHint({ url: DEFAULT_DATABASE_URL, source: "default" }), /python -m tools\.pg up/);
  });

  test("the database URL: --database-url wins over DATABASE_URL, which wins over the default", () => {
    const env = { DATABASE_URL: "postgresql://env@db:5432/orders" };
    const flag = ["--database-url", "postgres://flag:pw@db:5432/orders"];
    assert.deepEqual(parseCli(["--gateway-url", "http://x", ...flag], env).database, {
      url: "postgres://flag:pw@db:5432/orders",
      source: "--database-url",
    });
    assert.deepEqual(parseCli(["--gateway-url", "http://x"], env).database, {
      url: "postgresql://env@db:5432/orders",
      source: "DATABASE_URL",
    });
    assert.throws(
      () => parseCli(["--gateway-url", "http://x", "--database-url", "mysql://u:hidden@db/orders"], {}),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message.includes("mysql://u:***@db/orders") &&
        !error.message.includes("hidden"),
    );
  });

  test("a URL shown in a message never carries its password", () => {
    assert.equal(redactUrl("postgresql://app:pw@db:5432/orders"), "postgresql://app:***@db:5432/orders");
    assert.equal(
      redactUrl("postgresql://db/orders?password=pw&sslmode=require"),
      "postgresql://db/orders?password=***&sslmode=require",
    );
    assert.equal(redactUrl("postgresql://app@db/orders"), "postgresql://app@db/orders");
  });

  test("a missing gateway URL, a bad port or an unknown flag is a usage error", () => {
    assert.throws(() => parseCli([]), UsageError);
    assert.throws(() => parseCli(["--gateway-url", "http://x", "--port", "70000"]), UsageError);
    assert.throws(() => parseCli(["--gateway-url", "http://x", "--verbose"]), UsageError);
  });
});
