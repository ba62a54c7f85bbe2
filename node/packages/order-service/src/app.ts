import { deadlineFromHeader, type ErrorClass } from "@checkout/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";

import type { Clock } from "./clock.js";
import type { ConfigHolder } from "./config/configHolder.js";
import type { Database } from "./db/database.js";
import { PoolMonitor } from "./db/poolMonitor.js";
import type { GatewayClient } from "./gateway/gatewayClient.js";
import { Payments } from "./gateway/payments.js";
import { BODY_LIMIT_BYTES, toServiceError } from "./http/errorHandling.js";
import { openapiDocument } from "./http/openapi.js";
import {
  parseCreateOrder,
  parseIdempotencyKey,
  parseOrderId,
  type CreateOrderRequest,
} from "./http/requestValidation.js";
import { ServiceError, invalidRequest, type ErrorDetail } from "./http/serviceError.js";
import { Metrics, routeLabel, SERVICE, type RequestOutcome } from "./observability/metrics.js";
import { orderResponse, type Order, type OrderStatus } from "./orders/order.js";
import { OrderRepository } from "./orders/orderRepository.js";
import { OrderService } from "./orders/orderService.js";
import { Reconciler } from "./orders/reconciler.js";

/** Everything the service depends on, built by the caller (start-up, or a test). */
export interface AppDependencies {
  readonly database: Database;
  readonly gateway: GatewayClient;
  readonly config: ConfigHolder;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Draws in [0, 1) for backoff jitter; `Math.random` unless a test injects one. */
  readonly random?: () => number;
}

/** The wired service: the fastify instance and the parts tests and start-up talk to. */
export interface OrderServiceApp {
  readonly server: FastifyInstance;
  readonly metrics: Metrics;
  readonly payments: Payments;
  readonly reconciler: Reconciler;
  readonly monitor: PoolMonitor;
}

const REQUEST_OUTCOME: Readonly<Record<OrderStatus, RequestOutcome>> = {
  PAID: "success",
  DECLINED: "declined",
  PAYMENT_UNKNOWN: "unknown",
  FAILED: "error",
  PENDING: "unknown",
};

interface Answered {
  outcome: RequestOutcome;
  errorClass: ErrorClass | "";
}

/**
 * The order service, wired in one place: routes, hooks, and the background loops (reconciler, pool
 * monitor) that start when the server is ready and stop when it closes. The database pool and the
 * config holder belong to the caller, who closes them after the server.
 */
