import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { FakeGateway, authorised, declined, errorAnswer } from "./support/fakeGateway.js";
import {
  ROOMY_TIMEOUTS,
  orderBody,
  postOrder,
  request,
  startService,
  waitFor,
  type Service,
} from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed({ gateway: false });

/** A service and a fake gateway for one test; both stopped at its end. */
async function withService(
  run: (service: Service, gateway: FakeGateway) => Promise<void>,
  edits: Parameters<typeof startService>[0]["edits"] = [],
): Promise<void> {
  const gateway = await FakeGateway.start();
  const service = await startService({ db: bed.db, gateway, edits });
  try {
    await run(service, gateway);
  } finally {
    await service.close();
    await gateway.close();
  }
}

function bodyOf(answer: { body: unknown }): Record<string, any> {
  return answer.body as Record<string, any>;
}

describe("payment flow", () => {
  test("an authorised payment answers 201 PAID and GET reads the same order", async () => {
    await withService(async (service, gateway) => {
      const created = await postOrder(service, orderBody());
      assert.equal(created.status, 201);
      const order = bodyOf(created);
      assert.equal(order["status"], "PAID");
      assert.deepEqual(order["payment"], { idempotency_key: `order-${order["order_id"]}`, status: "authorised" });
      const read = await request(`${service.url}/orders/${order["order_id"]}`, "GET");
      assert.deepEqual([read.status, read.body], [200, order]);

      const [sent] = gateway.paymentRequests();
      assert.equal(sent?.headers["idempotency-key"], `order-${order["order_id"]}`);
      assert.equal(sent?.headers["x-deadline-ms"], "300", "the attempt timeout travels as X-Deadline-Ms");
      assert.deepEqual(sent?.body, {
        order_id: order["order_id"],
        amount_minor: 1999,
        currency: "EUR",
        payment_token: "tok_visa_abc123",
      });
    });
  });

  test("a declined payment is an answer: 201 DECLINED, one attempt, nothing retried", async () => {
    await withService(async (service, gateway) => {
      gateway.script([declined()]);
      const created = await postOrder(service, orderBody());
      assert.equal(created.status, 201);
      assert.equal(bodyOf(created)["status"], "DECLINED");
      assert.deepEqual(bodyOf(created)["payment"]["status"], "declined");
      assert.equal(gateway.paymentRequests().length, 1);
    });
  });

  test("the payment token is never stored: no column of the order holds it", async () => {
    await withService(async (service) => {
      const token = "tok_secret_never_stored_42";
      const created = await postOrder(service, orderBody({ payment_token: token }));
      assert.equal(created.status, 201);
      const rows = await service.database.query("SELECT * FROM orders");
      assert.equal(rows.rows.length, 1);
      assert.ok(!JSON.stringify(rows.rows).includes(token));
      assert.ok(!JSON.stringify(rows.rows).includes("never_stored"));
    });
  });

  test("an unknown order id answers 404 NOT_FOUND, a malformed one 400", async () => {
    await withService(async (service) => {
      const missing = await request(`${service.url}/orders/00000000-0000-4000-8000-000000000000`, "GET");
      assert.equal(missing.status, 404);
      assert.equal(bodyOf(missing)["error"]["class"], "NOT_FOUND");
      const malformed = await request(`${service.url}/orders/not-a-uuid`, "GET");
      assert.equal(malformed.status, 400);
      assert.deepEqual(bodyOf(malformed)["error"]["details"][0]["pointer"], "/path/id");
    });
  });
});

