import { randomUUID } from "node:crypto";

import { fingerprint, type TimeoutConfig } from "@checkout/core";
import type { Logger } from "pino";

import type { ConfigHolder } from "../config/configHolder.js";
import type { Database } from "../db/database.js";
import { isUniqueViolation } from "../db/dbErrors.js";
import type { PaymentResult, Payments } from "../gateway/payments.js";
import type { CreateOrderRequest } from "../http/requestValidation.js";
import { ServiceError } from "../http/serviceError.js";
import type { Metrics } from "../observability/metrics.js";
import { ORDER_STATUS_OF, type Order } from "./order.js";
import { IDEMPOTENCY_CONSTRAINT, OrderRepository, type NewOrder } from "./orderRepository.js";
import { paymentKeyOf } from "./paymentKey.js";

/** A placed order, and whether this request created it or replayed an earlier one. */
export interface Placed {
  readonly order: Order;
  readonly replayed: boolean;
}

/**
 * How long a PENDING order can still have a request paying it: the whole payment deadline plus one
 * wait for a connection to record the outcome. Older, the request is surely over (the process died
 * mid-payment) and only reconciliation can settle the order.
 */
export function pendingStaleAfterMs(settings: TimeoutConfig): number {
  return settings.payment.deadline_ms + settings.database.pool.acquire_timeout_ms;
}

export interface OrderServiceOptions {
  readonly repository: OrderRepository;
  /** Only the legacy replay mode uses it directly, to hold one connection across the payment. */
  readonly database: Database;
  readonly payments: Payments;
  readonly config: ConfigHolder;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Asks the gateway about an unsettled order now (the reconciler's lookup) and returns it as it is then. */
  readonly settleNow: (order: Order) => Promise<Order>;
}

/**
 * The payment flow: (a) insert the order PENDING and commit, (b) pay through the gateway with no
 * connection held, (c) record the outcome in a second short statement. The exceptions are the two
 * replay-only switches of the incident's code path: `order_service.legacy_hold_connection_during_payment`
 * (see {@link OrderService.place}) and `order_service.legacy_retry_timeout_as_new_payment` (see
 * `Payments.payRetryingTimeoutsAsNewPayments`).
 */
export class OrderService {
  readonly #options: OrderServiceOptions;

  constructor(options: OrderServiceOptions) {
    this.#options = options;
  }

  /**
   * Places the order `key` names, or answers the one it already names. The key is the client's and
   * required: it is what makes a retry — after a lost answer, a 503, a 409 — the same order.
   */
  async place(request: CreateOrderRequest, key: string, deadlineAt: number): Promise<Placed> {
    const { repository, config } = this.#options;
    const settings = config.settings;
    const orderId = randomUUID();
    // The token is not part of the stored hash: nothing derived from it is ever written down.
    const requestHash = fingerprint({
      customer_id: request.customer_id,
      amount_minor: request.amount_minor,
      currency: request.currency,
    });
    const newOrder: NewOrder = {
      id: orderId,
      idempotencyKey: key,
      requestHash,
      customerId: request.customer_id,
      amountMinor: request.amount_minor,
      currency: request.currency,
      paymentKey: paymentKeyOf(key),
    };
    if (settings.order_service.legacy_hold_connection_during_payment) {
      try {
        return await this.#placeHoldingConnection(newOrder, request.payment_token, deadlineAt, settings);
      } catch (error) {
        return this.#replayed(error, key, requestHash, settings);
      }
    }
    let order: Order;
    try {
      order = await repository.insertPending(newOrder);
    } catch (error) {
      return this.#replayed(error, key, requestHash, settings);
    }
    const payment = await this.#pay(order, request.payment_token, deadlineAt, settings);
    return { order: await this.#record(repository, order, payment), replayed: false };
  }

  /** The unique constraint decided: another request holds this key (SQLSTATE 23505). Else rethrows. */
  async #replayed(error: unknown, key: string, requestHash: string, settings: TimeoutConfig): Promise<Placed> {
    if (error instanceof ServiceError && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT)) {
      return { order: await this.#existing(key, requestHash, settings), replayed: true };
    }
    throw error;
  }

