import { ResilienceError, type TimeoutConfig } from "@checkout/core";
import type { Logger } from "pino";

import type { Clock } from "../clock.js";
import type { ConfigHolder } from "../config/configHolder.js";
import type { PaymentLookup } from "../gateway/gatewayClient.js";
import type { Payments } from "../gateway/payments.js";
import type { Order, OrderStatus, PaymentStatus } from "./order.js";
import type { OrderRepository } from "./orderRepository.js";
import { pendingStaleAfterMs } from "./orderService.js";

// Orders looked at per run at most; the next run, one interval later, takes the next ones.
export const RUN_LIMIT = 100;
// Orders claimed and looked up at once: a chunk takes one lookup call, however many hang.
const CHUNK = 10;

/**
 * The orders a run claims and looks up at once: {@link CHUNK}, but never more than the lookup's
 * bulkhead admits (`payment.lookup.bulkhead.max_concurrent`), or the reconciler's own lookups would
 * be refused BULKHEAD_FULL. With the shipped 20 slots a chunk of 10 leaves 10 for the lookups a
 * replayed request makes (`settleNow`).
 */
export function chunkSize(settings: TimeoutConfig): number {
  return Math.min(CHUNK, settings.payment.lookup.bulkhead.max_concurrent);
}

/** What one run did. */
export interface ReconcileRun {
  readonly examined: number;
  readonly settled: number;
  /** PAYMENT_UNKNOWN orders left after the run. */
  readonly unknownOrders: number;
}

/**
 * Settles payments whose outcome is open — PAYMENT_UNKNOWN orders, and PENDING ones whose request is
 * surely over (e.g. the process died mid-payment; the token is gone, so they can only be settled,
 * never paid) — by asking the gateway `GET /payments/{key}` (the gateway upstream's lookup, with its
 * own policy, breaker and bulkhead), every `order_service.reconcile_interval_ms`. The database is used
 * only for short statements, never across the HTTP call.
 *
 * Fair and shared: a run claims due orders in chunks of {@link chunkSize} (least recently looked at
 * first; each claim moves the order's next look on by a backoff, see
 * {@link OrderRepository.claimDue}), looks a chunk up at once, and goes on — a lookup that times
 * out or is refused settles nothing but ends nothing either. A run stops after {@link RUN_LIMIT}
 * orders or once it has taken one reconcile interval. Replicas on one database never look at the
 * same order in one round.
 */
export class Reconciler {
  readonly #repository: OrderRepository;
  readonly #payments: Pick<Payments, "lookup">;
  readonly #config: ConfigHolder;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ReconcileRun | undefined> | undefined;
  #stopped = true;
  #unknownOrders: number | null = null;
  #lastRunAt: Date | null = null;

