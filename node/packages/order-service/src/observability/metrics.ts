import type { BreakerState, ErrorClass, Operation, Transition } from "@checkout/core";
import {
  BREAKER_STATES,
  BULKHEAD_IN_FLIGHT,
  BULKHEAD_MAX_CONCURRENT,
  OPERATIONS,
  HISTOGRAM_BUCKETS_SECONDS,
  BREAKER_STATE,
  BREAKER_TRANSITIONS_TOTAL,
  CONFIG_INFO,
  CONFIG_RELOADS_TOTAL,
  INFLIGHT_REQUESTS,
  PAYMENT_OUTCOMES_TOTAL,
  POOL_CONNECTIONS,
  POOL_MAX_CONNECTIONS,
  REQUESTS_TOTAL,
  REQUEST_DURATION_SECONDS,
  RETRIES_TOTAL,
  RETRY_BUDGET_MAX_TOKENS,
  RETRY_BUDGET_TOKENS,
  UPSTREAM_ATTEMPTS_TOTAL,
  UPSTREAM_LATENCY_SECONDS,
  type MetricSpec,
} from "@checkout/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

import { openapiDocument } from "../http/openapi.js";

// config/vocabulary.json (METRICS.md): one vocabulary across the gateway, this service and the Python
// client; names, help texts, label names and buckets are its generated constants.
export const SERVICE = "order-service";
export const UPSTREAM = "gateway";
// SEMANTICS §3's four transitions and METRICS.md's four payment statuses: labels known up front.
export const TRANSITIONS: readonly (readonly [BreakerState, BreakerState])[] = [
  ["closed", "open"],
  ["open", "half_open"],
  ["half_open", "closed"],
  ["half_open", "open"],
];
export const PAYMENT_STATUSES: readonly PaymentOutcome[] = PAYMENT_OUTCOMES_TOTAL.values.status;
// config/METRICS.md: `route` is the method and the path template of openapi.json, and only business
// routes are counted — a liveness probe, Prometheus' own scrape or a fetch of the document is no request
// of a caller: counted, they would make the request rate non-zero and the breaker alert's "while
// requests arrive" true.
const NOT_BUSINESS_PATHS = new Set(["/health", "/metrics", "/openapi.json"]);
// A path item also holds `parameters`, `summary` …: only these keys are operations.
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const BUSINESS_ROUTES: ReadonlySet<string> = new Set(
  Object.entries(openapiDocument["paths"] as Record<string, Record<string, unknown>>)
    .filter(([path]) => !NOT_BUSINESS_PATHS.has(path))
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => HTTP_METHODS.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
);

/**
 * The `route` label of a request: `POST /orders`, `GET /orders/{id}` (Fastify's `:id` written as the
 * OpenAPI template), or undefined when the request is not to a business route and is not counted.
 */
export function routeLabel(method: string, fastifyUrl: string | undefined): string | undefined {
  if (fastifyUrl === undefined) {
    return undefined;
  }
  const route = `${method.toUpperCase()} ${fastifyUrl.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`;
  return BUSINESS_ROUTES.has(route) ? route : undefined;
}

export type RequestOutcome = "success" | "declined" | "unknown" | "error";
export type PaymentOutcome = "authorised" | "declined" | "unknown" | "failed";

/** A metric family's name, help text and label names, as prom-client takes them. */
function family<L extends string>(spec: MetricSpec<L>): { name: string; help: string; labelNames: readonly L[] } {
  return { name: spec.name, help: spec.help, labelNames: spec.labels };
}

/** What one operation of the upstream looks like now: its breaker, retry budget and bulkhead. */
export interface OperationState {
  readonly breakerState: BreakerState;
  readonly tokensMilli: number;
  readonly maxMilli: number;
  readonly inFlight: number;
  readonly maxConcurrent: number;
}

/** What the gauges read at scrape time, so they are never stale. */
export interface GaugeSources {
  pool(): { max: number; in_use: number; idle: number; waiting: number };
  /** The gateway's charge or lookup as it is now (a reload may have replaced its breaker or budget). */
  operation(operation: Operation): OperationState;
  config(): { version: string; fingerprint: string };
  inflight(): number;
}

