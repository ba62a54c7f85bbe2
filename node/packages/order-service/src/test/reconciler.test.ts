// Issue 11 f: the reconciler is fair (every unsettled order gets its turn, a timeout on one ends
// nothing), bounded per run, and shared by replicas without double work.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";

import { RUN_LIMIT } from "../orders/reconciler.js";
import { FakeGateway } from "./support/fakeGateway.js";
import { orderBody, postOrder, request, startService, type Service } from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed({ gateway: false });

/** Inserts `count` PAYMENT_UNKNOWN orders, the first one oldest; returns their payment keys in that order. */
async function unknownOrders(service: Service, count: number): Promise<string[]> {
  await service.app.reconciler.runOnce(); // after the run every start makes, on the empty table
  const ids = Array.from({ length: count }, () => randomUUID());
  await service.database.query(
    `INSERT INTO orders (id, idempotency_key, request_hash, customer_id, amount_minor, currency, status,
                         payment_key, payment_status, payment_error_class, created_at, updated_at)
     SELECT id, 'key-' || id, repeat('a', 64), 'cust', 500, 'EUR', 'PAYMENT_UNKNOWN', 'order-' || id, 'unknown', 'TIMEOUT',
            now() - interval '1 hour' + n * interval '1 second', now() - interval '1 hour' + n * interval '1 second'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
    [ids],
  );
  return ids.map((id) => `order-${id}`);
}

function lookups(gateway: FakeGateway): Map<string, number> {
  const seen = new Map<string, number>();
  for (const request of gateway.requests.filter((r) => r.method === "GET" && r.path.startsWith("/payments/"))) {
    const key = decodeURIComponent(request.path.slice("/payments/".length));
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}

async function statusOf(service: Service, paymentKey: string): Promise<string | undefined> {
  const rows = await service.database.query<{ status: string }>("SELECT status FROM orders WHERE payment_key = $1", [
    paymentKey,
  ]);
  return rows.rows[0]?.status;
}

async function withGateway(run: (gateway: FakeGateway) => Promise<void>): Promise<void> {
  const gateway = await FakeGateway.start();
  try {
    await run(gateway);
  } finally {
    await gateway.close();
  }
}

describe("reconciliation is fair, bounded and shared", () => {
  test("a lookup that times out does not end the run: the orders after it are settled", () =>
    withGateway(async (gateway) => {
      const service = await startService({ db: bed.db, gateway });
      try {
        const [stuck, ...rest] = await unknownOrders(service, 4);
        gateway.hangingLookups.add(stuck ?? "");
        for (const key of rest) {
          gateway.payments.set(key, "authorised");
        }
        const run = await service.app.reconciler.runOnce();
        assert.deepEqual(run, { examined: 4, settled: 3, unknownOrders: 1 });
        for (const key of rest) {
          assert.equal(await statusOf(service, key), "PAID", key);
        }
        assert.equal(await statusOf(service, stuck ?? ""), "PAYMENT_UNKNOWN");
      } finally {
        await service.close();
      }
    }));

  test("every unsettled order gets its turn: the next run takes the orders the last one did not reach", () =>
    withGateway(async (gateway) => {
      const service = await startService({ db: bed.db, gateway });
      try {
        const keys = await unknownOrders(service, RUN_LIMIT + 50);
        for (const key of keys) {
          gateway.payments.set(key, "unknown"); // they stay unknown: nothing moves them but the schedule
        }
        const first = await service.app.reconciler.runOnce();
        assert.equal(first?.examined, RUN_LIMIT, "a run is bounded");
        const second = await service.app.reconciler.runOnce();
        assert.equal(second?.examined, 50, "the orders the first run did not reach, and only those");
        const seen = lookups(gateway);
        assert.equal(seen.size, RUN_LIMIT + 50, "every order was looked at");
        assert.ok([...seen.values()].every((count) => count === 1), "none twice");
        assert.equal((await service.app.reconciler.runOnce())?.examined, 0, "nothing is due again before its backoff");
        const rows = await service.database.query<{ attempts: number; later: boolean }>(
          "SELECT reconcile_attempts AS attempts, next_reconcile_at > now() AS later FROM orders",
        );
        assert.ok(rows.rows.every((row) => row.attempts === 1 && row.later), "each look moved the order's turn on");
      } finally {
        await service.close();
      }
    }));

  test("two replicas reconciling at once look each order up once", () =>
    withGateway(async (gateway) => {
      const one = await startService({ db: bed.db, gateway });
      // Started second: the TRUNCATE of its start happens before the orders exist.
      const two = await startService({ db: bed.db, gateway });
      try {
        await two.app.reconciler.runOnce();
        const keys = await unknownOrders(one, 40);
        for (const key of keys) {
          gateway.payments.set(key, "authorised");
        }
        const [a, b] = await Promise.all([one.app.reconciler.runOnce(), two.app.reconciler.runOnce()]);
        assert.equal((a?.examined ?? 0) + (b?.examined ?? 0), 40);
        assert.equal((a?.settled ?? 0) + (b?.settled ?? 0), 40);
        const seen = lookups(gateway);
        assert.equal(seen.size, 40);
        assert.ok([...seen.values()].every((count) => count === 1), JSON.stringify([...seen.values()]));
      } finally {
        await two.close();
        await one.close();
      }
    }));

  test("a run looks up no more orders at once than the lookup bulkhead admits: none is refused BULKHEAD_FULL", () =>
    withGateway(async (gateway) => {
      const service = await startService({ db: bed.db, gateway, edits: [["/payment/lookup/bulkhead/max_concurrent", 3]] });
      try {
        const keys = await unknownOrders(service, 7);
        for (const key of keys) {
          gateway.payments.set(key, "authorised");
        }
        assert.deepEqual(await service.app.reconciler.runOnce(), { examined: 7, settled: 7, unknownOrders: 0 });
        assert.equal(service.records().filter((record) => record["error_class"] === "BULKHEAD_FULL").length, 0);
      } finally {
        await service.close();
      }
    }));

  test("lookups that time out open only the lookup breaker: the next order is still paid", () =>
    withGateway(async (gateway) => {
      const service = await startService({ db: bed.db, gateway });
      try {
        for (const key of await unknownOrders(service, 5)) {
          gateway.hangingLookups.add(key);
        }
        assert.deepEqual(await service.app.reconciler.runOnce(), { examined: 5, settled: 0, unknownOrders: 5 });
        const { charge, lookup } = service.app.payments.upstream;
        assert.deepEqual([lookup.breaker.state, lookup.budget.tokensMilli], ["open", 5000]);
        assert.deepEqual([charge.breaker.state, charge.budget.tokensMilli], ["closed", 10000]);
        const paid = await postOrder(service, orderBody());
        assert.equal((paid.body as { status: string }).status, "PAID");
        const metrics = String((await request(`${service.url}/metrics`, "GET")).body);
        assert.match(metrics, /^checkout_breaker_state\{[^}]*operation="lookup",state="open"\} 1$/m);
        assert.match(metrics, /^checkout_breaker_state\{[^}]*operation="charge",state="closed"\} 1$/m);
      } finally {
        await service.close();
      }
    }));
});