  constructor(options: {
    repository: OrderRepository;
    payments: Pick<Payments, "lookup">;
    config: ConfigHolder;
    clock: Clock;
    logger: Logger;
  }) {
    this.#repository = options.repository;
    this.#payments = options.payments;
    this.#config = options.config;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** PAYMENT_UNKNOWN orders at the end of the last finished run; `null` before the first. */
  get unknownOrders(): number | null {
    return this.#unknownOrders;
  }

  get lastRunAt(): Date | null {
    return this.#lastRunAt;
  }

  /**
   * Runs once now (orders a crashed predecessor left PENDING are settled at start), then every
   * reconcile interval — read anew each time, so a reload applies — until {@link stop}.
   */
  start(): void {
    this.#stopped = false;
    void this.runOnce().finally(() => this.#schedule());
  }

  /** No new run starts; resolves when the one in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One run, after the one in progress if any: runs never overlap (the scheduled ones call this too). */
  runOnce(): Promise<ReconcileRun | undefined> {
    const run = (this.#running ?? Promise.resolve(undefined)).then(() => this.#run());
    this.#running = run;
    void run.finally(() => {
      if (this.#running === run) {
        this.#running = undefined;
      }
    });
    return run;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== undefined) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.runOnce().finally(() => this.#schedule());
    }, this.#config.settings.order_service.reconcile_interval_ms);
  }

  async #run(): Promise<ReconcileRun | undefined> {
    const settings = this.#config.settings;
    const startedAt = this.#clock.now();
    const budgetMs = Math.max(settings.order_service.reconcile_interval_ms, settings.payment.lookup.deadline_ms);
    const size = chunkSize(settings);
    try {
      let examined = 0;
      let settled = 0;
      while (examined < RUN_LIMIT && !this.#stopped && this.#clock.now() - startedAt < budgetMs) {
        const chunk = await this.#repository.claimDue(
          pendingStaleAfterMs(settings),
          Math.min(size, RUN_LIMIT - examined),
          reconcileBackoffMs(settings),
        );
        examined += chunk.length;
        const results = await Promise.all(chunk.map((order) => this.#lookAt(order)));
        settled += results.filter(Boolean).length;
        if (chunk.length < size) {
          break; // nothing more is due
        }
      }
      const unknownOrders = await this.#repository.countUnknown();
      this.#unknownOrders = unknownOrders;
      this.#lastRunAt = this.#clock.wall();
      if (examined > 0) {
        this.#logger.info({ examined, settled, unknown_orders: unknownOrders }, "reconciliation run finished");
      }
      return { examined, settled, unknownOrders };
    } catch (error) {
      const errorClass = error instanceof ResilienceError ? error.errorClass : "INTERNAL";
      this.#logger.warn({ error_class: errorClass, err: error }, "reconciliation run failed; the next run tries again");
      return undefined;
    }
  }

  /**
   * Asks the gateway about one order now and records what it says; the order as it is afterwards.
   * A replay of an unsettled order (a client retrying with its key) uses it, outside the schedule.
   */
  async settleNow(order: Order): Promise<Order> {
    await this.#lookAt(order);
    return (await this.#repository.byId(order.id)) ?? order;
  }

  /** One lookup and, when it decides something, one guarded update; whether the order was settled. */
  async #lookAt(order: Order): Promise<boolean> {
    let lookup: PaymentLookup | undefined;
    let errorClass: string;
    let cause: unknown;
    try {
      const result = await this.#payments.lookup(order.paymentKey);
      lookup = result.errorClass === null ? result.value : undefined;
      errorClass = result.outcome;
      cause = result.error;
    } catch (error) {
      errorClass = error instanceof ResilienceError ? error.errorClass : "INTERNAL";
      cause = error;
    }
    if (lookup === undefined) {
      this.#logger.warn(
        { order_id: order.id, payment_key: order.paymentKey, error_class: errorClass, err: cause },
        "reconciliation lookup failed; the order is looked at again later",
      );
      return false;
    }
    return this.#settle(order, lookup);
  }

  async #settle(order: Order, lookup: PaymentLookup): Promise<boolean> {
    const target = settlementOf(lookup, order);
    if (target === undefined) {
      return false;
    }
    const [status, paymentStatus] = target;
    const updated = await this.#repository.settle(
      order.id,
      ["PENDING", "PAYMENT_UNKNOWN"],
      status,
      paymentStatus,
      status === "PAID" || status === "DECLINED" ? null : order.paymentErrorClass,
    );
    if (updated !== undefined) {
      this.#logger.info(
        { order_id: order.id, payment_key: order.paymentKey, from: order.status, to: status, gateway_status: lookup },
        "order settled by reconciliation",
      );
    }
    return updated !== undefined && status !== "PAYMENT_UNKNOWN";
  }
}

/**
 * The unit of an order's reconcile backoff: one interval, but never less than a chunk's own work (one
 * lookup call, bounded by `payment.lookup.deadline_ms`, plus a write's acquire wait), so a claim
 * outlasts the look it was taken for.
 */
export function reconcileBackoffMs(settings: TimeoutConfig): number {
  return Math.max(
    settings.order_service.reconcile_interval_ms,
    settings.payment.lookup.deadline_ms + settings.database.pool.acquire_timeout_ms,
  );
}

// A payment the gateway never took (404) was never charged. A stale PENDING order whose outcome is
// open at the gateway becomes PAYMENT_UNKNOWN, which is what it is.
function settlementOf(lookup: PaymentLookup, order: Order): readonly [OrderStatus, PaymentStatus] | undefined {
  switch (lookup) {
    case "authorised":
      return ["PAID", "authorised"];
    case "declined":
      return ["DECLINED", "declined"];
    case "failed":
    case "not_found":
      return ["FAILED", "failed"];
    case "unknown":
    case "pending":
      return order.status === "PENDING" ? ["PAYMENT_UNKNOWN", "unknown"] : undefined;
  }
}
