import {
  ResilienceError,
  type CallResult,
  type ErrorClass,
  type Operation,
  type PaymentSettings,
  type ResilientCall,
} from "@checkout/core";
import type { Logger } from "pino";

import type { Clock } from "../clock.js";
import type { ConfigHolder } from "../config/configHolder.js";
import type { Metrics } from "../observability/metrics.js";
import { legacyAttemptKey } from "../orders/paymentKey.js";
import { GatewayError, type GatewayClient, type PaymentLookup, type PaymentRequest } from "./gatewayClient.js";
import { gatewayUpstream, reconfigureGateway, type GatewayUpstream } from "./gatewayUpstream.js";

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
 * Pays and looks payments up through the gateway, core's `Upstream` in the `relay` role (SEMANTICS.md
 * §7, §11): the charge and the lookup each with their own breaker, retry budget and bulkhead, retrying
 * only a CONNECTION failure, always with the same Idempotency-Key. A charge that may have reached the
 * gateway without a definitive answer ends `unknown` — settled later by a lookup, never by a second
 * charge — and a lookup storm can neither open the charge's breaker nor spend its budget.
 */
export class Payments {
  readonly #options: PaymentsOptions;
  readonly #upstream: GatewayUpstream;

  constructor(options: PaymentsOptions) {
    this.#options = options;
    this.#upstream = gatewayUpstream({ ...options, payment: options.config.settings.payment });
    // A reload keeps each operation's breaker and budget whose own settings did not change, so an
    // unrelated edit does not close an open breaker or refill an empty budget (SEMANTICS.md §11).
    options.config.onChange((next) => reconfigureGateway(this.#upstream, next.loaded.settings.payment, options.logger));
  }

  /** The gateway's charge and lookup, each with its current breaker, budget and bulkhead. */
  get upstream(): GatewayUpstream {
    return this.#upstream;
  }

  /** Charges once (retrying only what never reached the gateway) within `deadlineAt` (clock ms). */
  async pay(request: PaymentRequest, deadlineAt: number): Promise<PaymentResult> {
    const { gateway, clock, metrics, logger } = this.#options;
    // The policy, breaker, budget and bulkhead this call starts with carry it to its end, reload or not.
    const call = this.#upstream.charge;
    let maybeCharged = false;
    // The kernel sizes each attempt (a relay's gets the whole remaining deadline, the gateway runs its
    // own retries inside it) and its header (the attempt's timeout less payment.answer_margin_ms).
    const result = await call.call(async ({ number, timeoutMs, deadlineHeaderMs }) => {
      const startedAt = clock.now();
      const fields = { payment_key: request.paymentKey, attempt: number, timeout_ms: timeoutMs };
      try {
        const answer = await gateway.pay(request, { timeoutMs, deadlineHeaderMs });
        const durationMs = clock.now() - startedAt;
        metrics.upstreamAttempt("charge", answer.status === "declined" ? "DECLINED" : "success", durationMs / 1000);
        logger.info(
          { ...fields, deadline_header_ms: deadlineHeaderMs, duration_ms: durationMs, result: answer.status },
          "gateway attempt answered",
        );
        return answer;
      } catch (error) {
        // Anything but a classified gateway error is a bug of ours after the request may have left.
        maybeCharged ||= !(error instanceof GatewayError) || error.maybeCharged;
        this.#failed("charge", fields, startedAt, error);
        throw error;
      }
    }, deadlineAt);
    this.#refused("charge", call, result, { payment_key: request.paymentKey });
    if (result.errorClass === null) {
      return { status: "authorised", errorClass: null, attempts: result.attempts };
    }
    if (result.errorClass === "DECLINED") {
      return { status: "declined", errorClass: null, attempts: result.attempts };
    }
    // Refused before any attempt (breaker, bulkhead, deadline), nothing was sent: failed, nothing
    // charged. After an attempt that may have charged, a refused retry leaves the outcome open.
    return { status: maybeCharged ? "unknown" : "failed", errorClass: result.errorClass, attempts: result.attempts };
  }

  /**
   * What the gateway knows of the payment `paymentKey` (`GET /payments/{key}`, never a charge), through
   * the lookup's own policy; the result's `value` is the answer when `errorClass` is `null`.
   */
  async lookup(paymentKey: string): Promise<CallResult<PaymentLookup>> {
    const { gateway, clock, metrics } = this.#options;
    const call = this.#upstream.lookup;
    const result = await call.call(async ({ number, timeoutMs, deadlineHeaderMs }) => {
      const startedAt = clock.now();
      try {
        const answer = await gateway.lookup(paymentKey, { timeoutMs, deadlineHeaderMs });
        metrics.upstreamAttempt("lookup", "success", (clock.now() - startedAt) / 1000);
        return answer;
      } catch (error) {
        this.#failed("lookup", { payment_key: paymentKey, attempt: number, timeout_ms: timeoutMs }, startedAt, error);
        throw error;
      }
    });
    this.#refused("lookup", call, result, { payment_key: paymentKey });
    return result;
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
        metrics.upstreamAttempt("charge", answer.status === "declined" ? "DECLINED" : "success", seconds);
        logger.info(
          { payment_key: paymentKey, attempt: attempts, timeout_ms: timeoutMs, legacy: true, result: answer.status },
          "gateway attempt answered",
        );
        return { status: answer.status, errorClass: null, attempts };
      } catch (error) {
        errorClass = error instanceof ResilienceError ? error.errorClass : "INTERNAL";
        metrics.upstreamAttempt("charge", errorClass, (clock.now() - startedAt) / 1000);
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
      metrics.retryScheduled("charge");
      await clock.sleep(delayMs);
    }
    return { status: "failed", errorClass, attempts };
  }

  #failed(operation: Operation, fields: Record<string, unknown>, startedAt: number, error: unknown): void {
    const { clock, metrics, logger } = this.#options;
    const errorClass = error instanceof ResilienceError ? error.errorClass : "INTERNAL";
    const durationMs = clock.now() - startedAt;
    metrics.upstreamAttempt(operation, errorClass, durationMs / 1000);
    logger.warn(
      {
        ...fields,
        operation,
        duration_ms: durationMs,
        result: errorClass,
        maybe_charged: error instanceof GatewayError ? error.maybeCharged : true,
        err: error,
      },
      "gateway attempt failed",
    );
  }

  // A call the bulkhead refused says so, naming the operation and its limit: a sign of a slow gateway
  // (attempts pile up) or of a max_concurrent too small for the load.
  #refused(operation: Operation, call: ResilientCall<unknown>, result: CallResult<unknown>, fields: object): void {
    if (result.errorClass !== "BULKHEAD_FULL") {
      return;
    }
    const { maxConcurrent, inFlight } = call.bulkhead;
    this.#options.logger.warn(
      { ...fields, operation, error_class: "BULKHEAD_FULL", max_concurrent: maxConcurrent, in_flight: inFlight },
      `the gateway ${operation} bulkhead is full: ${inFlight} attempts in flight, max_concurrent ${maxConcurrent}; ` +
        (result.attempts === 0 ? "nothing was sent" : `attempt ${result.attempts + 1} was not sent`),
    );
  }
}
