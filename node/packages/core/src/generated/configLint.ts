// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903
// lint rules: tools/configlint/rules.py

import type { TimeoutConfig } from "./timeoutConfig.js";

export type LintSeverity = "error" | "warning";

/**
 * One rule that does not hold: `error` findings make the loader refuse the config.
 */
export interface LintFinding {
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly pointer: string;
  readonly message: string;
}

/**
 * Longest time one payment call can take with every attempt timing out.
 *
 * max_attempts × timeout_ms + Σ_{n=1}^{max_attempts-1} (b_n + jitter_ms), where b_1 =
 * base_delay_ms and b_n = min(max_delay_ms, floor(b_{n-1} × backoff_multiplier)), iterated exactly
 * as the backoff in config/SEMANTICS.md (jitter at its bound).
 */
export function worstCaseCallMs(settings: TimeoutConfig): number {
  const attempts = settings.payment.retry.max_attempts;
  let total = attempts * settings.payment.timeout_ms;
  let backoff = settings.payment.retry.base_delay_ms;
  for (let retry = 1; retry < attempts; retry += 1) {
    if (retry > 1) {
      backoff = Math.min(settings.payment.retry.max_delay_ms, Math.floor(backoff * settings.payment.retry.backoff_multiplier));
    }
    total += backoff + settings.payment.retry.jitter_ms;
  }
  return total;
}

/**
 * Every rule of tools/configlint/rules.py over schema-valid settings, in rule order.
 */
