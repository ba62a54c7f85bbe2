import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { assertConforms, covered, documentedResponses } from "./support/apiConformance.js";
import { authorised } from "./support/fakeGateway.js";
import {
  ROOMY_TIMEOUTS,
  orderBody,
  postOrder,
  request,
  waitFor,
  type Answer,
} from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed({ service: ROOMY_TIMEOUTS });

function errorOf(answer: Answer): {
  class: string;
  message: string;
  retryable: boolean;
  details?: { pointer: string; message: string }[];
} {
  return (answer.body as { error: never }).error;
}

function pointers(answer: Answer): string[] {
  return (errorOf(answer).details ?? []).map((detail) => detail.pointer).sort();
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const answer = await postOrder(bed.service, body, headers);
  assertConforms("POST", "/orders", answer);
  return answer;
}

async function orderCount(): Promise<number> {
  const result = await bed.service.database.query<{ count: string }>("SELECT count(*) AS count FROM orders");
  return Number(result.rows[0]?.count);
}

describe("POST /orders refuses bad input with 400 naming every field", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a missing field", orderBody({ customer_id: undefined }), ["/customer_id"]],
    ["an unknown field", orderBody({ coupon: "X" }), ["/coupon"]],
    ["an amount given as a string", orderBody({ amount_minor: "1999" }), ["/amount_minor"]],
    ["a zero amount", orderBody({ amount_minor: 0 }), ["/amount_minor"]],
    ["an amount above 10^12", orderBody({ amount_minor: 1_000_000_000_001 }), ["/amount_minor"]],
    ["a fractional amount", orderBody({ amount_minor: 19.5 }), ["/amount_minor"]],
    ["a lowercase currency", orderBody({ currency: "eur" }), ["/currency"]],
    ["a currency that is no ISO 4217 code", orderBody({ currency: "ABC" }), ["/currency"]],
    ["an empty customer id", orderBody({ customer_id: "" }), ["/customer_id"]],
    ["a customer id of 65 characters", orderBody({ customer_id: "c".repeat(65) }), ["/customer_id"]],
    // PostgreSQL text cannot hold U+0000: without the schema's pattern this was a 500 from the INSERT.
    ["a customer id holding U+0000", orderBody({ customer_id: "c-\u0000-1" }), ["/customer_id"]],
    // Issue 11 j: the limits of config/api-limits.json, the same at the gateway and the provider.
    ["a payment token of 256 characters", orderBody({ payment_token: "t".repeat(256) }), ["/payment_token"]],
    ["a currency Node's Intl knows but config/api-limits.json does not", orderBody({ currency: "XDR" }), ["/currency"]],
    [
      "three bad fields at once",
      orderBody({ amount_minor: -1, currency: "E", payment_token: undefined }),
      ["/amount_minor", "/currency", "/payment_token"],
    ],
  ];
  for (const [name, body, expected] of cases) {
    test(`${name} → 400 at ${expected.join(", ")}`, async () => {
      const answer = await post(body);
      assert.equal(answer.status, 400);
      assert.equal(errorOf(answer).class, "INVALID_REQUEST");
      assert.equal(errorOf(answer).retryable, false);
      assert.deepEqual(pointers(answer), expected);
    });
  }

  test("a refused payment token is never echoed back", async () => {
    const token = `tok_${"z".repeat(300)}`;
    const answer = await post(orderBody({ payment_token: token }));
    assert.equal(answer.status, 400);
    assert.ok(!JSON.stringify(answer.body).includes("zzzz"));
  });

  test("a 400 never echoes a card-like value: masked in every message as the logs mask it", async () => {
    const card = "4111111111111111";
    const answers = [
      await post(orderBody({ amount_minor: Number(card) })),
      await post(orderBody({ amount_minor: "4111 1111 1111 1111" })),
      await post(orderBody({ customer_id: `card ${card} ${"y".repeat(60)}` })),
      await post(orderBody(), { "Idempotency-Key": `card ${card}` }),
      await request(`${bed.service.url}/orders`, "POST", {
        raw: `{"amount_minor": ${card}x}`,
        headers: { "content-type": "application/json", "Idempotency-Key": "masked-json" },
      }),
      await request(`${bed.service.url}/orders/${card}`, "GET"),
    ];
    for (const answer of answers) {
      const text = JSON.stringify(answer.body);
      assert.equal(answer.status, 400, text);
      assert.doesNotMatch(text, /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/);
    }
    assert.match(errorOf(answers[0] as Answer).message, /but was \[MASKED\]/, "masked, not dropped");
  });

  test("a body that is not JSON, an array, or empty → 400, never a 500", async () => {
    for (const raw of ["{not json", "[1,2]", '{"__proto__": {"x": 1}}', "null"]) {
      const answer = await request(`${bed.service.url}/orders`, "POST", { raw });
      assertConforms("POST", "/orders", answer);
      assert.equal(answer.status, 400, raw);
      assert.equal(errorOf(answer).class, "INVALID_REQUEST");
    }
    const empty = await request(`${bed.service.url}/orders`, "POST", {
      raw: "",
      headers: { "content-type": "application/json" },
    });
    assert.equal(empty.status, 400);
  });

  test("a body over 64 KiB → 413", async () => {
    const answer = await post(orderBody({ customer_id: "x".repeat(70 * 1024) }));
    assert.equal(answer.status, 413);
    assert.equal(errorOf(answer).class, "INVALID_REQUEST");
  });

  test("a body that is not application/json → 415", async () => {
    const answer = await request(`${bed.service.url}/orders`, "POST", {
      raw: "<order/>",
      headers: { "content-type": "application/xml" },
    });
    assertConforms("POST", "/orders", answer);
    assert.equal(answer.status, 415);
  });

  test("an Idempotency-Key over 255 characters → 400 at the header", async () => {
    const answer = await post(orderBody(), { "Idempotency-Key": "k".repeat(256) });
    assert.equal(answer.status, 400);
    assert.deepEqual(pointers(answer), ["/headers/Idempotency-Key"]);
  });

  test("bad input creates no order and calls no gateway", async () => {
    const before = [await orderCount(), bed.gateway.paymentRequests().length];
    await post(orderBody({ amount_minor: 0 }));
    assert.deepEqual([await orderCount(), bed.gateway.paymentRequests().length], before);
  });
});

