import type { BreakerState, ErrorClass, Transition } from "@checkout/core";
import { BREAKER_STATES } from "@checkout/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

// config/METRICS.md: one vocabulary across the gateway, this service and the Python client.
export const SERVICE = "order-service";
export const UPSTREAM = "gateway";
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60];

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
  }

  request(route: string, outcome: RequestOutcome, errorClass: ErrorClass | "", seconds: number): void {
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