export function lintConfig(settings: TimeoutConfig): LintFinding[] {
  const findings: LintFinding[] = [];
  const worstCase = worstCaseCallMs(settings);

  // payment-timeout-covers-p99
  if (!(settings.payment.timeout_ms >= settings.payment.provider_expected_p99_ms)) {
    findings.push({
      rule: "payment-timeout-covers-p99",
      severity: "error",
      pointer: "/payment/timeout_ms",
      message: `payment timeout_ms is ${settings.payment.timeout_ms} ms, below the provider's expected p99 latency of ${settings.payment.provider_expected_p99_ms} ms, so legitimate payments will time out; expected timeout_ms >= provider_expected_p99_ms`,
    });
  }

  // payment-deadline-covers-retries
  if (!(worstCase <= settings.payment.deadline_ms)) {
    findings.push({
      rule: "payment-deadline-covers-retries",
      severity: "error",
      pointer: "/payment/deadline_ms",
      message: `payment deadline_ms is ${settings.payment.deadline_ms} ms, shorter than the worst case of one payment call (${worstCase} ms: every attempt timing out plus every backoff at its maximum); expected deadline_ms >= max_attempts x timeout_ms + backoff sleeps`,
    });
  }

  // retry-jitter-within-base
  if (!(settings.payment.retry.jitter_ms <= settings.payment.retry.base_delay_ms)) {
    findings.push({
      rule: "retry-jitter-within-base",
      severity: "error",
      pointer: "/payment/retry/jitter_ms",
      message: `retry jitter_ms is ${settings.payment.retry.jitter_ms} ms, larger than base_delay_ms ${settings.payment.retry.base_delay_ms} ms; expected jitter_ms <= base_delay_ms`,
    });
  }

  // retry-max-delay-covers-base
  if (!(settings.payment.retry.max_delay_ms >= settings.payment.retry.base_delay_ms)) {
    findings.push({
      rule: "retry-max-delay-covers-base",
      severity: "error",
      pointer: "/payment/retry/max_delay_ms",
      message: `retry max_delay_ms is ${settings.payment.retry.max_delay_ms} ms, below base_delay_ms ${settings.payment.retry.base_delay_ms} ms; expected max_delay_ms >= base_delay_ms`,
    });
  }

  // pool-acquire-within-deadline
  if (!(settings.database.pool.acquire_timeout_ms < settings.payment.deadline_ms)) {
    findings.push({
      rule: "pool-acquire-within-deadline",
      severity: "error",
      pointer: "/database/pool/acquire_timeout_ms",
      message: `database pool acquire_timeout_ms is ${settings.database.pool.acquire_timeout_ms} ms, not below the payment deadline_ms ${settings.payment.deadline_ms} ms; expected acquire_timeout_ms < deadline_ms`,
    });
  }

  // monitoring-warn-below-critical
  if (!(settings.monitoring.pool_utilization_warn < settings.monitoring.pool_utilization_critical)) {
    findings.push({
      rule: "monitoring-warn-below-critical",
      severity: "error",
      pointer: "/monitoring/pool_utilization_warn",
      message: `monitoring pool_utilization_warn is ${settings.monitoring.pool_utilization_warn}, not below pool_utilization_critical ${settings.monitoring.pool_utilization_critical}; expected warn < critical`,
    });
  }

  // circuit-breaker-enabled
  if (!(settings.payment.circuit_breaker.enabled === true)) {
    findings.push({
      rule: "circuit-breaker-enabled",
      severity: "warning",
      pointer: "/payment/circuit_breaker/enabled",
      message: `payment circuit_breaker enabled is ${settings.payment.circuit_breaker.enabled}: a failing provider will be called on every request; expected true`,
    });
  }

  // retry-backoff-grows
  if (!(settings.payment.retry.backoff_multiplier > 1 || settings.payment.retry.max_attempts === 1)) {
    findings.push({
      rule: "retry-backoff-grows",
      severity: "warning",
      pointer: "/payment/retry/backoff_multiplier",
      message: `retry backoff_multiplier is ${settings.payment.retry.backoff_multiplier} with max_attempts ${settings.payment.retry.max_attempts}: fixed retry delays keep hammering a struggling provider; expected backoff_multiplier > 1`,
    });
  }

  // retry-jitter-present
  if (!(settings.payment.retry.jitter_ms > 0 || settings.payment.retry.max_attempts === 1)) {
    findings.push({
      rule: "retry-jitter-present",
      severity: "warning",
      pointer: "/payment/retry/jitter_ms",
      message: `retry jitter_ms is ${settings.payment.retry.jitter_ms} with max_attempts ${settings.payment.retry.max_attempts}: retries of many callers fire in lockstep; expected jitter_ms > 0`,
    });
  }

  // legacy-hold-connection-off
  if (!(settings.order_service.legacy_hold_connection_during_payment === false)) {
    findings.push({
      rule: "legacy-hold-connection-off",
      severity: "warning",
      pointer: "/order_service/legacy_hold_connection_during_payment",
      message: `order_service legacy_hold_connection_during_payment is ${settings.order_service.legacy_hold_connection_during_payment}: every payment in flight holds a database connection, the pool exhaustion of the incident; expected false (true exists only to replay the incident)`,
    });
  }

  // legacy-retry-timeout-as-new-payment-off
  if (!(settings.order_service.legacy_retry_timeout_as_new_payment === false)) {
    findings.push({
      rule: "legacy-retry-timeout-as-new-payment-off",
      severity: "warning",
      pointer: "/order_service/legacy_retry_timeout_as_new_payment",
      message: `order_service legacy_retry_timeout_as_new_payment is ${settings.order_service.legacy_retry_timeout_as_new_payment}: a payment attempt that timed out is retried as a new payment under a fresh Idempotency-Key, so every abandoned attempt that completes charges the customer again, the retry storm and double charges of the incident; expected false (true exists only to replay the incident)`,
    });
  }

  // fleet-connections-fit
  const fleetConnections = settings.database.pool.max_connections * settings.fleet.order_service_replicas + settings.database.gateway_pool.max_connections * settings.fleet.gateway_replicas + settings.fleet.database_reserved_connections;
  if (!(fleetConnections <= settings.fleet.database_max_connections)) {
    findings.push({
      rule: "fleet-connections-fit",
      severity: "error",
      pointer: "/fleet/database_max_connections",
      message: `the fleet can open ${fleetConnections} PostgreSQL connections: order service pool max_connections ${settings.database.pool.max_connections} x ${settings.fleet.order_service_replicas} replicas + gateway pool max_connections ${settings.database.gateway_pool.max_connections} x ${settings.fleet.gateway_replicas} replicas + ${settings.fleet.database_reserved_connections} reserved, more than fleet database_max_connections ${settings.fleet.database_max_connections}; expected pools x replicas + reserved <= database_max_connections`,
    });
  }

  // deadline-floor-leaves-an-attempt
  const floorPlusMargin = settings.payment.min_deadline_ms + settings.payment.answer_margin_ms;
  if (!(floorPlusMargin <= settings.payment.timeout_ms)) {
    findings.push({
      rule: "deadline-floor-leaves-an-attempt",
      severity: "error",
      pointer: "/payment/min_deadline_ms",
      message: `payment min_deadline_ms ${settings.payment.min_deadline_ms} ms + answer_margin_ms ${settings.payment.answer_margin_ms} ms is ${floorPlusMargin} ms, more than timeout_ms ${settings.payment.timeout_ms} ms: even an attempt with the whole timeout would send an X-Deadline-Ms below the next hop's floor; expected min_deadline_ms + answer_margin_ms <= timeout_ms`,
    });
  }

  // answer-margin-below-deadline-floor
  if (!(settings.payment.answer_margin_ms < settings.payment.min_deadline_ms)) {
    findings.push({
      rule: "answer-margin-below-deadline-floor",
      severity: "error",
      pointer: "/payment/answer_margin_ms",
      message: `payment answer_margin_ms is ${settings.payment.answer_margin_ms} ms, not below min_deadline_ms ${settings.payment.min_deadline_ms} ms: a request accepted with the shortest deadline could never start an attempt; expected answer_margin_ms < min_deadline_ms`,
    });
  }

  // idempotency-lease-outlives-deadline
  if (!(settings.gateway.idempotency.lease_ms > settings.payment.deadline_ms)) {
    findings.push({
      rule: "idempotency-lease-outlives-deadline",
      severity: "error",
      pointer: "/gateway/idempotency/lease_ms",
      message: `gateway idempotency lease_ms is ${settings.gateway.idempotency.lease_ms} ms, not longer than payment deadline_ms ${settings.payment.deadline_ms} ms: a lease could run out while its payment is still running and a second request would charge again; expected lease_ms > deadline_ms`,
    });
  }

  // idempotency-retention-covers-lease
  if (!(settings.gateway.idempotency.retention_ms >= settings.gateway.idempotency.lease_ms)) {
    findings.push({
      rule: "idempotency-retention-covers-lease",
      severity: "error",
      pointer: "/gateway/idempotency/retention_ms",
      message: `gateway idempotency retention_ms is ${settings.gateway.idempotency.retention_ms} ms, shorter than lease_ms ${settings.gateway.idempotency.lease_ms} ms: a record in flight could be deleted; expected retention_ms >= lease_ms`,
    });
  }

  // idempotency-retention-covers-a-day
  if (!(settings.gateway.idempotency.retention_ms >= 86400000)) {
    findings.push({
      rule: "idempotency-retention-covers-a-day",
      severity: "warning",
      pointer: "/gateway/idempotency/retention_ms",
      message: `gateway idempotency retention_ms is ${settings.gateway.idempotency.retention_ms} ms, less than 24 h: a client retrying a payment after that with the same Idempotency-Key is charged again; expected retention_ms >= 86400000 (the IETF Idempotency-Key draft suggests 24 h)`,
    });
  }

  // lookup-timeout-covers-p99
  if (!(settings.payment.lookup.timeout_ms >= settings.payment.lookup.provider_expected_p99_ms)) {
    findings.push({
      rule: "lookup-timeout-covers-p99",
      severity: "error",
      pointer: "/payment/lookup/timeout_ms",
      message: `payment lookup timeout_ms is ${settings.payment.lookup.timeout_ms} ms, below the lookup's expected p99 latency of ${settings.payment.lookup.provider_expected_p99_ms} ms, so reconciliation would time out on healthy lookups; expected timeout_ms >= provider_expected_p99_ms`,
    });
  }

  // lookup-deadline-floor-leaves-an-attempt
  if (!(settings.payment.min_deadline_ms + settings.payment.answer_margin_ms <= settings.payment.lookup.timeout_ms)) {
    findings.push({
      rule: "lookup-deadline-floor-leaves-an-attempt",
      severity: "error",
      pointer: "/payment/lookup/timeout_ms",
      message: `payment min_deadline_ms ${settings.payment.min_deadline_ms} ms + answer_margin_ms ${settings.payment.answer_margin_ms} ms is more than lookup timeout_ms ${settings.payment.lookup.timeout_ms} ms: no lookup attempt could send an X-Deadline-Ms the next hop accepts; expected min_deadline_ms + answer_margin_ms <= lookup timeout_ms`,
    });
  }

  // lookup-retry-jitter-within-base
  if (!(settings.payment.lookup.retry.jitter_ms <= settings.payment.lookup.retry.base_delay_ms)) {
    findings.push({
      rule: "lookup-retry-jitter-within-base",
      severity: "error",
      pointer: "/payment/lookup/retry/jitter_ms",
      message: `lookup retry jitter_ms is ${settings.payment.lookup.retry.jitter_ms} ms, larger than base_delay_ms ${settings.payment.lookup.retry.base_delay_ms} ms; expected jitter_ms <= base_delay_ms`,
    });
  }

  // lookup-retry-max-delay-covers-base
  if (!(settings.payment.lookup.retry.max_delay_ms >= settings.payment.lookup.retry.base_delay_ms)) {
    findings.push({
      rule: "lookup-retry-max-delay-covers-base",
      severity: "error",
      pointer: "/payment/lookup/retry/max_delay_ms",
      message: `lookup retry max_delay_ms is ${settings.payment.lookup.retry.max_delay_ms} ms, below base_delay_ms ${settings.payment.lookup.retry.base_delay_ms} ms; expected max_delay_ms >= base_delay_ms`,
    });
  }
  return findings;
}
