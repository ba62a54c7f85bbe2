// The baseline of the order service (perf/README.md): bare fastify + pg doing what the order service
// does per order — insert the order PENDING, call the gateway's POST /payments, update the order with
// the outcome, answer 201 — and nothing else: no retries, no breaker, no deadline, no reconciler, no
// idempotent replay (a repeated Idempotency-Key is a plain 409), no metrics, no per-request logs.
// It is the floor the order service is compared with, not an order service.
//
//   node server.js --gateway-url URL [--database-url URL | env DATABASE_URL] [--host 127.0.0.1]
//                  [--port 0] [--pool-max 50] [--timeout-ms 20000]
//
// Prints one line on stdout once it listens: {"event":"listening","service":"fastify-pg",...}.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import Fastify from "fastify";
import pg from "pg";
import { Agent, request } from "undici";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    "gateway-url": { type: "string" },
    "database-url": { type: "string" },
    "pool-max": { type: "string", default: "50" },
    "timeout-ms": { type: "string", default: "20000" },
  },
});
const gatewayUrl = values["gateway-url"]?.replace(/\/+$/, "");
const databaseUrl = values["database-url"] ?? process.env.DATABASE_URL;
if (!gatewayUrl || !databaseUrl) {
  console.error("usage: node server.js --gateway-url URL [--database-url URL | env DATABASE_URL] [--port 0]");
  process.exit(2);
}
const timeoutMs = Number(values["timeout-ms"]);

const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(values["pool-max"]) });
await pool.query(`CREATE TABLE IF NOT EXISTS orders (
  id              uuid        PRIMARY KEY,
  idempotency_key text        NOT NULL UNIQUE,
  payment_key     text        NOT NULL UNIQUE,
  customer_id     text        NOT NULL,
  amount_minor    bigint      NOT NULL,
  currency        char(3)     NOT NULL,
  status          text        NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
)`);

const gateway = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

const orderSchema = {
  headers: {
    type: "object",
    required: ["idempotency-key"],
    properties: { "idempotency-key": { type: "string", minLength: 1, maxLength: 255 } },
  },
  body: {
    type: "object",
    additionalProperties: false,
    required: ["customer_id", "amount_minor", "currency", "payment_token"],
    properties: {
      customer_id: { type: "string", minLength: 1, maxLength: 64 },
      amount_minor: { type: "integer", minimum: 1 },
      currency: { type: "string", pattern: "^[A-Z]{3}$" },
      payment_token: { type: "string", minLength: 1, maxLength: 256 },
    },
  },
};

async function pay(orderId, paymentKey, order) {
  try {
    const answer = await request(`${gatewayUrl}/payments`, {
      method: "POST",
      dispatcher: gateway,
      headers: { "content-type": "application/json", "idempotency-key": paymentKey },
      body: JSON.stringify({
        order_id: orderId,
        amount_minor: order.amount_minor,
        currency: order.currency,
        payment_token: order.payment_token,
      }),
    });
    const body = await answer.body.json().catch(() => null);
    if (answer.statusCode === 200 && body?.status === "authorised") return "PAID";
    if (answer.statusCode === 200 && body?.status === "declined") return "DECLINED";
    return "FAILED";
  } catch {
    return "FAILED";
  }
}

const app = Fastify({ logger: false });
app.post("/orders", { schema: orderSchema }, async (req, reply) => {
  const order = req.body;
  const id = randomUUID();
  const paymentKey = `order-${id}`;
  try {
    await pool.query(
      `INSERT INTO orders (id, idempotency_key, payment_key, customer_id, amount_minor, currency, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING')`,
      [id, req.headers["idempotency-key"], paymentKey, order.customer_id, order.amount_minor, order.currency],
    );
  } catch (error) {
    if (error.code === "23505") return reply.code(409).send({ error: "Idempotency-Key already used" });
    throw error;
  }
  const status = await pay(id, paymentKey, order);
  await pool.query("UPDATE orders SET status = $2, updated_at = now() WHERE id = $1", [id, status]);
  return reply.code(201).send({
    order_id: id,
    status,
    amount_minor: order.amount_minor,
    currency: order.currency,
    customer_id: order.customer_id,
    payment: { idempotency_key: paymentKey },
  });
});

await app.listen({ host: values.host, port: Number(values.port) });
const { port } = app.server.address();
process.stdout.write(JSON.stringify({ event: "listening", service: "fastify-pg", host: values.host, port }) + "\n");

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, async () => {
    await app.close();
    await gateway.close();
    await pool.end();
    process.exit(0);
  });
}
