// Issue 11, done-when: an order service killed with SIGKILL mid-payment and started again on the same
// database settles every order it had (the reconciler), and a client's retry with the same key
// returns the same order without a second charge. Real processes, a real database; the fake gateway
// only holds the payments open so the kill lands mid-payment.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import pg from "pg";

import type { Recorded } from "./support/fakeGateway.js";
import { orderBody, request, waitFor, writeConfig } from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "services", "order-service.js");

interface Running {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly exited: Promise<number | null>;
}

function start(args: readonly string[]): Running {
  const child = spawn(process.execPath, [ENTRY, ...args], {
    env: { ...process.env, CHECKOUT_CONFIG: undefined, DATABASE_URL: undefined },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", (line) => {
      resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
    child.once("exit", (code) => reject(new Error(`the order service exited ${code} before listening`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, exited };
}

const bed = useTestBed();

describe("an order service killed mid-payment", () => {
  test("started again on the same database it settles every order it had, and a retry with the same key is the same order", async () => {
    // A PENDING order is surely past its request after deadline + acquire (2 s + 300 ms): then the
    // restarted service's reconciler (every 200 ms) settles it from the gateway's records.
    const config = writeConfig([
      ["/payment/retry/max_attempts", 1],
      ["/payment/timeout_ms", 1000],
      ["/payment/provider_expected_p99_ms", 900],
      ["/payment/deadline_ms", 2000],
      ["/order_service/reconcile_interval_ms", 200],
    ]);
    const args = ["--gateway-url", bed.gateway.url, "--database-url", bed.db.url, "--config", config];
    // What the gateway will say about each payment it holds when the kill comes: charged, declined,
    // or — the last — never taken (a 404: nothing was charged).
    const outcomes: (Recorded | undefined)[] = ["authorised", "authorised", "declined", "authorised", undefined];
    bed.gateway.script(
      outcomes.map((records) => ({ behaviour: { kind: "hang" }, ...(records === undefined ? {} : { records }) })),
    );
    const keys = outcomes.map((_, i) => `restart-${i}`);

    const first = start(args);
    let second: Running | undefined;
    try {
      const url = await first.url;
      const lost = keys.map((key) =>
        request(`${url}/orders`, "POST", { body: orderBody(), headers: { "Idempotency-Key": key } }).catch(
          (error: unknown) => error,
        ),
      );
      await waitFor("every payment to be at the gateway", () => bed.gateway.inflight === keys.length, 10_000);
      first.child.kill("SIGKILL");
      assert.equal(await first.exited, null, "killed");
      assert.ok((await Promise.all(lost)).every((answer) => answer instanceof Error), "no answer came back");
      const charges = bed.gateway.chargeCount();

      second = start(args);
      const restarted = await second.url;
      // Read from the database: a retry of a still-unsettled order would itself ask the gateway.
      await waitFor("the restarted service to settle every order", async () => (await unsettled(keys)) === 0, 20_000);

      // The payments reached the gateway in any order: each order must say what its own record says.
      const expected = new Map<Recorded | undefined, string>([
        ["authorised", "PAID"],
        ["declined", "DECLINED"],
        [undefined, "FAILED"],
      ]);
      const statuses: string[] = [];
      for (const key of keys) {
        const retry = await request(`${restarted}/orders`, "POST", {
          body: orderBody(),
          headers: { "Idempotency-Key": key },
        });
        assert.equal(retry.status, 200, `${key}: ${JSON.stringify(retry.body)}`);
        assert.equal(retry.headers.get("idempotent-replayed"), "true");
        const order = retry.body as { order_id: string; status: string; payment: { idempotency_key: string } };
        assert.equal(order.status, expected.get(bed.gateway.payments.get(order.payment.idempotency_key)), key);
        statuses.push(order.status);
        const read = await request(`${restarted}/orders/${order.order_id}`, "GET");
        assert.deepEqual(read.body, retry.body, "the same order");
      }
      assert.deepEqual(statuses.sort(), ["DECLINED", "FAILED", "PAID", "PAID", "PAID"]);
      assert.equal(bed.gateway.chargeCount(), charges, "nothing was charged again");
      assert.equal(
        bed.gateway.paymentRequests().length,
        keys.length,
        "the restarted service sent no payment: it only looked the old ones up",
      );
      second.child.kill("SIGTERM");
      assert.equal(await second.exited, 0);
    } finally {
      first.child.kill("SIGKILL");
      second?.child.kill("SIGKILL");
    }
  });
});

/** How many orders of `keys` still have an open outcome. */
async function unsettled(keys: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: bed.db.url });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>(
      "SELECT count(*) AS count FROM orders WHERE idempotency_key = ANY($1) AND status IN ('PENDING', 'PAYMENT_UNKNOWN')",
      [keys],
    );
    return Number(result.rows[0]?.count);
  } finally {
    await client.end();
  }
}
