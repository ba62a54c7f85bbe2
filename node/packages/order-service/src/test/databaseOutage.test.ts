import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { assertConforms } from "./support/apiConformance.js";
import { DatabaseLink } from "./support/databaseLink.js";
import { orderBody, postOrder, request, startService, waitFor } from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed();

const DB_CLASSES = new Set(["DB_CONNECTION", "POOL_ACQUIRE_TIMEOUT"]);

// The service reaches its database through a relay the test cuts: every connection reset, new ones
// refused — the server stopping, or the network to it failing — and then restored on the same address.
async function withLink(run: (link: DatabaseLink) => Promise<void>): Promise<void> {
  const link = await DatabaseLink.open(bed.db.url);
  try {
    await run(link);
  } finally {
    await link.close();
  }
}

describe("the database goes away and comes back", () => {
  test("classified 503s and /health 503 while it is down; recovery without restarting the service", () =>
    withLink(async (link) => {
      const service = await startService({ db: link, gateway: bed.gateway });
      try {
        const before = await postOrder(service, orderBody());
        assert.equal(before.status, 201);
        const id = (before.body as { order_id: string }).order_id;

        // Idle connections in the pool when the database goes: each gets an 'error' event.
        await Promise.all([1, 2, 3].map(() => service.database.query("SELECT pg_sleep(0.01)")));
        assert.ok(service.database.stats().idle >= 1);
        await link.cut();
        const refused = await postOrder(service, orderBody());
        assertConforms("POST", "/orders", refused);
        assert.equal(refused.status, 503);
        const error = (refused.body as { error: { class: string; retryable: boolean } }).error;
        assert.ok(DB_CLASSES.has(error.class), error.class);
        assert.equal(error.retryable, true);

        const read = await request(`${service.url}/orders/${id}`, "GET");
        assertConforms("GET", "/orders/{id}", read);
        assert.equal(read.status, 503);
        assert.equal((read.body as { error: { class: string } }).error.class, "DB_CONNECTION");

        const healthIs = async (status: number): Promise<boolean> =>
          (await request(`${service.url}/health`, "GET")).status === status;
        await waitFor("/health to turn 503", () => healthIs(503));
        const health = await request(`${service.url}/health`, "GET");
        assertConforms("GET", "/health", health);
        assert.deepEqual(
          [(health.body as { status: string }).status, (health.body as { database: unknown }).database],
          ["critical", { reachable: false }],
        );

        await link.restore();
        await waitFor("/health to turn 200", () => healthIs(200));
        const after = await postOrder(service, orderBody());
        assert.equal(after.status, 201);
        assert.equal((await request(`${service.url}/orders/${id}`, "GET")).status, 200);
        assert.ok(
          service.records().some((record) => record["msg"] === "idle database connection failed"),
          "the pool's error events were logged, not thrown",
        );
      } finally {
        await link.restore();
        await service.close();
      }
    }));

  test("a database lost during the payment leaves the order PENDING; the reconciler settles it later", () =>
    withLink(async (link) => {
      // One attempt of up to 1 s within a 1 s deadline: a PENDING order is stale (its request surely
      // over) after deadline 1000 + acquire 300 ms.
      const service = await startService({
        db: link,
        gateway: bed.gateway,
        edits: [
          ["/payment/retry/max_attempts", 1],
          ["/payment/timeout_ms", 1000],
          ["/payment/provider_expected_p99_ms", 900],
          ["/payment/deadline_ms", 1000],
        ],
      });
      try {
        let release = (): void => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        bed.gateway.script([
          {
            behaviour: { kind: "answer", status: 200, body: { status: "authorised" }, after: gate },
            records: "authorised",
          },
        ]);
        const charges = bed.gateway.paymentRequests().length;
        const pending = postOrder(service, orderBody(), { "Idempotency-Key": "lost-db-1" });
        await waitFor("the payment to reach the gateway", () => bed.gateway.inflight === 1);
        await link.cut();
        release(); // the gateway answers only now that the database is gone
        const answer = await pending;
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.equal((answer.body as { error: { retryable: boolean } }).error.retryable, true);
        await link.restore();

        await waitFor(
          "the database to be reachable",
          async () => (await request(`${service.url}/health`, "GET")).status === 200,
        );
        const stored = await service.database.query<{ status: string; id: string }>(
          "SELECT id, status FROM orders WHERE idempotency_key = 'lost-db-1'",
        );
        assert.equal(stored.rows[0]?.status, "PENDING");
        // The client retries with its key while the order is unsettled: 409 until it is stale.
        assert.equal((await postOrder(service, orderBody(), { "Idempotency-Key": "lost-db-1" })).status, 409);

        await waitFor(
          "the reconciler to settle the stale order",
          async () => (await service.app.reconciler.runOnce())?.settled === 1,
          3000,
        );
        const replay = await postOrder(service, orderBody(), { "Idempotency-Key": "lost-db-1" });
        assert.equal(replay.status, 200);
        assert.equal((replay.body as { status: string }).status, "PAID");
        assert.equal(
          bed.gateway.paymentRequests().length,
          charges + 1,
          "settled from the gateway's record, never charged again",
        );
      } finally {
        await link.restore();
        await service.close();
      }
    }));
});
