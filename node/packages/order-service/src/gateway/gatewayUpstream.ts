// The gateway as @checkout/core's Upstream (SEMANTICS.md §11): the charge (`POST /payments`) and the
// lookup (`GET /payments/{key}`) each with their own policy, breaker, retry budget and bulkhead, built
// from the config's `payment` section and reconfigured on every reload.
import {
  ResilienceError,
  SUCCESS,
  Upstream,
  verdictOf,
  OPERATIONS,
  type AttemptVerdict,
  type Classifier,
  type PaymentSettings,
} from "@checkout/core";
import type { Logger } from "pino";

import type { Clock } from "../clock.js";
import type { Metrics } from "../observability/metrics.js";
import { GatewayError, type PaymentAnswer, type PaymentLookup } from "./gatewayClient.js";

/** The gateway's two operations: a charge answers a payment, a lookup what the gateway knows of one. */
export type GatewayUpstream = Upstream<PaymentAnswer, PaymentLookup>;

// An error an attempt ends with. A GatewayError was classified at the call site (SEMANTICS.md §6);
// anything else is a bug of ours after the request may have left: INTERNAL, and the payment unknown
// rather than the error rethrown, so no order is left without an outcome.
function classifyError(error: unknown): AttemptVerdict {
  if (error instanceof GatewayError) {
    return error.verdict;
  }
  if (error instanceof ResilienceError) {
    return verdictOf(error.errorClass, error.retryable ? null : false);
  }
  return verdictOf("INTERNAL");
}

/** A declined payment is an answer the call ends with, not a fault (SEMANTICS.md §6). */
export const CHARGE_CLASSIFIER: Classifier<PaymentAnswer> = Object.freeze({
  classifyResult: (answer: PaymentAnswer) => (answer.status === "declined" ? verdictOf("DECLINED") : SUCCESS),
  classifyError,
});

/** Every lookup answer is a success, the gateway's own NOT_FOUND included: it says what it knows. */
export const LOOKUP_CLASSIFIER: Classifier<PaymentLookup> = Object.freeze({
  classifyResult: () => SUCCESS,
  classifyError,
});

export interface GatewayUpstreamOptions {
  readonly payment: PaymentSettings;
  readonly clock: Clock;
  readonly random: () => number;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * The gateway in the `relay` role (SEMANTICS.md §7) for both operations: it runs its own retries
 * inside the time each attempt is given, so only a CONNECTION failure is retried here.
 */
export function gatewayUpstream({ payment, clock, random, metrics, logger }: GatewayUpstreamOptions): GatewayUpstream {
  return new Upstream<PaymentAnswer, PaymentLookup>({
    payment,
    role: "relay",
    classifiers: { charge: CHARGE_CLASSIFIER, lookup: LOOKUP_CLASSIFIER },
    clock: clock.now,
    random,
    sleep: (ms, operation) => {
      metrics.retryScheduled(operation);
      return clock.sleep(ms);
    },
    onTransition: (operation, transition) => {
      metrics.breakerTransition(operation, transition);
      logger.warn(
        {
          upstream: "gateway",
          operation,
          from: transition.fromState,
          to: transition.toState,
          generation: transition.generation,
        },
        `the gateway ${operation} circuit breaker went from ${transition.fromState} to ${transition.toState}`,
      );
    },
  });
}

/**
 * Applies a reloaded `payment` section (SEMANTICS.md §11) and logs, per operation, what it rebuilt: a
 * breaker or budget whose settings are unchanged is kept (an open breaker stays open).
 */
export function reconfigureGateway(upstream: GatewayUpstream, payment: PaymentSettings, logger: Logger): void {
  const before = OPERATIONS.map((operation) => upstream.operation(operation));
  upstream.reconfigure(payment);
  OPERATIONS.forEach((operation, index) => {
    const [was, now] = [before[index], upstream.operation(operation)];
    if (was?.breaker !== now.breaker) {
      logger.info(
        { operation, circuit_breaker: now.breaker.settings },
        `the gateway ${operation} circuit breaker was rebuilt from the reloaded config`,
      );
    }
    if (was?.budget !== now.budget) {
      logger.info(
        { operation, retry_budget: now.budget.settings },
        `the gateway ${operation} retry budget was rebuilt from the reloaded config`,
      );
    }
  });
}