describe("idempotency", () => {
  test("the same key and payload after completion replays the order: 200 and Idempotent-Replayed", async () => {
    await withService(async (service, gateway) => {
      const first = await postOrder(service, orderBody(), { "Idempotency-Key": "key-replay-1" });
      const again = await postOrder(service, orderBody(), { "Idempotency-Key": "key-replay-1" });
      assert.deepEqual([first.status, again.status], [201, 200]);
      assert.equal(again.headers.get("idempotent-replayed"), "true");
      assert.deepEqual(again.body, first.body);
      assert.equal(gateway.paymentRequests().length, 1, "a replay charges nothing");
    });
  });

  test("the same key with a different payload answers 422 IDEMPOTENCY_CONFLICT", async () => {
    await withService(async (service) => {
      await postOrder(service, orderBody(), { "Idempotency-Key": "key-conflict-1" });
      const other = await postOrder(service, orderBody({ amount_minor: 2000 }), {
        "Idempotency-Key": "key-conflict-1",
      });
      assert.equal(other.status, 422);
      assert.equal(bodyOf(other)["error"]["class"], "IDEMPOTENCY_CONFLICT");
      assert.equal(bodyOf(other)["error"]["retryable"], false);
    });
  });

  test("the same key while the first request is still paying answers 409", async () => {
    await withService(async (service, gateway) => {
      gateway.script([authorised(400)]);
      const first = postOrder(service, orderBody(), { "Idempotency-Key": "key-inflight-1" });
      await waitFor("the first payment to reach the gateway", () => gateway.inflight === 1);
      const second = await postOrder(service, orderBody(), { "Idempotency-Key": "key-inflight-1" });
      assert.equal(second.status, 409);
      assert.equal(bodyOf(second)["error"]["class"], "IDEMPOTENCY_CONFLICT");
      assert.equal(bodyOf(second)["error"]["retryable"], true, "repeating it later is right");
      assert.equal((await first).status, 201);
    }, ROOMY_TIMEOUTS);
  });

  test("concurrent POSTs with one key create exactly one order and charge once", async () => {
    await withService(async (service, gateway) => {
      gateway.script([authorised(100)]);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => postOrder(service, orderBody(), { "Idempotency-Key": "key-race-1" })),
      );
      const statuses = answers.map((answer) => answer.status);
      assert.equal(statuses.filter((status) => status === 201).length, 1, `statuses: ${statuses.join(",")}`);
      assert.ok(
        statuses.every((status) => status === 201 || status === 409 || status === 200),
        `statuses: ${statuses.join(",")}`,
      );
      const rows = await service.database.query<{ count: string }>("SELECT count(*) AS count FROM orders");
      assert.equal(rows.rows[0]?.count, "1");
      assert.equal(gateway.paymentRequests().length, 1);
      const conflicted = answers.filter((answer) => answer.status === 409);
      assert.ok(conflicted.every((answer) => bodyOf(answer)["error"]["class"] === "IDEMPOTENCY_CONFLICT"));
      // 20 requests share 5 connections: on a loaded machine a 300 ms acquire timeout answers some with a
      // (correct) 503, which is not what this test is about — give the pool room.
    }, [...ROOMY_TIMEOUTS, ["/database/pool/acquire_timeout_ms", 5000]]);
  });
});

