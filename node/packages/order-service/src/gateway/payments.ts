import {
  CircuitBreaker,
  ResilienceError,
  ResilientCall,
  RetryBudget,
  deadlineHeaderMs,
  defaultClassifier,
  type AttemptVerdict,
  type ErrorClass,
  type PaymentSettings,
  type Settled,
  type TimeoutConfig,
} from "@checkout/core";
import type { Logger } from "pino";

import type { Clock } from "../clock.js";
import type { ConfigHolder } from "../config/configHolder.js";
import type { Metrics } from "../observability/metrics.js";
import { legacyAttemptKey } from "../orders/paymentKey.js";
import {
  GatewayError,
  type AttemptTimeouts,
  type GatewayClient,
  type PaymentAnswer,
  type PaymentRequest,
} from "./gatewayClient.js";

/** How a payment ended, as the order records it. */
export interface PaymentResult {
  readonly status: "authorised" | "declined" | "failed" | "unknown";
  /** The class the call ended with; `null` for an answer (authorised or declined). */
  readonly errorClass: ErrorClass | null;
  readonly attempts: number;
}

export interface PaymentsOptions {
  readonly gateway: GatewayClient;
  readonly config: ConfigHolder;
  readonly clock: Clock;
  readonly random: () => number;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * Pays through the gateway in the `relay` role (SEMANTICS.md §7): core's ResilientCall with one
 * breaker and one retry budget for the gateway, retrying only a CONNECTION failure, always with the
 * same Idempotency-Key. A call that may have reached the gateway without a definitive answer ends
 * `unknown` — settled later by the reconciler, never by a second charge.
 */
export class Payments {
  readonly #options: PaymentsOptions;
  #breaker: CircuitBreaker;
  #budget: RetryBudget;

  constructor(options: PaymentsOptions) {
    this.#options = options;
    const payment = options.config.settings.payment;
    this.#breaker = this.#newBreaker(payment);
    this.#budget = new RetryBudget(payment.retry_budget);
    // A reload rebuilds the breaker or the budget only when their own settings changed, so an
    // unrelated edit does not close an open breaker or refill an empty budget.
    options.config.onChange((next, previous) => {
      const now = next.loaded.settings.payment;
      const before = previous.loaded.settings.payment;
      if (!sameFields(now.circuit_breaker, before.circuit_breaker)) {
        this.#breaker = this.#newBreaker(now);
        options.logger.info(
          { circuit_breaker: now.circuit_breaker },
          "circuit breaker rebuilt from the reloaded config",
        );
      }
      if (!sameFields(now.retry_budget, before.retry_budget)) {
        this.#budget = new RetryBudget(now.retry_budget);
        options.logger.info({ retry_budget: now.retry_budget }, "retry budget rebuilt from the reloaded config");
      }
    });
  }

  get breaker(): CircuitBreaker {
    return this.#breaker;
  }

  get budget(): RetryBudget {
    return this.#budget;
  }

  /** Charges once (retrying only what never reached the gateway) within `deadlineAt` (clock ms). */
  async pay(request: PaymentRequest, deadlineAt: number): Promise<PaymentResult> {
    const { gateway, config, clock, random, metrics, logger } = this.#options;
    // The settings, breaker and budget this call started with carry it to its end, reload or not.
    const call = new ResilientCall<PaymentAnswer>({
      settings: config.settings.payment,
      role: "relay",
      breaker: this.#breaker,
      budget: this.#budget,
      classifier: classifyAnswer,
      now: clock.now,
      random,
      sleep: (ms) => {
        metrics.retryScheduled();
        return clock.sleep(ms);
      },
    });
    let maybeCharged = false;
    // The kernel sizes each attempt (a relay's gets the whole remaining deadline, the gateway runs its
    // own retries inside it) and its header (the attempt's timeout less payment.answer_margin_ms).
    const result = await call.run(async ({ attempt, timeoutMs, deadlineHeaderMs }) => {
      const startedAt = clock.now();
      try {
        const answer = await gateway.pay(request, { timeoutMs, deadlineHeaderMs });
        const seconds = (clock.now() - startedAt) / 1000;
        metrics.upstreamAttempt(answer.status === "declined" ? "DECLINED" : "success", seconds);
        logger.info(
          {
            payment_key: request.paymentKey,
            attempt,
            timeout_ms: timeoutMs,
            deadline_header_ms: deadlineHeaderMs,
            duration_ms: clock.now() - startedAt,
            result: answer.status,
          },
          "gateway attempt answered",
        );
        return answer;
      } catch (error) {
        // Anything but a classified gateway error is a bug of ours after the request may have left.
        maybeCharged ||= !(error instanceof GatewayError) || error.maybeCharged;
        const errorClass = error instanceof ResilienceError ? error.errorClass : "INTERNAL";
        metrics.upstreamAttempt(errorClass, (clock.now() - startedAt) / 1000);
        logger.warn(
          {
            payment_key: request.paymentKey,
            attempt,
            timeout_ms: timeoutMs,
            duration_ms: clock.now() - startedAt,
            result: errorClass,
            maybe_charged: error instanceof GatewayError ? error.maybeCharged : true,
            err: error,
          },
          "gateway attempt failed",
        );
        throw error;
      }
    }, deadlineAt);
    if (result.result === "success") {
      return { status: "authorised", errorClass: null, attempts: result.attempts };
    }
    if (result.result === "DECLINED") {
      return { status: "declined", errorClass: null, attempts: result.attempts };
    }
    return { status: maybeCharged ? "unknown" : "failed", errorClass: result.result, attempts: result.attempts };
  }

