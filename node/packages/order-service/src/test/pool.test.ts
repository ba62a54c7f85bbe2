import assert from "node:assert/strict";
import { describe, test } from "node:test";

import type { PoolClient } from "pg";

import { assertConforms } from "./support/apiConformance.js";
import {
  orderBody,
  postOrder,
  request,
  startService,
  waitFor,
  type Service,
} from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed();

const held: PoolClient[] = [];

/** Checks out `count` connections of the service's pool and holds them until `release` is called. */
async function hold(service: Service, count: number): Promise<() => void> {
  const clients: PoolClient[] = [];
  for (let i = 0; i < count; i++) {
    clients.push(await service.database.pool.connect());
  }
  held.push(...clients);
  return () => {
    for (const client of clients.splice(0)) {
      held.splice(held.indexOf(client), 1);
      client.release();
    }
  };
}

/** Releases whatever a failed test still holds, so the pool can end. */
function releaseAll(): void {
  for (const client of held.splice(0)) {
    client.release();
  }
}

function records(service: Service, event: string, level?: number): Record<string, unknown>[] {
  return service
    .records()
    .filter((record) => record["event"] === event && (level === undefined || record["level"] === level));
}

describe("a saturated pool", () => {
  test("an acquire timeout answers 503 POOL_ACQUIRE_TIMEOUT (retryable), /health 503 critical, and the process lives on", async () => {
    const service = await startService({ db: bed.db, gateway: bed.gateway, edits: [["/database/pool/max_connections", 2]] });
    try {
      const release = await hold(service, 2);
      const started = Date.now();
      const refused = await postOrder(service, orderBody());
      const waited = Date.now() - started;
      assertConforms("POST", "/orders", refused);
      assert.equal(refused.status, 503);
      assert.deepEqual((refused.body as { error: unknown }).error, {
        class: "POOL_ACQUIRE_TIMEOUT",
        message: "no database connection became free in time",
        retryable: true,
      });
      assert.ok(waited >= 280 && waited < 2000, `waited ${waited} ms for acquire_timeout_ms 300`);

      const health = await request(`${service.url}/health`, "GET");
      assertConforms("GET", "/health", health);
      assert.equal(health.status, 503);
      const body = health.body as { status: string; pool: Record<string, number> };
      assert.equal(body.status, "critical");
      assert.deepEqual([body.pool["in_use"], body.pool["max"], body.pool["utilization"]], [2, 2, 1]);

      const metrics = (await request(`${service.url}/metrics`, "GET")).body as string;
      assert.match(metrics, /checkout_pool_connections\{service="order-service",state="in_use"\} 2/);
      assert.match(
        metrics,
        /checkout_requests_total\{service="order-service",route="POST \/orders",outcome="error",error_class="POOL_ACQUIRE_TIMEOUT"\} 1/,
      );

      release();
      const recovered = await postOrder(service, orderBody());
      assert.equal(recovered.status, 201);
      assert.equal((await request(`${service.url}/health`, "GET")).status, 200);
    } finally {
      releaseAll();
      await service.close();
    }
  });

  test("utilization logs a warning at warn and an error at critical, once per crossing", async () => {
    // 5 connections: 3 in use = 0.6 (warn), 4 = 0.8 (critical).
    const service = await startService({ db: bed.db, gateway: bed.gateway });
    try {
      const releaseThree = await hold(service, 3);
      await waitFor("the warning", () => records(service, "pool_utilization", 40).length === 1);
      const releaseFourth = await hold(service, 1);
      await waitFor("the error", () => records(service, "pool_utilization", 50).length === 1);
      // Several more checks at the same level add no line.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(records(service, "pool_utilization", 50).length, 1);
      assert.equal(records(service, "pool_utilization", 40).length, 1);

      releaseFourth();
      releaseThree();
      await waitFor("utilization to go back below", () => service.app.monitor.level === "ok");
      const again = await hold(service, 4);
      await waitFor("the error of the second crossing", () => records(service, "pool_utilization", 50).length === 2);
      again();
      const [first] = records(service, "pool_utilization", 50);
      assert.deepEqual((first?.["pool"] as Record<string, number>)["in_use"], 4);
    } finally {
      releaseAll();
      await service.close();
    }
  });

  test("200 concurrent requests on a 5-connection pool never open a sixth connection", async () => {
    const service = await startService({ db: bed.db, gateway: bed.gateway, edits: [["/database/pool/acquire_timeout_ms", 1500]] });
    try {
      let most = 0;
      service.database.pool.on("acquire", () => {
        most = Math.max(most, service.database.pool.totalCount);
      });
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => postOrder(service, orderBody({ customer_id: `p${i}` }))),
      );
      const statuses = new Set(answers.map((answer) => answer.status));
      assert.ok(
        [...statuses].every((status) => status === 201 || status === 503),
        [...statuses].join(","),
      );
      assert.ok(most <= 5 && service.database.peakInUse <= 5, `most ${most}, peak ${service.database.peakInUse}`);
      assert.ok(service.database.peakInUse >= 2, "the load did reach the pool");
    } finally {
      releaseAll();
      await service.close();
    }
  });
});
