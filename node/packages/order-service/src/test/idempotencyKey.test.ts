// Issue 11 a: a client that follows the API's advice is never charged twice. The Idempotency-Key is
// required (without one, a retry after a lost answer or a 503 was a second order and a second
// charge), and the 503 the service answers when the outcome write failed after the gateway
// authorised is safe to retry with the same key.
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { describe, test } from "node:test";

import pg from "pg";

import { assertConforms } from "./support/apiConformance.js";
import { orderBody, postOrder, request, waitFor, type Answer } from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

// One attempt of up to 1 s within a 1 s deadline: a PENDING order is past its paying request after
// deadline 1000 + acquire 300 ms, and an UPDATE that waits on a row lock is cancelled after 300 ms.
const bed = useTestBed({
  service: [
    ["/payment/retry/max_attempts", 1],
    ["/payment/timeout_ms", 1000],
    ["/payment/provider_expected_p99_ms", 900],
    ["/payment/deadline_ms", 1000],
  ],
});

interface ErrorFields {
  class: string;
  message: string;
  retryable: boolean;
  details?: { pointer: string; message: string }[];
}

function errorOf(answer: Answer): ErrorFields {
  return (answer.body as { error: never }).error;
}

async function ordersWithKey(key: string): Promise<number> {
  const rows = await bed.service.database.query<{ count: string }>(
    "SELECT count(*) AS count FROM orders WHERE idempotency_key = $1",
    [key],
  );
  return Number(rows.rows[0]?.count);
}

describe("the Idempotency-Key is required", () => {
  test("POST /orders without Idempotency-Key → 400 naming the header and what it must be; no order, no charge", async () => {
    const before = bed.gateway.chargeCount();
    const answer = await request(`${bed.service.url}/orders`, "POST", { body: orderBody() });
    assertConforms("POST", "/orders", answer);
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    const error = errorOf(answer);
    assert.deepEqual([error.class, error.retryable], ["INVALID_REQUEST", false]);
    assert.equal(error.details?.[0]?.pointer, "/headers/Idempotency-Key");
    assert.match(error.details?.[0]?.message ?? "", /is required: 1 to 255 visible ASCII characters/);
    const rows = await bed.service.database.query<{ count: string }>("SELECT count(*) AS count FROM orders");
    assert.equal(rows.rows[0]?.count, "0");
    assert.equal(bed.gateway.chargeCount(), before);
  });

  test("a key with a space or a control character → 400 at the header", async () => {
    for (const key of ["cart 81", "cart\t81"]) {
      const answer = await request(`${bed.service.url}/orders`, "POST", {
        body: orderBody(),
        headers: { "Idempotency-Key": key },
      });
      assert.equal(answer.status, 400, key);
      assert.equal(errorOf(answer).details?.[0]?.pointer, "/headers/Idempotency-Key");
    }
  });
});

describe("the 503 after the gateway authorised is safe to retry with the same key", () => {
  test("outcome write fails after the charge → 503 retryable; the same key's retries → 409 with Retry-After, then the same order PAID, one charge", async () => {
    const key = "cart-503-retry";
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    bed.gateway.script([
      { behaviour: { kind: "answer", status: 200, body: { status: "authorised" }, after: gate }, records: "authorised" },
    ]);
    const first = postOrder(bed.service, orderBody(), { "Idempotency-Key": key });
    await waitFor("the payment to reach the gateway", () => bed.gateway.inflight === 1);

    // The fault, exactly where it hurts: the order's row is locked when the gateway's answer comes
    // back, so the service's UPDATE runs into its statement timeout after the charge happened.
    const locker = new pg.Client({ connectionString: bed.db.url });
    await locker.connect();
    let answer: Answer;
    try {
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM orders WHERE idempotency_key = $1 FOR UPDATE", [key]);
      release();
      answer = await first;
      await locker.query("ROLLBACK");
    } finally {
      await locker.end();
    }
    assertConforms("POST", "/orders", answer);
    assert.equal(answer.status, 503, JSON.stringify(answer.body));
    assert.deepEqual([errorOf(answer).class, errorOf(answer).retryable], ["DB_STATEMENT_TIMEOUT", true]);
    const paymentKey = [...bed.gateway.charges.keys()].at(-1) ?? "";
    assert.equal(bed.gateway.charges.get(paymentKey), 1, "the gateway charged");

    // The client does what the answers say: retry with the same key, after Retry-After when given.
    const answers: number[] = [];
    let last: Answer;
    for (;;) {
      last = await postOrder(bed.service, orderBody(), { "Idempotency-Key": key });
      assertConforms("POST", "/orders", last);
      answers.push(last.status);
      if (!(last.body as { error?: { retryable: boolean } }).error?.retryable || answers.length > 10) {
        break;
      }
      await delay(Number(last.headers.get("retry-after") ?? "0.1") * 1000);
    }
    assert.equal(answers[0], 409, `answers ${answers.join(",")}`);
    assert.equal(last.status, 200, `answers ${answers.join(",")}: ${JSON.stringify(last.body)}`);
    assert.equal(last.headers.get("idempotent-replayed"), "true");
    const order = last.body as { status: string; payment: { idempotency_key: string } };
    assert.equal(order.status, "PAID");
    assert.equal(order.payment.idempotency_key, paymentKey, "the same order the gateway charged");
    assert.equal(await ordersWithKey(key), 1, "one order");
    assert.equal(bed.gateway.charges.get(paymentKey), 1, "one charge");
    assert.equal(bed.gateway.chargeCount(), 1);
  });
});