export function buildApp(deps: AppDependencies): OrderServiceApp {
  const { database, gateway, config, clock, logger } = deps;
  let inflight = 0;
  const metrics = new Metrics({
    pool: () => database.stats(),
    operation: (operation) => {
      const { breaker, budget, bulkhead } = payments.upstream.operation(operation);
      return {
        breakerState: breaker.state,
        tokensMilli: budget.tokensMilli,
        maxMilli: budget.maxMilli,
        inFlight: bulkhead.inFlight,
        maxConcurrent: bulkhead.maxConcurrent,
      };
    },
    config: () => ({ version: config.settings.version, fingerprint: config.active.loaded.fingerprint }),
    inflight: () => inflight,
  });
  const payments = new Payments({ gateway, config, clock, random: deps.random ?? Math.random, metrics, logger });
  const repository = new OrderRepository(database);
  const reconciler = new Reconciler({ repository, payments, config, clock, logger });
  const settleNow = (order: Order): Promise<Order> => reconciler.settleNow(order);
  const orders = new OrderService({ repository, database, payments, config, metrics, logger, settleNow });
  const monitor = new PoolMonitor({ database, config, logger });
  config.onChange((next) => database.resize(next.loaded.settings.database.pool));
  config.onReloadResult((result) => metrics.configReload(result));

  const server = Fastify({
    // A pino Logger is a FastifyBaseLogger; fastify's generics would otherwise carry pino's type everywhere.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
  });
  const answered = new WeakMap<FastifyRequest, Answered>();
  const startedAt = new WeakMap<FastifyRequest, number>();

  server.addHook("onRequest", async (request, reply) => {
    inflight += 1;
    startedAt.set(request, clock.now());
    reply.raw.once("close", () => {
      inflight -= 1;
    });
  });
  server.addHook("onResponse", async (request, reply) => {
    const route = routeLabel(request.method, request.routeOptions.url);
    const seen = answered.get(request) ?? {
      outcome: reply.statusCode < 400 ? "success" : "error",
      errorClass: "",
    };
    metrics.request(
      route,
      seen.outcome,
      seen.errorClass,
      (clock.now() - (startedAt.get(request) ?? clock.now())) / 1000,
    );
  });
  // While closing, every answer ends its connection: a keep-alive socket of a request that was in
  // flight would otherwise hold the close open for the whole keep-alive timeout.
  let closing = false;
  server.addHook("preClose", async () => {
    closing = true;
  });
  server.addHook("onSend", async (_request, reply) => {
    if (closing) {
      void reply.header("connection", "close");
    }
  });
  server.addHook("onReady", async () => {
    reconciler.start();
    monitor.start();
  });
  server.addHook("onClose", async () => {
    await Promise.all([reconciler.stop(), monitor.stop()]);
  });

  server.setErrorHandler((error, request, reply) => {
    const failure = toServiceError(error);
    answered.set(request, { outcome: "error", errorClass: failure.errorClass });
    const fields = { error_class: failure.errorClass, status: failure.status, err: failure.cause ?? failure };
    if (failure.status >= 500) {
      request.log[failure.errorClass === "INTERNAL" ? "error" : "warn"](fields, failure.detailMessage);
    } else {
      request.log.info(
        { error_class: failure.errorClass, status: failure.status, details: failure.details },
        failure.detailMessage,
      );
    }
    return reply.code(failure.status).headers(failure.headers).send(failure.body());
  });
  server.setNotFoundHandler((request, reply) => {
    const failure = new ServiceError("NOT_FOUND", `no route ${request.method} ${request.url}`);
    answered.set(request, { outcome: "error", errorClass: "NOT_FOUND" });
    return reply.code(404).send(failure.body());
  });

  server.post("/orders", async (request, reply) => {
    const arrival = clock.now();
    const input = parseOrderInputs(request);
    // After validation, so a malformed request is told so even with a spent deadline; before any work.
    // A deadline below payment.min_deadline_ms is refused (400): too short for a payment to be tried.
    const payment = config.settings.payment;
    const deadlineAt = deadlineFromHeader(
      arrival,
      header(request, "x-deadline-ms"),
      payment.deadline_ms,
      payment.min_deadline_ms,
    );
    const { order, replayed } = await orders.place(input.body, input.idempotencyKey, deadlineAt);
    answered.set(request, {
      outcome: REQUEST_OUTCOME[order.status],
      errorClass: order.status === "PAID" || order.status === "DECLINED" ? "" : (order.paymentErrorClass ?? ""),
    });
    if (replayed) {
      void reply.header("idempotent-replayed", "true");
    }
    return reply.code(replayed ? 200 : 201).send(orderResponse(order));
  });

  server.get<{ Params: { id: string } }>("/orders/:id", async (request) => {
    const order = await orders.get(parseOrderId(request.params.id));
    return orderResponse(order);
  });

  server.get("/health", async (_request, reply: FastifyReply) => {
    const pool = database.stats();
    const monitoring = config.settings.monitoring;
    const reachable = database.reachable;
    const critical = !reachable || pool.utilization >= monitoring.pool_utilization_critical;
    // The charge's breaker and budget: what decides whether orders can be paid now. (An open lookup
    // breaker only delays reconciliation, and without lookups it would stay open, degraded forever.)
    const { breaker, budget } = payments.upstream.charge;
    const degraded = pool.utilization >= monitoring.pool_utilization_warn || breaker.state !== "closed";
    const active = config.active;
    return reply.code(critical ? 503 : 200).send({
      status: critical ? "critical" : degraded ? "degraded" : "ok",
      service: SERVICE,
      database: { reachable },
      pool,
      breaker: { state: breaker.state, generation: breaker.generation },
      config: {
        version: active.loaded.settings.version,
        fingerprint: active.loaded.fingerprint,
        path: active.loaded.path,
        loaded_at: active.loadedAt.toISOString(),
      },
      retry_budget: { tokens: budget.tokensMilli / 1000, max_tokens: budget.maxMilli / 1000 },
      reconciler: {
        unknown_orders: reconciler.unknownOrders,
        last_run_at: reconciler.lastRunAt?.toISOString() ?? null,
      },
    });
  });

  server.get("/metrics", async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
  server.get("/openapi.json", async () => openapiDocument);

  return { server, metrics, payments, reconciler, monitor };
}

// Every input is checked before anything is reported, so one 400 names every bad field.
function parseOrderInputs(request: FastifyRequest): { body: CreateOrderRequest; idempotencyKey: string } {
  const details: ErrorDetail[] = [];
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ServiceError && error.errorClass === "INVALID_REQUEST") {
        details.push(...error.details);
        return undefined;
      }
      throw error;
    }
  };
  const idempotencyKey = attempt(() => parseIdempotencyKey(request.headers["idempotency-key"]));
  const body = attempt(() => parseCreateOrder(request.body));
  if (details.length > 0 || body === undefined || idempotencyKey === undefined) {
    throw invalidRequest(details);
  }
  return { body, idempotencyKey };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  // A repeated header is not one integer.
  return Array.isArray(value) ? value.join(",") : value;
}
