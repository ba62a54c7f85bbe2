import { randomUUID } from "node:crypto";

import { fingerprint, type TimeoutConfig } from "@checkout/core";
import type { Logger } from "pino";

import type { ConfigHolder } from "../config/configHolder.js";
import { isUniqueViolation } from "../db/dbErrors.js";
import type { Payments } from "../gateway/payments.js";
import type { CreateOrderRequest } from "../http/requestValidation.js";
import { ServiceError } from "../http/serviceError.js";
import type { Metrics } from "../observability/metrics.js";
import { ORDER_STATUS_OF, type Order } from "./order.js";
import { IDEMPOTENCY_CONSTRAINT, type OrderRepository } from "./orderRepository.js";

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
  readonly payments: Payments;
  readonly config: ConfigHolder;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * The payment flow: (a) insert the order PENDING and commit, (b) pay through the gateway with no
 * connection held, (c) record the outcome in a second short statement.
 */
export class OrderService {
  readonly #options: OrderServiceOptions;

  constructor(options: OrderServiceOptions) {
    this.#options = options;
  }

  async place(request: CreateOrderRequest, idempotencyKey: string | undefined, deadlineAt: number): Promise<Placed> {
    const { repository, payments, config, metrics, logger } = this.#options;
    const settings = config.settings;
    const orderId = randomUUID();
    const key = idempotencyKey ?? randomUUID();
    // The token is not part of the stored hash: nothing derived from it is ever written down.
    const requestHash = fingerprint({
      customer_id: request.customer_id,
      amount_minor: request.amount_minor,
      currency: request.currency,
    });
    let order: Order;
    try {
      order = await repository.insertPending({
        id: orderId,
        idempotencyKey: key,
        requestHash,
        customerId: request.customer_id,
        amountMinor: request.amount_minor,
        currency: request.currency,
        paymentKey: `order-${orderId}`,
      });
    } catch (error) {
      // The unique constraint decided: another request holds this key (SQLSTATE 23505).
      if (error instanceof ServiceError && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT)) {
        return { order: await this.#existing(key, requestHash, settings), replayed: true };
      }
      throw error;
    }

    const payment = await payments.pay(
      {
        paymentKey: order.paymentKey,
        orderId: order.id,
        amountMinor: order.amountMinor,
        currency: order.currency,
        paymentToken: request.payment_token,
      },
      deadlineAt,
    );
    metrics.paymentOutcome(payment.status);
    try {
      const settled = await repository.settle(
        order.id,
        ["PENDING"],
        ORDER_STATUS_OF[payment.status],
        payment.status,
        payment.errorClass,
      );
      // Not PENDING any more: the reconciler settled it first, and what it recorded stands.
      return { order: settled ?? (await repository.byId(order.id)) ?? order, replayed: false };
    } catch (error) {
      logger.error(
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
            pointer: "/headers/idempotency-key",
            message: `belongs to order ${order.id}, created with another payload`,
          },
        ],
      });
    }
    if (order.status === "PENDING" && ageMs < pendingStaleAfterMs(settings)) {
      // Repeating it later is exactly right, so this conflict says retryable.
      throw new ServiceError(
        "IDEMPOTENCY_CONFLICT",
        `order ${order.id} with this Idempotency-Key is still being paid`,
        {
          status: 409,
          retryable: true,
        },
      );
    }
    return order;
  }
}
