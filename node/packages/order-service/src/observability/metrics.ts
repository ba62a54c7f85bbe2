import type { BreakerState, ErrorClass, Transition } from "@checkout/core";
import { BREAKER_STATES } from "@checkout/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

import { openapiDocument } from "../http/openapi.js";

// config/METRICS.md: one vocabulary across the gateway, this service and the Python client.
export const SERVICE = "order-service";
export const UPSTREAM = "gateway";
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60];
// SEMANTICS §3's four transitions and METRICS.md's four payment statuses: labels known up front.
export const TRANSITIONS: readonly (readonly [BreakerState, BreakerState])[] = [
  ["closed", "open"],
  ["open", "half_open"],
  ["half_open", "closed"],
  ["half_open", "open"],
];
export const PAYMENT_STATUSES: readonly PaymentOutcome[] = ["authorised", "declined", "unknown", "failed"];
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

/** What the gauges read at scrape time, so they are never stale. */
export interface GaugeSources {
  pool(): { max: number; in_use: number; idle: number; waiting: number };
  breakerState(): BreakerState;
  budget(): { tokensMilli: number; maxMilli: number };
  config(): { version: string; fingerprint: string };
  inflight(): number;
}

/** The service's metrics, in a registry of its own (one per app, so tests never share counters). */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"service" | "route" | "outcome" | "error_class">;
  readonly #requestDuration: Histogram<"service" | "route">;
  readonly #attempts: Counter<"service" | "upstream" | "result">;
  readonly #upstreamLatency: Histogram<"service" | "upstream">;
  readonly #retries: Counter<"service" | "upstream">;
  readonly #transitions: Counter<"service" | "upstream" | "from" | "to">;
  readonly #reloads: Counter<"service" | "result">;
  readonly #payments: Counter<"service" | "status">;

  constructor(sources: GaugeSources) {
    const registers = [this.registry];
    this.#requests = new Counter({
      name: "checkout_requests_total",
      help: "requests answered by this service",
      labelNames: ["service", "route", "outcome", "error_class"],
      registers,
    });
    this.#requestDuration = new Histogram({
      name: "checkout_request_duration_seconds",
      help: "time to answer a request",
      labelNames: ["service", "route"],
      buckets: BUCKETS,
      registers,
    });
    this.#attempts = new Counter({
      name: "checkout_upstream_attempts_total",
      help: "attempts made to the upstream",
      labelNames: ["service", "upstream", "result"],
      registers,
    });
    this.#upstreamLatency = new Histogram({
      name: "checkout_upstream_latency_seconds",
      help: "duration of each upstream attempt",
      labelNames: ["service", "upstream"],
      buckets: BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: "checkout_retries_total",
      help: "retries scheduled (backoff sleeps begun)",
      labelNames: ["service", "upstream"],
      registers,
    });
    new Gauge({
      name: "checkout_breaker_state",
      help: "1 for the current state, 0 for the others",
      labelNames: ["service", "upstream", "state"],
      registers,
      collect() {
        const current = sources.breakerState();
        for (const state of BREAKER_STATES) {
          this.set({ service: SERVICE, upstream: UPSTREAM, state }, state === current ? 1 : 0);
        }
      },
    });
    this.#transitions = new Counter({
      name: "checkout_breaker_transitions_total",
      help: "breaker transitions",
      labelNames: ["service", "upstream", "from", "to"],
      registers,
    });
    new Gauge({
      name: "checkout_retry_budget_tokens",
      help: "tokens left (milli-tokens / 1000)",
      labelNames: ["service", "upstream"],
      registers,
      collect() {
        this.set({ service: SERVICE, upstream: UPSTREAM }, sources.budget().tokensMilli / 1000);
      },
    });
    new Gauge({
      name: "checkout_retry_budget_max_tokens",
      help: "bucket size",
      labelNames: ["service", "upstream"],
      registers,
      collect() {
        this.set({ service: SERVICE, upstream: UPSTREAM }, sources.budget().maxMilli / 1000);
      },
    });
    new Gauge({
      name: "checkout_inflight_requests",
      help: "requests being handled now",
      labelNames: ["service"],
      registers,
      collect() {
        this.set({ service: SERVICE }, sources.inflight());
      },
    });
    new Gauge({
      name: "checkout_pool_connections",
      help: "database pool; waiting counts clients queued for a connection",
      labelNames: ["service", "state"],
      registers,
      collect() {
        const pool = sources.pool();
        this.set({ service: SERVICE, state: "in_use" }, pool.in_use);
        this.set({ service: SERVICE, state: "idle" }, pool.idle);
        this.set({ service: SERVICE, state: "waiting" }, pool.waiting);
      },
    });
    new Gauge({
      name: "checkout_pool_max_connections",
      help: "pool size from config",
      labelNames: ["service"],
      registers,
      collect() {
        this.set({ service: SERVICE }, sources.pool().max);
      },
    });
    new Gauge({
      name: "checkout_config_info",
      help: "always 1: the active config",
      labelNames: ["service", "version", "fingerprint"],
      registers,
      collect() {
        this.reset();
        this.set({ service: SERVICE, ...sources.config() }, 1);
      },
    });
    this.#reloads = new Counter({
      name: "checkout_config_reloads_total",
      help: "config reload attempts",
      labelNames: ["service", "result"],
      registers,
    });
    this.#payments = new Counter({
      name: "checkout_payment_outcomes_total",
      help: "payment outcomes as first reported",
      labelNames: ["service", "status"],
      registers,
    });
    // Every series whose labels are known up front exists at 0 from the start, as in the gateway:
    // Prometheus' increase() needs a sample before the first event, or the first breaker trip, the
    // first refused reload or the first unknown payment is invisible to the alerts.
    const upstream = { service: SERVICE, upstream: UPSTREAM };
    this.#upstreamLatency.zero(upstream);
    this.#retries.inc(upstream, 0);
    for (const [from, to] of TRANSITIONS) {
      this.#transitions.inc({ ...upstream, from, to }, 0);
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

  upstreamAttempt(result: "success" | ErrorClass, seconds: number): void {
    this.#attempts.inc({ service: SERVICE, upstream: UPSTREAM, result });
    this.#upstreamLatency.observe({ service: SERVICE, upstream: UPSTREAM }, seconds);
  }

  retryScheduled(): void {
    this.#retries.inc({ service: SERVICE, upstream: UPSTREAM });
  }

  breakerTransition(transition: Transition): void {
    this.#transitions.inc({ service: SERVICE, upstream: UPSTREAM, from: transition.fromState, to: transition.toState });
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