describe("no connection is held across the payment call", () => {
  test("pool in use stays 0 while payments are in flight at the gateway", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([], authorised(250));
        const pending = Array.from({ length: 10 }, (_, i) => postOrder(service, orderBody({ customer_id: `c${i}` })));
        await waitFor("all ten payments to be in flight", () => gateway.inflight === 10);
        const samples: number[] = [];
        while (gateway.inflight === 10) {
          samples.push(service.database.stats().in_use);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        assert.ok(samples.length >= 5, `sampled ${samples.length} times`);
        assert.deepEqual(new Set(samples), new Set([0]), "no connection checked out while the gateway works");
        const answers = await Promise.all(pending);
        assert.ok(answers.every((answer) => answer.status === 201 && bodyOf(answer)["status"] === "PAID"));
      },
      [...ROOMY_TIMEOUTS, ["/monitoring/pool_check_interval_ms", 3_600_000]],
    ); // the monitor's probe is the pool's only other user
  });

  test("the legacy replay switch holds exactly one connection for the whole payment call", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([], authorised(250));
        const pending = postOrder(service, orderBody());
        await waitFor("the payment to be in flight", () => gateway.inflight === 1);
        const samples: number[] = [];
        while (gateway.inflight === 1) {
          samples.push(service.database.stats().in_use);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        assert.ok(samples.length >= 5, `sampled ${samples.length} times`);
        assert.deepEqual(new Set(samples), new Set([1]), "one connection checked out while the gateway works");
        const answer = await pending;
        assert.equal(answer.status, 201);
        assert.equal(bodyOf(answer)["status"], "PAID");
        assert.equal(service.database.stats().in_use, 0);
      },
      [
        ...ROOMY_TIMEOUTS,
        ["/monitoring/pool_check_interval_ms", 3_600_000],
        ["/order_service/legacy_hold_connection_during_payment", true],
      ],
    );
  });

  test("30 concurrent orders never take more connections than max_connections", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([], authorised(20));
        service.database.resetPeak();
        const answers = await Promise.all(
          Array.from({ length: 30 }, (_, i) => postOrder(service, orderBody({ customer_id: `c${i}` }))),
        );
        assert.ok(
          answers.every((answer) => answer.status === 201),
          answers.map((answer) => answer.status).join(","),
        );
        assert.ok(service.database.peakInUse >= 1);
        assert.ok(service.database.peakInUse <= 5, `peak ${service.database.peakInUse}`);
        assert.ok(service.database.pool.totalCount <= 5);
      },
      [...ROOMY_TIMEOUTS, ["/database/pool/acquire_timeout_ms", 1500]],
    );
  });
});