  /**
   * LEGACY — the incident's flow, run only when `order_service.legacy_hold_connection_during_payment`
   * is true (the replay bench sets it; the lint warns and the shipped config is linted with
   * --deny-warnings): the insert, the whole payment call and the outcome's update share one pooled
   * connection and one transaction, so every payment in flight holds a connection.
   */
  async #placeHoldingConnection(
    newOrder: NewOrder,
    paymentToken: string,
    deadlineAt: number,
    settings: TimeoutConfig,
  ): Promise<Placed> {
    return this.#options.database.holdConnection(async (connection) => {
      const held = new OrderRepository(connection);
      const order = await held.insertPending(newOrder);
      const payment = await this.#pay(order, paymentToken, deadlineAt, settings);
      return { order: await this.#record(held, order, payment), replayed: false };
    });
  }

  async #pay(order: Order, paymentToken: string, deadlineAt: number, settings: TimeoutConfig): Promise<PaymentResult> {
    const { payments } = this.#options;
    const request = {
      paymentKey: order.paymentKey,
      orderId: order.id,
      amountMinor: order.amountMinor,
      currency: order.currency,
      paymentToken,
    };
    // LEGACY, replay only: the incident's loop, each timed-out attempt paid again as a new payment.
    const payment = settings.order_service.legacy_retry_timeout_as_new_payment
      ? await payments.payRetryingTimeoutsAsNewPayments(request, deadlineAt, settings.payment)
      : await payments.pay(request, deadlineAt);
    this.#options.metrics.paymentOutcome(payment.status);
    return payment;
  }

  async #record(repository: OrderRepository, order: Order, payment: PaymentResult): Promise<Order> {
    try {
      const settled = await repository.settle(
        order.id,
        ["PENDING"],
        ORDER_STATUS_OF[payment.status],
        payment.status,
        payment.errorClass,
      );
      // Not PENDING any more: the reconciler settled it first, and what it recorded stands.
      return settled ?? (await repository.byId(order.id)) ?? order;
    } catch (error) {
      this.#options.logger.error(
        { order_id: order.id, payment_key: order.paymentKey, payment_status: payment.status, err: error },
        "the payment outcome could not be recorded; the order stays PENDING until the reconciler settles it",
      );
      throw error;
    }
  }

  async get(id: string): Promise<Order> {
    const order = await this.#options.repository.byId(id);
    if (order === undefined) {
      throw new ServiceError("NOT_FOUND", `no order ${id}`);
    }
    return order;
  }

  async #existing(key: string, requestHash: string, settings: TimeoutConfig): Promise<Order> {
    const found = await this.#options.repository.byIdempotencyKey(key);
    if (found === undefined) {
      throw new ServiceError("ALREADY_EXISTS", "the Idempotency-Key is taken, but its order is gone");
    }
    const { order, ageMs } = found;
    if (order.requestHash !== requestHash) {
      throw new ServiceError("IDEMPOTENCY_CONFLICT", "this Idempotency-Key was used with a different payload", {
        status: 422,
        details: [
          {
            pointer: "/headers/Idempotency-Key",
            message: `belongs to order ${order.id}, created with another payload`,
          },
        ],
      });
    }
    const staleAfterMs = pendingStaleAfterMs(settings);
    if (order.status === "PENDING" && ageMs < staleAfterMs) {
      // A request may still be paying it. Repeating it later is exactly right, so this conflict says
      // retryable, and Retry-After says when the order is surely no longer being paid.
      const waitS = Math.max(1, Math.ceil((staleAfterMs - ageMs) / 1000));
      throw new ServiceError(
        "IDEMPOTENCY_CONFLICT",
        `order ${order.id} with this Idempotency-Key is still being paid; ` +
          `repeat the request with the same key after ${waitS} s`,
        { status: 409, retryable: true, headers: { "retry-after": String(waitS) } },
      );
    }
    if (order.status === "PENDING" || order.status === "PAYMENT_UNKNOWN") {
      // No request pays it any more and its outcome is open: ask the gateway now (a lookup, never a
      // charge) rather than answer a stale state the reconciler would correct later.
      return this.#options.settleNow(order);
    }
    return order;
  }
}
