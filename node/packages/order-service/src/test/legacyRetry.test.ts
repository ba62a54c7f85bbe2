// The replay-only legacy switch `order_service.legacy_retry_timeout_as_new_payment` (the incident's
// payment loop, docs/REPLAY.md), alone and with `legacy_hold_connection_during_payment`; and the
// payment key derived from the client's Idempotency-Key that pairs the replay's configs.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { legacyAttemptKey, paymentKeyOf } from "../orders/paymentKey.js";
import { authorised, declined, errorAnswer, type FakeGateway } from "./support/fakeGateway.js";
import { orderBody, postOrder, request, waitFor, type Edit, type Service } from "./support/harness.js";
import { useTestBed, withServiceAndGateway } from "./support/testBed.js";

const bed = useTestBed({ gateway: false });

const LEGACY_RETRY: Edit = ["/order_service/legacy_retry_timeout_as_new_payment", true];
const LEGACY_HOLD: Edit = ["/order_service/legacy_hold_connection_during_payment", true];
const HANG = { behaviour: { kind: "hang" as const } };
// SHORT's 300 ms attempts, 20 ms base delay (multiplier 2, jitter 10 ms: what the legacy loop ignores).
const TIMEOUT_MS = 300;

const withService = (run: (service: Service, gateway: FakeGateway) => Promise<void>, edits: readonly Edit[] = []) =>
  withServiceAndGateway(bed.db, run, [LEGACY_RETRY, ...edits]);

function bodyOf(answer: { body: unknown }): Record<string, any> {
  return answer.body as Record<string, any>;
}

describe("payment keys", () => {
  test("the payment key is the UUIDv5 of the client's key: the same on every run, in any language", () => {
    // Vectors from Python: f"order-{uuid.uuid5(uuid.UUID(PAYMENT_KEY_NAMESPACE), key)}".
    assert.equal(paymentKeyOf("key-paid-1"), "order-e5f6be7b-e0f5-5f36-9c3d-3e971401944a");
    assert.equal(paymentKeyOf("replay-42-incident-0"), "order-6ded9019-aa96-5de5-a1cb-57cbbc9eaa36");
    assert.equal(paymentKeyOf("ключ-ü"), "order-77b551b5-3bfb-556e-a2ca-385410bac600");
    assert.notEqual(paymentKeyOf("a"), paymentKeyOf("b"));
  });

  test("the legacy attempt keys: the order's own first, then a fresh one per retry", () => {
    const key = paymentKeyOf("k");
    assert.deepEqual([1, 2, 3].map((n) => legacyAttemptKey(key, n)), [key, `${key}-retry-2`, `${key}-retry-3`]);
  });
});