describe("unknown outcomes and reconciliation", () => {
  test("a gateway timeout leaves the order PAYMENT_UNKNOWN, is not retried, and the reconciler settles it", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([{ behaviour: { kind: "hang" }, records: "authorised" }]);
        const created = await postOrder(service, orderBody());
        assert.equal(created.status, 201);
        const order = bodyOf(created);
        assert.equal(order["status"], "PAYMENT_UNKNOWN");
        assert.equal(order["payment"]["error_class"], "TIMEOUT");
        assert.equal(gateway.paymentRequests().length, 1, "a relay never retries a TIMEOUT");

        // The in-process reconciler (every 100 ms here) asks GET /payments/{key} and settles it.
        await waitFor("the reconciler to settle the order", async () => {
          const read = await request(`${service.url}/orders/${order["order_id"]}`, "GET");
          return bodyOf(read)["status"] === "PAID";
        });
        const lookups = gateway.requests.filter((seen) => seen.method === "GET");
        assert.ok(lookups.some((seen) => seen.path === `/payments/order-${order["order_id"]}`));
        await waitFor("the health view to show no unknown order", async () => {
          const health = await request(`${service.url}/health`, "GET");
          return bodyOf(health)["reconciler"]["unknown_orders"] === 0;
        });
        assert.equal(gateway.paymentRequests().length, 1, "settled without a second charge");
      },
      [["/order_service/reconcile_interval_ms", 100]],
    );
  });

  test("a connection dropped after sending is unknown; a gateway 404 settles it FAILED", async () => {
    await withService(async (service, gateway) => {
      gateway.script([
        { behaviour: { kind: "drop" } },
        { behaviour: { kind: "drop" } },
        { behaviour: { kind: "drop" } },
      ]);
      const created = await postOrder(service, orderBody());
      const order = bodyOf(created);
      assert.equal(order["status"], "PAYMENT_UNKNOWN");
      assert.equal(order["payment"]["error_class"], "CONNECTION");
      const sent = gateway.paymentRequests();
      assert.equal(sent.length, 3, "CONNECTION is the one class a relay retries");
      assert.ok(sent.every((seen) => seen.headers["idempotency-key"] === `order-${order["order_id"]}`));

      const run = await service.app.reconciler.runOnce();
      assert.deepEqual(run, { examined: 1, settled: 1, unknownOrders: 0 });
      const read = await request(`${service.url}/orders/${order["order_id"]}`, "GET");
      assert.deepEqual(
        [bodyOf(read)["status"], bodyOf(read)["payment"]],
        ["FAILED", { idempotency_key: `order-${order["order_id"]}`, status: "failed", error_class: "CONNECTION" }],
      );
    });
  });

  test("a gateway that refuses connections fails the order after max_attempts: nothing was charged", async () => {
    const gateway = await FakeGateway.start();
    const url = gateway.url;
    await gateway.close();
    const service = await startService({ db: bed.db, gateway: url });
    try {
      const created = await postOrder(service, orderBody());
      assert.equal(created.status, 201);
      assert.equal(bodyOf(created)["status"], "FAILED");
      assert.deepEqual(bodyOf(created)["payment"]["error_class"], "CONNECTION");
    } finally {
      await service.close();
    }
  });

  test("the gateway's own unknown (504 TIMEOUT) is PAYMENT_UNKNOWN; its failed (503 CIRCUIT_OPEN) is FAILED", async () => {
    await withService(async (service, gateway) => {
      gateway.script([errorAnswer(504, "TIMEOUT", "unknown"), errorAnswer(503, "CIRCUIT_OPEN", "failed")]);
      const unknown = bodyOf(await postOrder(service, orderBody()));
      const failed = bodyOf(await postOrder(service, orderBody()));
      assert.deepEqual([unknown["status"], unknown["payment"]["error_class"]], ["PAYMENT_UNKNOWN", "TIMEOUT"]);
      assert.deepEqual([failed["status"], failed["payment"]["error_class"]], ["FAILED", "CIRCUIT_OPEN"]);
      assert.equal(gateway.paymentRequests().length, 2, "neither was retried");
    });
  });

  test("the gateway's CONNECTION answer says retryable false: it ran its own retries, so it is not resent", async () => {
    await withService(async (service, gateway) => {
      gateway.script([errorAnswer(502, "CONNECTION", "unknown", false)]);
      const order = bodyOf(await postOrder(service, orderBody()));
      assert.deepEqual([order["status"], order["payment"]["error_class"]], ["PAYMENT_UNKNOWN", "CONNECTION"]);
      assert.equal(gateway.paymentRequests().length, 1, "CONNECTION is retried by a relay, but the body vetoes it");
    });
  });

  test("a stale PENDING order (the process died mid-payment) is settled from the gateway's record", async () => {
    await withService(async (service, gateway) => {
      const id = "11111111-2222-4333-8444-555555555555";
      await service.database.query(
        `INSERT INTO orders (id, idempotency_key, request_hash, customer_id, amount_minor, currency, status, payment_key, payment_status, created_at, updated_at)
         VALUES ($1, 'crash-key', repeat('a', 64), 'cust', 500, 'EUR', 'PENDING', $2, 'pending', now() - interval '1 hour', now() - interval '1 hour')`,
        [id, `order-${id}`],
      );
      gateway.payments.set(`order-${id}`, "declined");
      const run = await service.app.reconciler.runOnce();
      assert.equal(run?.settled, 1);
      const read = await request(`${service.url}/orders/${id}`, "GET");
      assert.equal(bodyOf(read)["status"], "DECLINED");
    });
  });
});

describe("breaker", () => {
  test("after failure_threshold gateway failures the breaker opens and orders fail fast without calling it", async () => {
    await withService(async (service, gateway) => {
      gateway.script([], errorAnswer(502, "UPSTREAM_UNAVAILABLE", "failed"));
      for (let i = 0; i < 5; i++) {
        assert.equal(bodyOf(await postOrder(service, orderBody()))["payment"]["error_class"], "UPSTREAM_UNAVAILABLE");
      }
      assert.equal(service.app.payments.breaker.state, "open");
      const before = gateway.paymentRequests().length;
      const rejected = bodyOf(await postOrder(service, orderBody()));
      assert.deepEqual([rejected["status"], rejected["payment"]["error_class"]], ["FAILED", "CIRCUIT_OPEN"]);
      assert.equal(gateway.paymentRequests().length, before, "the gateway was not called");
      const health = await request(`${service.url}/health`, "GET");
      assert.deepEqual(
        [health.status, bodyOf(health)["status"], bodyOf(health)["breaker"]["state"]],
        [200, "degraded", "open"],
      );
    });
  });
});
