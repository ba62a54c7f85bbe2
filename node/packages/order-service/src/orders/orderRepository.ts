import type { ErrorClass } from "@checkout/core";

import type { Queryable } from "../db/database.js";
import type { Order, OrderStatus, PaymentStatus } from "./order.js";

interface OrderRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  customer_id: string;
  amount_minor: string;
  currency: string;
  status: OrderStatus;
  payment_key: string;
  payment_status: PaymentStatus;
  payment_error_class: ErrorClass | null;
  created_at: Date;
  updated_at: Date;
}

export const IDEMPOTENCY_CONSTRAINT = "orders_idempotency_key_unique";

const COLUMNS =
  "id, idempotency_key, request_hash, customer_id, amount_minor, currency, status, payment_key, payment_status, payment_error_class, created_at, updated_at";

const QUALIFIED_COLUMNS = COLUMNS.split(", ")
  .map((column) => `o.${column}`)
  .join(", ");
// An order that stays unknown is looked at after 1, 2, 4 … 64 backoff units, then every 64.
const MAX_BACKOFF_DOUBLINGS = 6;

export interface NewOrder {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly customerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly paymentKey: string;
}

/** Every statement on `orders`: each one short, each its own transaction, none held across a call. */
export class OrderRepository {
  readonly #db: Queryable;

  /** `db` is the pool's Database, or — in the legacy replay mode only — one held connection. */
  constructor(db: Queryable) {
    this.#db = db;
  }

  /** Inserts a PENDING order; a taken idempotency key fails with ALREADY_EXISTS (SQLSTATE 23505). */
  async insertPending(order: NewOrder): Promise<Order> {
    const result = await this.#db.query<OrderRow>(
      `INSERT INTO orders (id, idempotency_key, request_hash, customer_id, amount_minor, currency, status, payment_key, payment_status)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7, 'pending')
       RETURNING ${COLUMNS}`,
      [
        order.id,
        order.idempotencyKey,
        order.requestHash,
        order.customerId,
        order.amountMinor,
        order.currency,
        order.paymentKey,
      ],
    );
    return toOrder(only(result.rows));
  }

  async byId(id: string): Promise<Order | undefined> {
    const result = await this.#db.query<OrderRow>(`SELECT ${COLUMNS} FROM orders WHERE id = $1`, [id]);
    return result.rows[0] === undefined ? undefined : toOrder(result.rows[0]);
  }

  /** The order holding an idempotency key, with its age by the database's clock (no clock skew). */
  async byIdempotencyKey(key: string): Promise<{ order: Order; ageMs: number } | undefined> {
    const result = await this.#db.query<OrderRow & { age_ms: number }>(
      `SELECT ${COLUMNS}, (EXTRACT(EPOCH FROM (now() - created_at)) * 1000)::float8 AS age_ms
       FROM orders WHERE idempotency_key = $1`,
      [key],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : { order: toOrder(row), ageMs: row.age_ms };
  }

  /**
   * Records a payment's outcome on an order still in one of `from`; returns `undefined` when the
   * order had already moved on (another writer settled it first).
   */
  async settle(
    id: string,
    from: readonly OrderStatus[],
    status: OrderStatus,
    paymentStatus: PaymentStatus,
    errorClass: ErrorClass | null,
  ): Promise<Order | undefined> {
    const result = await this.#db.query<OrderRow>(
      `UPDATE orders SET status = $3, payment_status = $4, payment_error_class = $5, updated_at = now()
       WHERE id = $1 AND status = ANY($2::text[])
       RETURNING ${COLUMNS}`,
      [id, from, status, paymentStatus, errorClass],
    );
    return result.rows[0] === undefined ? undefined : toOrder(result.rows[0]);
  }

  /**
   * Claims up to `limit` orders whose payment outcome is open and whose look is due — PAYMENT_UNKNOWN,
   * and PENDING ones older than `staleMs` (their request is surely over, e.g. the process crashed
   * mid-payment) — least recently looked at first. One statement: the rows are locked only while it
   * runs (`FOR UPDATE SKIP LOCKED`, so replicas claiming at once take different orders), and it moves
   * each order's `next_reconcile_at` on by `backoffMs × 2^(looks so far, at most 6)`, which is the
   * claim: no replica takes the order again before then, whatever this one does with it.
   */
  async claimDue(staleMs: number, limit: number, backoffMs: number): Promise<Order[]> {
    const result = await this.#db.query<OrderRow>(
      `WITH due AS (
         SELECT id FROM orders
          WHERE status IN ('PENDING', 'PAYMENT_UNKNOWN') AND next_reconcile_at <= now()
            AND (status = 'PAYMENT_UNKNOWN' OR created_at < now() - $1::double precision * interval '1 millisecond')
          ORDER BY next_reconcile_at, id
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE orders AS o
          SET reconcile_attempts = o.reconcile_attempts + 1,
              next_reconcile_at = now() + $3::double precision
                * power(2, LEAST(o.reconcile_attempts, ${MAX_BACKOFF_DOUBLINGS})) * interval '1 millisecond'
         FROM due WHERE o.id = due.id
       RETURNING ${QUALIFIED_COLUMNS}`,
      [staleMs, limit, backoffMs],
    );
    return result.rows.map(toOrder);
  }

  async countUnknown(): Promise<number> {
    const result = await this.#db.query<{ count: string }>(
      "SELECT count(*) AS count FROM orders WHERE status = 'PAYMENT_UNKNOWN'",
    );
    return Number(result.rows[0]?.count ?? 0);
  }
}

function only(rows: readonly OrderRow[]): OrderRow {
  const row = rows[0];
  if (row === undefined) {
    throw new Error("INSERT … RETURNING returned no row");
  }
  return row;
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    customerId: row.customer_id,
    // bigint arrives as a string; every amount is at most 10^12, well within a double's integers.
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    status: row.status,
    paymentKey: row.payment_key,
    paymentStatus: row.payment_status,
    paymentErrorClass: row.payment_error_class,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