describe("X-Deadline-Ms", () => {
  test("a malformed value → 400 at the header", async () => {
    for (const value of ["abc", "+5", "1_000", "12345678901"]) {
      const answer = await post(orderBody(), { "X-Deadline-Ms": value });
      assert.equal(answer.status, 400, value);
      assert.deepEqual(pointers(answer), ["/headers/X-Deadline-Ms"]);
    }
  });

  test("a spent deadline (0, -0, -5) → 504 DEADLINE_EXCEEDED without any work", async () => {
    const before = [await orderCount(), bed.gateway.paymentRequests().length];
    for (const value of ["0", "-0", "-5"]) {
      const answer = await post(orderBody(), { "X-Deadline-Ms": value });
      assert.equal(answer.status, 504, value);
      assert.equal(errorOf(answer).class, "DEADLINE_EXCEEDED");
    }
    assert.deepEqual([await orderCount(), bed.gateway.paymentRequests().length], before);
  });

  test("a value below payment.min_deadline_ms → 400 naming the header, the value and the floor, without any work", async () => {
    const before = [await orderCount(), bed.gateway.paymentRequests().length];
    for (const value of ["1", "99"]) {
      const answer = await post(orderBody(), { "X-Deadline-Ms": value });
      assert.equal(answer.status, 400, value);
      assert.equal(errorOf(answer).class, "INVALID_REQUEST");
      const [detail] = errorOf(answer).details ?? [];
      assert.equal(detail?.pointer, "/headers/X-Deadline-Ms");
      assert.match(detail?.message ?? "", new RegExp(`X-Deadline-Ms is ${value} ms, below min_deadline_ms 100`));
    }
    // The floor itself is accepted; but an attempt whose own header (its timeout less the 50 ms answer
    // margin) would fall below the floor does not start: the order fails, surely uncharged.
    const floor = await post(orderBody(), { "X-Deadline-Ms": "100" });
    assert.equal(floor.status, 201);
    const order = floor.body as { status: string; payment: { error_class: string } };
    assert.deepEqual([order.status, order.payment.error_class], ["FAILED", "DEADLINE_EXCEEDED"]);
    assert.deepEqual([await orderCount(), bed.gateway.paymentRequests().length], [before[0]! + 1, before[1]!]);
  });

  test("a short deadline cuts the attempt: the gateway is told the remaining time less the answer margin, the outcome is unknown", async () => {
    bed.gateway.script([{ behaviour: { kind: "hang" }, records: "pending" }]);
    const sentBefore = bed.gateway.paymentRequests().length;
    const answer = await post(orderBody(), { "X-Deadline-Ms": "300" });
    assert.equal(answer.status, 201);
    const order = answer.body as { status: string; payment: { error_class: string } };
    assert.deepEqual([order.status, order.payment.error_class], ["PAYMENT_UNKNOWN", "DEADLINE_EXCEEDED"]);
    const sent = bed.gateway.paymentRequests().slice(sentBefore);
    assert.equal(sent.length, 1);
    const header = Number(sent[0]?.headers["x-deadline-ms"]);
    assert.ok(header >= 100 && header <= 300 - 50, `X-Deadline-Ms sent: ${header}`);
  });
});