describe("legacy: a timed-out payment is retried as a new payment", () => {
  test("each retry goes out under a fresh key, waits timeout_ms and says so in X-Deadline-Ms", async () => {
    await withService(async (service, gateway) => {
      gateway.script([HANG, HANG, authorised()]);
      const started = Date.now();
      const created = await postOrder(service, orderBody(), { "Idempotency-Key": "legacy-paid-1" });
      const tookMs = Date.now() - started;
      assert.equal(created.status, 201);
      const order = bodyOf(created);
      assert.equal(order["status"], "PAID");
      const key = paymentKeyOf("legacy-paid-1");
      assert.equal(order["payment"]["idempotency_key"], key, "the order keeps its own key");

      const sent = gateway.paymentRequests();
      assert.deepEqual(
        sent.map((seen) => seen.headers["idempotency-key"]),
        [key, `${key}-retry-2`, `${key}-retry-3`],
        "every attempt is a new payment to the gateway",
      );
      assert.deepEqual([...gateway.charges.values()], [1, 1, 1], "each key paid once: three charges may land");
      // The old code kept no answer margin: the header is the attempt's whole timeout.
      assert.ok(sent.every((seen) => seen.headers["x-deadline-ms"] === String(TIMEOUT_MS)));
      assert.ok(sent.every((seen) => (seen.body as Record<string, unknown>)["order_id"] === order["order_id"]));
      // Two whole timeouts and two fixed 20 ms delays before the third attempt answered.
      assert.ok(tookMs >= 2 * TIMEOUT_MS + 2 * 20, `took ${tookMs} ms`);
      const failed = service.records().filter((record) => record["msg"] === "gateway attempt failed");
      assert.deepEqual(
        failed.map((record) => [record["attempt"], record["result"], record["legacy"]]),
        [
          [1, "TIMEOUT", true],
          [2, "TIMEOUT", true],
        ],
      );
    });
  });

  test("all attempts timed out: the order is FAILED after max_attempts, as the old code believed", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([HANG, HANG, HANG]);
        const order = bodyOf(await postOrder(service, orderBody()));
        assert.deepEqual([order["status"], order["payment"]["status"], order["payment"]["error_class"]], [
          "FAILED",
          "failed",
          "TIMEOUT",
        ]);
        assert.equal(gateway.paymentRequests().length, 3, "max_attempts new payments");
        // FAILED is final: the reconciler never asks about it (each abandoned charge stays the customer's loss).
        await service.app.reconciler.runOnce();
        assert.equal(gateway.requests.filter((seen) => seen.method === "GET").length, 0);
      },
      [["/order_service/reconcile_interval_ms", 100]],
    );
  });

  test("an answer ends the loop: a decline is not retried, nor is an error other than a timeout", async () => {
    await withService(async (service, gateway) => {
      gateway.script([declined()]);
      assert.equal(bodyOf(await postOrder(service, orderBody()))["status"], "DECLINED");
      assert.equal(gateway.paymentRequests().length, 1);

      gateway.script([errorAnswer(503, "OVERLOADED", "failed")]);
      const shed = bodyOf(await postOrder(service, orderBody()));
      assert.deepEqual([shed["status"], shed["payment"]["error_class"]], ["FAILED", "OVERLOADED"]);
      assert.equal(gateway.paymentRequests().length, 2, "one attempt more, no retry");
    });
  });

  test("a gateway answer that leaves the outcome unknown is a timeout to the old code: paid again", async () => {
    await withService(async (service, gateway) => {
      gateway.script([
        errorAnswer(504, "DEADLINE_EXCEEDED", "unknown"),
        errorAnswer(503, "RETRY_BUDGET_EXHAUSTED", "unknown"),
        authorised(),
      ]);
      const order = bodyOf(await postOrder(service, orderBody()));
      assert.equal(order["status"], "PAID");
      assert.equal(new Set(gateway.paymentRequests().map((seen) => seen.headers["idempotency-key"])).size, 3);
    });
  });

  test("attempts stay inside the caller's deadline: the last one is cut, none starts below the floor", async () => {
    await withService(async (service, gateway) => {
      gateway.script([HANG, HANG, HANG]);
      // 600 ms: a 300 ms attempt, the 20 ms delay, then what is left (under 280 ms, above the 100 ms floor),
      // and no third: nothing that could start is left after the second.
      const answer = await postOrder(service, orderBody(), { "X-Deadline-Ms": "600" });
      const order = bodyOf(answer);
      assert.equal(order["status"], "FAILED");
      const headers = gateway.paymentRequests().map((seen) => Number(seen.headers["x-deadline-ms"]));
      assert.equal(headers.length, 2, `headers ${headers.join(",")}`);
      assert.equal(headers[0], TIMEOUT_MS);
      assert.ok((headers[1] ?? 0) >= 100 && (headers[1] ?? 0) <= 280, `second header ${headers[1]}`);
    });
  });

  test("with the hold switch, one connection stays checked out across every attempt and every delay", async () => {
    await withService(
      async (service, gateway) => {
        gateway.script([HANG, authorised(50)]);
        const pending = postOrder(service, orderBody());
        await waitFor("the first attempt to reach the gateway", () => gateway.paymentRequests().length === 1);
        const samples: number[] = [];
        // From the first attempt through its timeout and the delay, until the second attempt arrives.
        while (gateway.paymentRequests().length < 2) {
          samples.push(service.database.stats().in_use);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        assert.ok(samples.length >= 20, `sampled ${samples.length} times`);
        assert.deepEqual(new Set(samples), new Set([1]), "the order's connection is held while it retries");
        const answer = await pending;
        assert.equal(bodyOf(answer)["status"], "PAID");
        assert.equal(service.database.stats().in_use, 0);
        const read = await request(`${service.url}/orders/${bodyOf(answer)["order_id"]}`, "GET");
        assert.equal(bodyOf(read)["status"], "PAID");
      },
      [LEGACY_HOLD, ["/monitoring/pool_check_interval_ms", 3_600_000]],
    );
  });

  test("without the switch the same timeout is not paid again: one key, unknown until reconciled", async () => {
    await withServiceAndGateway(bed.db, async (service, gateway) => {
      gateway.script([HANG]);
      const order = bodyOf(await postOrder(service, orderBody()));
      assert.equal(order["status"], "PAYMENT_UNKNOWN");
      assert.equal(gateway.paymentRequests().length, 1);
    });
  });
});