  /**
   * LEGACY — the incident's payment loop, run only when `order_service.legacy_retry_timeout_as_new_payment`
   * is true (the replay bench's `incident` and `original` configs; the lint warns and the shipped config is
   * linted with --deny-warnings). An attempt that got no answer in time (its timeout or the gateway's ran
   * out, the gateway says the outcome is unknown, or the connection failed) is retried as a NEW payment: attempt
   * n sends the gateway its own Idempotency-Key ({@link legacyAttemptKey}), so each retry is a fresh provider
   * call with a fresh latency, and every abandoned attempt that completes is one more charge. Up to
   * `payment.retry.max_attempts` attempts, a fixed `payment.retry.base_delay_ms` between them; no breaker, no
   * retry budget, no backoff growth, no jitter — the old code had none. Each attempt waits `timeout_ms` and
   * tells the gateway the same (the old code kept no answer margin), cut to what is left of `deadlineAt`, and
   * starts only if that reaches `min_deadline_ms`. A payment without an answer is `failed`: the old code took
   * a timeout for "not charged", which is why it paid again.
   */
  async payRetryingTimeoutsAsNewPayments(
    request: PaymentRequest,
    deadlineAt: number,
    payment: PaymentSettings,
  ): Promise<PaymentResult> {
    const { gateway, clock, metrics, logger } = this.#options;
    const { timeout_ms: timeoutCap, min_deadline_ms: floor } = payment;
    const { max_attempts: maxAttempts, base_delay_ms: delayMs } = payment.retry;
    let errorClass: ErrorClass = "DEADLINE_EXCEEDED";
    let attempts = 0;
    while (attempts < maxAttempts) {
      const timeoutMs = Math.min(timeoutCap, deadlineAt - clock.now());
      if (timeoutMs < floor) {
        break;
      }
      attempts += 1;
      const paymentKey = legacyAttemptKey(request.paymentKey, attempts);
      const startedAt = clock.now();
      try {
        const answer = await gateway.pay({ ...request, paymentKey }, { timeoutMs, deadlineHeaderMs: timeoutMs });
        const seconds = (clock.now() - startedAt) / 1000;
        metrics.upstreamAttempt(answer.status === "declined" ? "DECLINED" : "success", seconds);
        logger.info(
          { payment_key: paymentKey, attempt: attempts, timeout_ms: timeoutMs, legacy: true, result: answer.status },
          "gateway attempt answered",
        );
        return { status: answer.status, errorClass: null, attempts };
      } catch (error) {
        errorClass = error instanceof ResilienceError ? error.errorClass : "INTERNAL";
        metrics.upstreamAttempt(errorClass, (clock.now() - startedAt) / 1000);
        logger.warn(
          {
            payment_key: paymentKey,
            attempt: attempts,
            timeout_ms: timeoutMs,
            legacy: true,
            result: errorClass,
            err: error,
          },
          "gateway attempt failed",
        );
        // The old code knew no "unknown": an attempt without an answer it could read as an outcome — its
        // own timeout, the gateway's TIMEOUT or DEADLINE_EXCEEDED, any answer saying the outcome is unknown,
        // a broken connection — was a timeout to it, and a timeout "charged nothing". So it paid again.
        if (!(error instanceof GatewayError && (error.maybeCharged || errorClass === "CONNECTION"))) {
          break;
        }
      }
      // The fixed delay, only if an attempt could still start after it.
      if (attempts >= maxAttempts || Math.min(timeoutCap, deadlineAt - clock.now() - delayMs) < floor) {
        break;
      }
      metrics.retryScheduled();
      await clock.sleep(delayMs);
    }
    return { status: "failed", errorClass, attempts };
  }

  #newBreaker(payment: PaymentSettings): CircuitBreaker {
    const { metrics, logger } = this.#options;
    return new CircuitBreaker(payment.circuit_breaker, (transition) => {
      metrics.breakerTransition(transition);
      logger.warn(
        { from: transition.fromState, to: transition.toState, generation: transition.generation, upstream: "gateway" },
        "circuit breaker transition",
      );
    });
  }
}

/** A lookup's wait (one attempt timeout) and its header, the answer margin less (SEMANTICS.md §5). */
export function lookupTimeouts(settings: TimeoutConfig): AttemptTimeouts {
  const { timeout_ms: timeoutMs, answer_margin_ms: margin } = settings.payment;
  return { timeoutMs, deadlineHeaderMs: deadlineHeaderMs(timeoutMs, margin) };
}

// A declined payment is an answer the call ends with, not a fault (SEMANTICS.md §6).
function classifyAnswer(settled: Settled<PaymentAnswer>): AttemptVerdict {
  if (settled.ok) {
    return settled.value.status === "declined" ? { kind: "declined" } : { kind: "success" };
  }
  return defaultClassifier(settled);
}

function sameFields(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}