describe("every route answers as openapi.json documents", () => {
  test("POST /orders: 201, 200 replay, 409 in flight, 422 conflict", async () => {
    const created = await post(orderBody(), { "Idempotency-Key": "api-1" });
    assert.equal(created.status, 201);
    const replay = await post(orderBody(), { "Idempotency-Key": "api-1" });
    assert.equal(replay.status, 200);
    const conflict = await post(orderBody({ customer_id: "other" }), { "Idempotency-Key": "api-1" });
    assert.equal(conflict.status, 422);
    bed.gateway.script([authorised(200)]);
    const slow = post(orderBody(), { "Idempotency-Key": "api-2" });
    await waitFor("the payment to reach the gateway", () => bed.gateway.inflight > 0);
    const inflight = await post(orderBody(), { "Idempotency-Key": "api-2" });
    assert.equal(inflight.status, 409);
    assert.equal((await slow).status, 201);
  });

  test("GET /orders/{id}: 200, 400, 404", async () => {
    const created = await post(orderBody());
    const id = (created.body as { order_id: string }).order_id;
    for (const [path, status] of [
      [id, 200],
      ["nope", 400],
      ["00000000-0000-4000-8000-000000000000", 404],
    ] as const) {
      const answer = await request(`${bed.service.url}/orders/${path}`, "GET");
      assertConforms("GET", "/orders/{id}", answer);
      assert.equal(answer.status, status);
    }
  });

  test("GET /health 200 ok, GET /metrics, GET /openapi.json", async () => {
    const health = await request(`${bed.service.url}/health`, "GET");
    assertConforms("GET", "/health", health);
    assert.equal((health.body as { status: string }).status, "ok");
    const metrics = await request(`${bed.service.url}/metrics`, "GET");
    assertConforms("GET", "/metrics", metrics);
    const document = await request(`${bed.service.url}/openapi.json`, "GET");
    assertConforms("GET", "/openapi.json", document);
    assert.equal((document.body as { openapi: string }).openapi, "3.1.0");
  });

  test("an unknown route answers the shared error body with 404", async () => {
    const answer = await request(`${bed.service.url}/nowhere`, "GET");
    assert.equal(answer.status, 404);
    assert.equal(errorOf(answer).class, "NOT_FOUND");
  });

  // Responses this file cannot produce, and where they are held to the document instead.
  const ELSEWHERE: Readonly<Record<string, string>> = {
    "POST /orders 503": "databaseOutage.test.ts and pool.test.ts (database classes)",
    "GET /orders/{id} 503": "databaseOutage.test.ts (DB_CONNECTION)",
    "GET /health 503": "databaseOutage.test.ts and pool.test.ts (critical)",
    "POST /orders 500": "INTERNAL is a bug: no request can produce it on purpose",
    "GET /orders/{id} 500": "INTERNAL is a bug: no request can produce it on purpose",
  };

  test("every documented response was checked here or is listed with the file that checks it", () => {
    const missing = documentedResponses().filter((response) => !covered.has(response) && !(response in ELSEWHERE));
    assert.deepEqual(missing, []);
  });
});

describe("metrics", () => {
  test("names and labels of config/METRICS.md, service order-service, upstream gateway", async () => {
    await request(`${bed.service.url}/health`, "GET");
    await request(`${bed.service.url}/openapi.json`, "GET");
    await request(`${bed.service.url}/metrics`, "GET");
    const text = (await request(`${bed.service.url}/metrics`, "GET")).body as string;
    assert.doesNotMatch(text, /route="[^"]*\/(health|metrics|openapi\.json)"/, "probes and scrapes are no traffic");
    for (const line of [
      'checkout_requests_total{service="order-service",route="POST /orders",outcome="success",error_class=""}',
      'checkout_upstream_attempts_total{service="order-service",upstream="gateway",operation="charge",result="success"}',
      'checkout_breaker_state{service="order-service",upstream="gateway",operation="charge",state="closed"} 1',
      'checkout_breaker_state{service="order-service",upstream="gateway",operation="lookup",state="closed"} 1',
      'checkout_retry_budget_max_tokens{service="order-service",upstream="gateway",operation="charge"} 10',
      'checkout_bulkhead_max_concurrent{service="order-service",upstream="gateway",operation="charge"} 200',
      'checkout_bulkhead_max_concurrent{service="order-service",upstream="gateway",operation="lookup"} 20',
      'checkout_pool_max_connections{service="order-service"} 5',
      'checkout_pool_connections{service="order-service",state="in_use"}',
      'checkout_config_info{service="order-service",version="test-short",fingerprint="',
      'checkout_payment_outcomes_total{service="order-service",status="authorised"}',
      'checkout_request_duration_seconds_bucket{le="60",service="order-service",route="POST /orders"}',
      'checkout_upstream_latency_seconds_bucket{le="0.005",service="order-service",upstream="gateway",operation="charge"}',
      'checkout_inflight_requests{service="order-service"}',
    ]) {
      assert.ok(text.includes(line), `missing ${line}`);
    }
  });
});

describe("logs", () => {
  test("no payment token and no card-like number reaches a log line", async () => {
    const token = "4111 1111 1111 1111";
    await post(orderBody({ payment_token: token, customer_id: "4000-0566-5566-5556" }));
    await post(orderBody({ payment_token: token, amount_minor: "x" }));
    await request(`${bed.service.url}/orders/5555555555554444`, "GET");
    const all = bed.service.logs.join("");
    assert.ok(bed.service.logs.length > 10);
    assert.ok(!all.includes("4111"), "the token's digits");
    assert.doesNotMatch(all, /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/);
    assert.ok(all.includes("[MASKED]"), "the card-like customer id and path were masked, not dropped");
  });
});
