// Payments whose outcome the gateway did not give: unknown until reconciled, never charged twice;
// and the breaker in front of the gateway.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { FakeGateway, errorAnswer } from "./support/fakeGateway.js";
import { orderBody, postOrder, request, startService, waitFor, type Edit, type Service } from "./support/harness.js";
import { useTestBed, withServiceAndGateway } from "./support/testBed.js";

const bed = useTestBed({ gateway: false });

const withService = (run: (service: Service, gateway: FakeGateway) => Promise<void>, edits: readonly Edit[] = []) =>
  withServiceAndGateway(bed.db, run, edits);

function bodyOf(answer: { body: unknown }): Record<string, any> {
  return answer.body as Record<string, any>;
}

describe("unknown outcomes and reconciliation", () => {
  test("a gateway that never answers leaves the order PAYMENT_UNKNOWN, is not retried, and the reconciler settles it", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([{ behaviour: { kind: "hang" }, records: "authorised" }]);
        const created = await postOrder(service, orderBody());
        assert.equal(created.status, 201);
        const order = bodyOf(created);
        assert.equal(order["status"], "PAYMENT_UNKNOWN");
        // The relay's one attempt had the whole deadline: it ran out with it.
        assert.equal(order["payment"]["error_class"], "DEADLINE_EXCEEDED");
        assert.equal(gateway.paymentRequests().length, 1, "a relay never retries a TIMEOUT");

        // The in-process reconciler (every 100 ms here) asks GET /payments/{key} and settles it.
        await waitFor("the reconciler to settle the order", async () => {
          const read = await request(`${service.url}/orders/${order["order_id"]}`, "GET");
          return bodyOf(read)["status"] === "PAID";
        });
        const lookups = gateway.requests.filter((seen) => seen.method === "GET");
        assert.ok(lookups.some((seen) => seen.path === `/payments/${order["payment"]["idempotency_key"]}`));
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
      assert.ok(sent.every((seen) => seen.headers["idempotency-key"] === order["payment"]["idempotency_key"]));

      const run = await service.app.reconciler.runOnce();
      assert.deepEqual(run, { examined: 1, settled: 1, unknownOrders: 0 });
      const read = await request(`${service.url}/orders/${order["order_id"]}`, "GET");
      assert.deepEqual(
        [bodyOf(read)["status"], bodyOf(read)["payment"]],
        ["FAILED", { idempotency_key: order["payment"]["idempotency_key"], status: "failed", error_class: "CONNECTION" }],
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

describe("breaker and bulkhead", () => {
  test("after failure_threshold gateway failures the breaker opens and orders fail fast without calling it", async () => {
    await withService(async (service, gateway) => {
      gateway.script([], errorAnswer(502, "UPSTREAM_UNAVAILABLE", "failed"));
      for (let i = 0; i < 5; i++) {
        assert.equal(bodyOf(await postOrder(service, orderBody()))["payment"]["error_class"], "UPSTREAM_UNAVAILABLE");
      }
      assert.equal(service.app.payments.upstream.charge.breaker.state, "open");
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

  test("a full charge bulkhead fails the order fast, like an open breaker: nothing sent, nothing charged", async () => {
    await withService(
      async (service, gateway) => {
        let release = (): void => undefined;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        const body = { status: "authorised", charge_id: "ch_test", attempts: 1 };
        gateway.script([{ behaviour: { kind: "answer", status: 200, body, after: held }, records: "authorised" }]);
        const first = postOrder(service, orderBody());
        await waitFor("the first payment to hold the only charge slot", () => gateway.inflight === 1);
        const refused = bodyOf(await postOrder(service, orderBody()));
        assert.deepEqual(
          [refused["status"], refused["payment"]["status"], refused["payment"]["error_class"]],
          ["FAILED", "failed", "BULKHEAD_FULL"],
        );
        assert.equal(gateway.paymentRequests().length, 1, "the refused payment was not sent");
        const logged = service.records().find((record) => record["error_class"] === "BULKHEAD_FULL");
        assert.equal(logged?.["operation"], "charge");
        assert.match(String(logged?.["msg"]), /charge bulkhead is full: 1 attempts in flight, max_concurrent 1/);
        const metrics = String((await request(`${service.url}/metrics`, "GET")).body);
        assert.match(metrics, /^checkout_bulkhead_in_flight\{[^}]*operation="charge"\} 1$/m);
        release();
        assert.equal(bodyOf(await first)["status"], "PAID");
        assert.equal(service.app.payments.upstream.charge.bulkhead.inFlight, 0);
        assert.equal(service.app.payments.upstream.charge.breaker.state, "closed", "a full bulkhead is no failure");
      },
      [["/payment/bulkhead/max_concurrent", 1]],
    );
  });
});