/** The service's metrics, in a registry of its own (one per app, so tests never share counters). */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"service" | "route" | "outcome" | "error_class">;
  readonly #requestDuration: Histogram<"service" | "route">;
  readonly #attempts: Counter<"service" | "upstream" | "operation" | "result">;
  readonly #upstreamLatency: Histogram<"service" | "upstream" | "operation">;
  readonly #retries: Counter<"service" | "upstream" | "operation">;
  readonly #transitions: Counter<"service" | "upstream" | "operation" | "from" | "to">;
  readonly #reloads: Counter<"service" | "result">;
  readonly #payments: Counter<"service" | "status">;

  constructor(sources: GaugeSources) {
    const registers = [this.registry];
    this.#requests = new Counter({
      ...family(REQUESTS_TOTAL),
      registers,
    });
    this.#requestDuration = new Histogram({
      ...family(REQUEST_DURATION_SECONDS),
      buckets: [...HISTOGRAM_BUCKETS_SECONDS],
      registers,
    });
    this.#attempts = new Counter({
      ...family(UPSTREAM_ATTEMPTS_TOTAL),
      registers,
    });
    this.#upstreamLatency = new Histogram({
      ...family(UPSTREAM_LATENCY_SECONDS),
      buckets: [...HISTOGRAM_BUCKETS_SECONDS],
      registers,
    });
    this.#retries = new Counter({
      ...family(RETRIES_TOTAL),
      registers,
    });
    // Every upstream gauge has one series per operation (METRICS.md), read anew at each scrape.
    const perOperation = (read: (state: OperationState) => number) =>
      function collect(this: Gauge<"service" | "upstream" | "operation">): void {
        for (const operation of OPERATIONS) {
          this.set({ service: SERVICE, upstream: UPSTREAM, operation }, read(sources.operation(operation)));
        }
      };
    new Gauge({
      ...family(BREAKER_STATE),
      registers,
      collect() {
        for (const operation of OPERATIONS) {
          const current = sources.operation(operation).breakerState;
          for (const state of BREAKER_STATES) {
            this.set({ service: SERVICE, upstream: UPSTREAM, operation, state }, state === current ? 1 : 0);
          }
        }
      },
    });
    this.#transitions = new Counter({
      ...family(BREAKER_TRANSITIONS_TOTAL),
      registers,
    });
    new Gauge({ ...family(RETRY_BUDGET_TOKENS), registers, collect: perOperation((op) => op.tokensMilli / 1000) });
    new Gauge({ ...family(RETRY_BUDGET_MAX_TOKENS), registers, collect: perOperation((op) => op.maxMilli / 1000) });
    new Gauge({ ...family(BULKHEAD_IN_FLIGHT), registers, collect: perOperation((op) => op.inFlight) });
    new Gauge({ ...family(BULKHEAD_MAX_CONCURRENT), registers, collect: perOperation((op) => op.maxConcurrent) });
    new Gauge({
      ...family(INFLIGHT_REQUESTS),
      registers,
      collect() {
        this.set({ service: SERVICE }, sources.inflight());
      },
    });
    new Gauge({
      ...family(POOL_CONNECTIONS),
      registers,
      collect() {
        const pool = sources.pool();
        this.set({ service: SERVICE, state: "in_use" }, pool.in_use);
        this.set({ service: SERVICE, state: "idle" }, pool.idle);
        this.set({ service: SERVICE, state: "waiting" }, pool.waiting);
      },
    });
    new Gauge({
      ...family(POOL_MAX_CONNECTIONS),
      registers,
      collect() {
        this.set({ service: SERVICE }, sources.pool().max);
      },
    });
    new Gauge({
      ...family(CONFIG_INFO),
      registers,
      collect() {
        this.reset();
        this.set({ service: SERVICE, ...sources.config() }, 1);
      },
    });
    this.#reloads = new Counter({
      ...family(CONFIG_RELOADS_TOTAL),
      registers,
    });
    this.#payments = new Counter({
      ...family(PAYMENT_OUTCOMES_TOTAL),
      registers,
    });
    // Every series whose labels are known up front exists at 0 from the start, as in the gateway:
    // Prometheus' increase() needs a sample before the first event, or the first breaker trip, the
    // first refused reload or the first unknown payment is invisible to the alerts.
    for (const operation of OPERATIONS) {
      const upstream = { service: SERVICE, upstream: UPSTREAM, operation };
      this.#upstreamLatency.zero(upstream);
      this.#retries.inc(upstream, 0);
      for (const [from, to] of TRANSITIONS) {
        this.#transitions.inc({ ...upstream, from, to }, 0);
      }
    }
    for (const result of ["success", "failure"] as const) {
      this.#reloads.inc({ service: SERVICE, result }, 0);
    }
    for (const status of PAYMENT_STATUSES) {
      this.#payments.inc({ service: SERVICE, status }, 0);
    }
  }

  /** Counts a request to a business route (see {@link routeLabel}); `undefined` is not counted. */
  request(route: string | undefined, outcome: RequestOutcome, errorClass: ErrorClass | "", seconds: number): void {
    if (route === undefined) {
      return;
    }
    this.#requests.inc({ service: SERVICE, route, outcome, error_class: errorClass });
    this.#requestDuration.observe({ service: SERVICE, route }, seconds);
  }

  upstreamAttempt(operation: Operation, result: "success" | ErrorClass, seconds: number): void {
    this.#attempts.inc({ service: SERVICE, upstream: UPSTREAM, operation, result });
    this.#upstreamLatency.observe({ service: SERVICE, upstream: UPSTREAM, operation }, seconds);
  }

  retryScheduled(operation: Operation): void {
    this.#retries.inc({ service: SERVICE, upstream: UPSTREAM, operation });
  }

  breakerTransition(operation: Operation, transition: Transition): void {
    this.#transitions.inc({
      service: SERVICE,
      upstream: UPSTREAM,
      operation,
      from: transition.fromState,
      to: transition.toState,
    });
  }

  configReload(result: "success" | "failure"): void {
    this.#reloads.inc({ service: SERVICE, result });
  }

  paymentOutcome(status: PaymentOutcome): void {
    this.#payments.inc({ service: SERVICE, status });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
