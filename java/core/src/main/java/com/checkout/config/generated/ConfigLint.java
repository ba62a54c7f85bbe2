// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903
package com.checkout.config.generated;

import com.checkout.config.LintFinding;
import com.checkout.config.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * The semantic lint of tools/configlint/rules.py over schema-valid settings: a rule holds when
 * its predicate is true, otherwise it yields a finding.
 */
public final class ConfigLint {
    private ConfigLint() {}

    /**
     * Every finding of the rules, in the order the rules are written.
     *
     * @param settings schema-valid settings
     * @return the findings; empty when every rule holds
     */
    public static List<LintFinding> lint(TimeoutConfig settings) {
        List<LintFinding> findings = new ArrayList<>();
        long worstCaseCallMs = worstCaseCallMs(settings);
        // payment-timeout-covers-p99
        if (!(settings.payment().timeoutMs() >= settings.payment().providerExpectedP99Ms())) {
            findings.add(new LintFinding(
                    "payment-timeout-covers-p99",
                    Severity.ERROR,
                    "/payment/timeout_ms",
                    "payment timeout_ms is "
                    + settings.payment().timeoutMs()
                    + " ms, below the provider's expected p99 latency of "
                    + settings.payment().providerExpectedP99Ms()
                    + " ms, so legitimate payments will time out; expected timeout_ms >= "
                    + "provider_expected_p99_ms"));
        }
        // payment-deadline-covers-retries
        if (!(worstCaseCallMs <= settings.payment().deadlineMs())) {
            findings.add(new LintFinding(
                    "payment-deadline-covers-retries",
                    Severity.ERROR,
                    "/payment/deadline_ms",
                    "payment deadline_ms is "
                    + settings.payment().deadlineMs()
                    + " ms, shorter than the worst case of one payment call ("
                    + worstCaseCallMs
                    + " ms: every attempt timing out plus every backoff at its maximum); "
                    + "expected deadline_ms >= max_attempts x timeout_ms + backoff sleeps"));
        }
        // retry-jitter-within-base
        if (!(settings.payment().retry().jitterMs() <= settings.payment().retry().baseDelayMs())) {
            findings.add(new LintFinding(
                    "retry-jitter-within-base",
                    Severity.ERROR,
                    "/payment/retry/jitter_ms",
                    "retry jitter_ms is "
                    + settings.payment().retry().jitterMs()
                    + " ms, larger than base_delay_ms "
                    + settings.payment().retry().baseDelayMs()
                    + " ms; expected jitter_ms <= base_delay_ms"));
        }
        // retry-max-delay-covers-base
        if (!(settings.payment().retry().maxDelayMs() >= settings.payment().retry().baseDelayMs())) {
            findings.add(new LintFinding(
                    "retry-max-delay-covers-base",
                    Severity.ERROR,
                    "/payment/retry/max_delay_ms",
                    "retry max_delay_ms is "
                    + settings.payment().retry().maxDelayMs()
                    + " ms, below base_delay_ms "
                    + settings.payment().retry().baseDelayMs()
                    + " ms; expected max_delay_ms >= base_delay_ms"));
        }
        // pool-acquire-within-deadline
        if (!(settings.database().pool().acquireTimeoutMs() < settings.payment().deadlineMs())) {
            findings.add(new LintFinding(
                    "pool-acquire-within-deadline",
                    Severity.ERROR,
                    "/database/pool/acquire_timeout_ms",
                    "database pool acquire_timeout_ms is "
                    + settings.database().pool().acquireTimeoutMs()
                    + " ms, not below the payment deadline_ms "
                    + settings.payment().deadlineMs()
                    + " ms; expected acquire_timeout_ms < deadline_ms"));
        }
        // monitoring-warn-below-critical
        if (!(settings.monitoring().poolUtilizationWarn() < settings.monitoring().poolUtilizationCritical())) {
            findings.add(new LintFinding(
                    "monitoring-warn-below-critical",
                    Severity.ERROR,
                    "/monitoring/pool_utilization_warn",
                    "monitoring pool_utilization_warn is "
                    + settings.monitoring().poolUtilizationWarn()
                    + ", not below pool_utilization_critical "
                    + settings.monitoring().poolUtilizationCritical()
                    + "; expected warn < critical"));
        }
        // circuit-breaker-enabled
        if (!(settings.payment().circuitBreaker().enabled() == true)) {
            findings.add(new LintFinding(
                    "circuit-breaker-enabled",
                    Severity.WARNING,
                    "/payment/circuit_breaker/enabled",
                    "payment circuit_breaker enabled is "
                    + settings.payment().circuitBreaker().enabled()
                    + ": a failing provider will be called on every request; expected true"));
        }
        // retry-backoff-grows
        if (!((settings.payment().retry().backoffMultiplier() > 1L)
                || (settings.payment().retry().maxAttempts() == 1L))) {
            findings.add(new LintFinding(
                    "retry-backoff-grows",
                    Severity.WARNING,
                    "/payment/retry/backoff_multiplier",
                    "retry backoff_multiplier is "
                    + settings.payment().retry().backoffMultiplier()
                    + " with max_attempts "
                    + settings.payment().retry().maxAttempts()
                    + ": fixed retry delays keep hammering a struggling provider; expected "
                    + "backoff_multiplier > 1"));
        }
        // retry-jitter-present
        if (!((settings.payment().retry().jitterMs() > 0L)
                || (settings.payment().retry().maxAttempts() == 1L))) {
            findings.add(new LintFinding(
                    "retry-jitter-present",
                    Severity.WARNING,
                    "/payment/retry/jitter_ms",
                    "retry jitter_ms is "
                    + settings.payment().retry().jitterMs()
                    + " with max_attempts "
                    + settings.payment().retry().maxAttempts()
                    + ": retries of many callers fire in lockstep; expected jitter_ms > 0"));
        }
        // legacy-hold-connection-off
        if (!(settings.orderService().legacyHoldConnectionDuringPayment() == false)) {
            findings.add(new LintFinding(
                    "legacy-hold-connection-off",
                    Severity.WARNING,
                    "/order_service/legacy_hold_connection_during_payment",
                    "order_service legacy_hold_connection_during_payment is "
                    + settings.orderService().legacyHoldConnectionDuringPayment()
                    + ": every payment in flight holds a database connection, the pool "
                    + "exhaustion of the incident; expected false (true exists only to replay "
                    + "the incident)"));
        }
        // legacy-retry-timeout-as-new-payment-off
        if (!(settings.orderService().legacyRetryTimeoutAsNewPayment() == false)) {
            findings.add(new LintFinding(
                    "legacy-retry-timeout-as-new-payment-off",
                    Severity.WARNING,
                    "/order_service/legacy_retry_timeout_as_new_payment",
                    "order_service legacy_retry_timeout_as_new_payment is "
                    + settings.orderService().legacyRetryTimeoutAsNewPayment()
                    + ": a payment attempt that timed out is retried as a new payment under a "
                    + "fresh Idempotency-Key, so every abandoned attempt that completes "
                    + "charges the customer again, the retry storm and double charges of the "
                    + "incident; expected false (true exists only to replay the incident)"));
        }
        // fleet-connections-fit
        long fleetConnections = settings.database().pool().maxConnections() * settings.fleet().orderServiceReplicas()
                + settings.database().gatewayPool().maxConnections() * settings.fleet().gatewayReplicas()
                + settings.fleet().databaseReservedConnections();
        if (!(fleetConnections <= settings.fleet().databaseMaxConnections())) {
            findings.add(new LintFinding(
                    "fleet-connections-fit",
                    Severity.ERROR,
                    "/fleet/database_max_connections",
                    "the fleet can open "
                    + fleetConnections
                    + " PostgreSQL connections: order service pool max_connections "
                    + settings.database().pool().maxConnections()
                    + " x "
                    + settings.fleet().orderServiceReplicas()
                    + " replicas + gateway pool max_connections "
                    + settings.database().gatewayPool().maxConnections()
                    + " x "
                    + settings.fleet().gatewayReplicas()
                    + " replicas + "
                    + settings.fleet().databaseReservedConnections()
                    + " reserved, more than fleet database_max_connections "
                    + settings.fleet().databaseMaxConnections()
                    + "; expected pools x replicas + reserved <= database_max_connections"));
        }
        // deadline-floor-leaves-an-attempt
        long floorPlusMargin = settings.payment().minDeadlineMs()
                + settings.payment().answerMarginMs();
        if (!(floorPlusMargin <= settings.payment().timeoutMs())) {
            findings.add(new LintFinding(
                    "deadline-floor-leaves-an-attempt",
                    Severity.ERROR,
                    "/payment/min_deadline_ms",
                    "payment min_deadline_ms "
                    + settings.payment().minDeadlineMs()
                    + " ms + answer_margin_ms "
                    + settings.payment().answerMarginMs()
                    + " ms is "
                    + floorPlusMargin
                    + " ms, more than timeout_ms "
                    + settings.payment().timeoutMs()
                    + " ms: even an attempt with the whole timeout would send an X-Deadline-Ms "
                    + "below the next hop's floor; expected min_deadline_ms + answer_margin_ms "
                    + "<= timeout_ms"));
        }
        // answer-margin-below-deadline-floor
        if (!(settings.payment().answerMarginMs() < settings.payment().minDeadlineMs())) {
            findings.add(new LintFinding(
                    "answer-margin-below-deadline-floor",
                    Severity.ERROR,
                    "/payment/answer_margin_ms",
                    "payment answer_margin_ms is "
                    + settings.payment().answerMarginMs()
                    + " ms, not below min_deadline_ms "
                    + settings.payment().minDeadlineMs()
                    + " ms: a request accepted with the shortest deadline could never start an "
                    + "attempt; expected answer_margin_ms < min_deadline_ms"));
        }
        // idempotency-lease-outlives-deadline
        if (!(settings.gateway().idempotency().leaseMs() > settings.payment().deadlineMs())) {
            findings.add(new LintFinding(
                    "idempotency-lease-outlives-deadline",
                    Severity.ERROR,
                    "/gateway/idempotency/lease_ms",
                    "gateway idempotency lease_ms is "
                    + settings.gateway().idempotency().leaseMs()
                    + " ms, not longer than payment deadline_ms "
                    + settings.payment().deadlineMs()
                    + " ms: a lease could run out while its payment is still running and a "
                    + "second request would charge again; expected lease_ms > deadline_ms"));
        }
        // idempotency-retention-covers-lease
        if (!(settings.gateway().idempotency().retentionMs() >= settings.gateway().idempotency().leaseMs())) {
            findings.add(new LintFinding(
                    "idempotency-retention-covers-lease",
                    Severity.ERROR,
                    "/gateway/idempotency/retention_ms",
                    "gateway idempotency retention_ms is "
                    + settings.gateway().idempotency().retentionMs()
                    + " ms, shorter than lease_ms "
                    + settings.gateway().idempotency().leaseMs()
                    + " ms: a record in flight could be deleted; expected retention_ms >= "
                    + "lease_ms"));
        }
        // idempotency-retention-covers-a-day
        if (!(settings.gateway().idempotency().retentionMs() >= 86400000L)) {
            findings.add(new LintFinding(
                    "idempotency-retention-covers-a-day",
                    Severity.WARNING,
                    "/gateway/idempotency/retention_ms",
                    "gateway idempotency retention_ms is "
                    + settings.gateway().idempotency().retentionMs()
                    + " ms, less than 24 h: a client retrying a payment after that with the "
                    + "same Idempotency-Key is charged again; expected retention_ms >= "
                    + "86400000 (the IETF Idempotency-Key draft suggests 24 h)"));
        }
        // lookup-timeout-covers-p99
        if (!(settings.payment().lookup().timeoutMs() >= settings.payment().lookup().providerExpectedP99Ms())) {
            findings.add(new LintFinding(
                    "lookup-timeout-covers-p99",
                    Severity.ERROR,
                    "/payment/lookup/timeout_ms",
                    "payment lookup timeout_ms is "
                    + settings.payment().lookup().timeoutMs()
                    + " ms, below the lookup's expected p99 latency of "
                    + settings.payment().lookup().providerExpectedP99Ms()
                    + " ms, so reconciliation would time out on healthy lookups; expected "
                    + "timeout_ms >= provider_expected_p99_ms"));
        }
        // lookup-deadline-floor-leaves-an-attempt
        if (!(settings.payment().minDeadlineMs() + settings.payment().answerMarginMs() <= settings.payment().lookup().timeoutMs())) {
            findings.add(new LintFinding(
                    "lookup-deadline-floor-leaves-an-attempt",
                    Severity.ERROR,
                    "/payment/lookup/timeout_ms",
                    "payment min_deadline_ms "
                    + settings.payment().minDeadlineMs()
                    + " ms + answer_margin_ms "
                    + settings.payment().answerMarginMs()
                    + " ms is more than lookup timeout_ms "
                    + settings.payment().lookup().timeoutMs()
                    + " ms: no lookup attempt could send an X-Deadline-Ms the next hop "
                    + "accepts; expected min_deadline_ms + answer_margin_ms <= lookup "
                    + "timeout_ms"));
        }
        // lookup-retry-jitter-within-base
        if (!(settings.payment().lookup().retry().jitterMs() <= settings.payment().lookup().retry().baseDelayMs())) {
            findings.add(new LintFinding(
                    "lookup-retry-jitter-within-base",
                    Severity.ERROR,
                    "/payment/lookup/retry/jitter_ms",
                    "lookup retry jitter_ms is "
                    + settings.payment().lookup().retry().jitterMs()
                    + " ms, larger than base_delay_ms "
                    + settings.payment().lookup().retry().baseDelayMs()
                    + " ms; expected jitter_ms <= base_delay_ms"));
        }
        // lookup-retry-max-delay-covers-base
        if (!(settings.payment().lookup().retry().maxDelayMs() >= settings.payment().lookup().retry().baseDelayMs())) {
            findings.add(new LintFinding(
                    "lookup-retry-max-delay-covers-base",
                    Severity.ERROR,
                    "/payment/lookup/retry/max_delay_ms",
                    "lookup retry max_delay_ms is "
                    + settings.payment().lookup().retry().maxDelayMs()
                    + " ms, below base_delay_ms "
                    + settings.payment().lookup().retry().baseDelayMs()
                    + " ms; expected max_delay_ms >= base_delay_ms"));
        }
        return List.copyOf(findings);
    }

    /**
     * Longest time one payment call can take with every attempt timing out: max_attempts x
     * timeout_ms plus, for each retry n, the backoff b_n at its cap and the jitter at its
     * bound, where b_1 = base_delay_ms and b_n = min(max_delay_ms, floor(b_(n-1) x
     * backoff_multiplier)).
     *
     * @param settings schema-valid settings
     * @return the worst case in milliseconds
     */
    public static long worstCaseCallMs(TimeoutConfig settings) {
        long attempts = settings.payment().retry().maxAttempts();
        long total = attempts * settings.payment().timeoutMs();
        long backoff = settings.payment().retry().baseDelayMs();
        for (long retry = 1; retry < attempts; retry++) {
            if (retry > 1) {
                long grown = (long) Math.floor(backoff * settings.payment().retry().backoffMultiplier());
                backoff = Math.min(settings.payment().retry().maxDelayMs(), grown);
            }
            total += backoff + settings.payment().retry().jitterMs();
        }
        return total;
    }
}
