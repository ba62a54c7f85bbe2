// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903
package com.checkout.config.generated;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Timeouts, pool sizes, retry, circuit-breaker and monitoring settings of the checkout payment
 * path. The one source of truth: every service and client reads its part of this document.
 *
 * @param version Human-readable release label of this config, shown on every /health endpoint
 *     next to the fingerprint. Letters, digits, '.', '_' and '-'; the pattern ends in
 *     (?![\s\S]) rather than $ because Python's and Java's $ also match before a trailing
 *     newline and ECMA-262's does not.
 * @param payment How callers talk to the payment gateway and the gateway to the payment
 *     provider: the charge's policy, the hop's deadline floor and margin, and the lookup's own
 *     policy.
 * @param database PostgreSQL access of the order service and the payment gateway, one pool
 *     each.
 * @param gateway The Java payment gateway's own settings.
 * @param fleet How many replicas of each service share the one PostgreSQL server, for the
 *     connection budget the lint checks.
 * @param monitoring Pool health checks and alert thresholds.
 * @param orderService The Node.js order service's own settings.
 * @param lambda The Python Lambda handler's own settings.
 */
@JsonIgnoreProperties({"$schema"})
public record TimeoutConfig(
        @JsonProperty("version") String version,
        @JsonProperty("payment") PaymentSettings payment,
        @JsonProperty("database") DatabaseSettings database,
        @JsonProperty("gateway") GatewaySettings gateway,
        @JsonProperty("fleet") FleetSettings fleet,
        @JsonProperty("monitoring") MonitoringSettings monitoring,
        @JsonProperty("order_service") OrderServiceSettings orderService,
        @JsonProperty("lambda") LambdaSettings lambda) {

    /**
     * How callers talk to the payment gateway and the gateway to the payment provider: the
     * charge's policy, the hop's deadline floor and margin, and the lookup's own policy.
     *
     * @param timeoutMs Per-attempt timeout of one payment call, in milliseconds. Must cover the
     *     provider's expected p99 latency (the incident cut it to 5000 while payments took
     *     10-20 s).
     * @param deadlineMs Overall deadline of one payment, all attempts and backoff sleeps
     *     included, in milliseconds. The remaining part travels downstream in the X-Deadline-Ms
     *     header.
     * @param providerExpectedP99Ms The payment provider's expected p99 latency, in
     *     milliseconds; the lint requires timeout_ms &gt;= this value.
     * @param minDeadlineMs The shortest X-Deadline-Ms a service accepts, in milliseconds: a
     *     header value in 1 .. min_deadline_ms-1 is refused with 400 INVALID_REQUEST before any
     *     work (a value &lt;= 0 stays 504 DEADLINE_EXCEEDED). The lint requires min_deadline_ms
     *     + answer_margin_ms &lt;= timeout_ms and answer_margin_ms &lt; min_deadline_ms.
     * @param answerMarginMs Time kept for an answer's way back, in milliseconds: every outgoing
     *     X-Deadline-Ms is the attempt's timeout minus this, and an attempt whose header would
     *     fall below min_deadline_ms does not start (SEMANTICS §5).
     * @param retry The charge's backoff between attempts.
     * @param circuitBreaker The charge's breaker: one per upstream per process.
     * @param retryBudget The charge's retry budget: one per upstream per process.
     * @param bulkhead The charge's concurrency limit per process: 20 s attempts under a
     *     provider slowdown must not pin every worker.
     * @param lookup The policy of a payment lookup; the fields above are the charge's.
     */
    public record PaymentSettings(
            @JsonProperty("timeout_ms") long timeoutMs,
            @JsonProperty("deadline_ms") long deadlineMs,
            @JsonProperty("provider_expected_p99_ms") long providerExpectedP99Ms,
            @JsonProperty("min_deadline_ms") long minDeadlineMs,
            @JsonProperty("answer_margin_ms") long answerMarginMs,
            @JsonProperty("retry") RetrySettings retry,
            @JsonProperty("circuit_breaker") CircuitBreakerSettings circuitBreaker,
            @JsonProperty("retry_budget") RetryBudgetSettings retryBudget,
            @JsonProperty("bulkhead") BulkheadSettings bulkhead,
            @JsonProperty("lookup") LookupSettings lookup) {
    }

    /**
     * Exponential backoff with jitter between attempts of one payment.
     *
     * @param maxAttempts Maximum attempts of one call, the first included (1 = never retry).
     * @param baseDelayMs Backoff before the first retry, before jitter, in milliseconds.
     * @param backoffMultiplier Factor applied to the previous backoff for each further retry (1
     *     = fixed delays).
     * @param jitterMs Upper bound (exclusive) of the random delay added to every backoff, in
     *     milliseconds; 0 disables jitter.
     * @param maxDelayMs Cap on the backoff before jitter, in milliseconds; jitter is still
     *     added on top.
     */
    public record RetrySettings(
            @JsonProperty("max_attempts") long maxAttempts,
            @JsonProperty("base_delay_ms") long baseDelayMs,
            @JsonProperty("backoff_multiplier") double backoffMultiplier,
            @JsonProperty("jitter_ms") long jitterMs,
            @JsonProperty("max_delay_ms") long maxDelayMs) {
    }

    /**
     * Stops calling an upstream that keeps failing, then probes it.
     *
     * @param enabled Whether calls go through the circuit breaker; the lint warns when it is
     *     off.
     * @param failureThreshold Consecutive failures that open the breaker (the 5th failure opens
     *     it when 5).
     * @param recoveryTimeoutMs Time an open breaker rejects calls before it lets half-open
     *     trial calls through, in milliseconds.
     * @param halfOpenMaxCalls Trial calls admitted while half-open; that many successes close
     *     the breaker, any failure re-opens it.
     */
    public record CircuitBreakerSettings(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("failure_threshold") long failureThreshold,
            @JsonProperty("recovery_timeout_ms") long recoveryTimeoutMs,
            @JsonProperty("half_open_max_calls") long halfOpenMaxCalls) {
    }

    /**
     * Token bucket that caps retries while an upstream fails (after gRPC retry throttling).
     *
     * @param maxTokens Bucket size in tokens; it starts full and retries are allowed only while
     *     more than half is left.
     * @param tokenRatio Tokens returned to the bucket by each success (each failure takes 1);
     *     at most three decimal places, the kernels work in milli-tokens.
     */
    public record RetryBudgetSettings(
            @JsonProperty("max_tokens") long maxTokens,
            @JsonProperty("token_ratio") double tokenRatio) {
    }

    /**
     * A concurrency limit (bulkhead) on one operation of one upstream, per process: at most
     * max_concurrent attempts in flight at once; an attempt that finds every slot taken does
     * not start and the call ends BULKHEAD_FULL (SEMANTICS §11).
     *
     * @param maxConcurrent Most attempts of this operation in flight at once in one process;
     *     one more ends its call with BULKHEAD_FULL, nothing sent.
     */
    public record BulkheadSettings(
            @JsonProperty("max_concurrent") long maxConcurrent) {
    }

    /**
     * The policy of a payment lookup (GET /payments/{key}, the provider's status query): its
     * own timeout, retries, breaker, budget and bulkhead, so a reconciliation storm of lookups
     * cannot open the charge breaker or spend the charge budget (SEMANTICS §11).
     * min_deadline_ms and answer_margin_ms are the payment's: the same hop receives both.
     *
     * @param timeoutMs Per-attempt timeout of one lookup, in milliseconds; the lint requires it
     *     to cover provider_expected_p99_ms and min_deadline_ms + answer_margin_ms.
     * @param deadlineMs Overall deadline of one lookup that received none, in milliseconds.
     * @param providerExpectedP99Ms The expected p99 latency of a lookup, in milliseconds (the
     *     evidence rule's bound, SEMANTICS §5).
     * @param retry The lookup's backoff between attempts.
     * @param circuitBreaker The lookup's own breaker.
     * @param retryBudget The lookup's own retry budget.
     * @param bulkhead The lookup's own concurrency limit.
     */
    public record LookupSettings(
            @JsonProperty("timeout_ms") long timeoutMs,
            @JsonProperty("deadline_ms") long deadlineMs,
            @JsonProperty("provider_expected_p99_ms") long providerExpectedP99Ms,
            @JsonProperty("retry") RetrySettings retry,
            @JsonProperty("circuit_breaker") CircuitBreakerSettings circuitBreaker,
            @JsonProperty("retry_budget") RetryBudgetSettings retryBudget,
            @JsonProperty("bulkhead") BulkheadSettings bulkhead) {
    }

    /**
     * PostgreSQL access of the order service and the payment gateway, one pool each.
     *
     * @param pool The order service's PostgreSQL connection pool (one per order-service
     *     replica).
     * @param gatewayPool The payment gateway's PostgreSQL connection pool (HikariCP, one per
     *     gateway replica).
     */
    public record DatabaseSettings(
            @JsonProperty("pool") PoolSettings pool,
            @JsonProperty("gateway_pool") PoolSettings gatewayPool) {
    }

    /**
     * A PostgreSQL connection pool.
     *
     * @param maxConnections Maximum open connections in the pool.
     * @param acquireTimeoutMs How long a request waits for a free connection before it fails,
     *     in milliseconds.
     * @param idleTimeoutMs How long an idle connection stays open before the pool closes it, in
     *     milliseconds.
     */
    public record PoolSettings(
            @JsonProperty("max_connections") long maxConnections,
            @JsonProperty("acquire_timeout_ms") long acquireTimeoutMs,
            @JsonProperty("idle_timeout_ms") long idleTimeoutMs) {
    }

    /**
     * The Java payment gateway's own settings.
     *
     * @param idempotency How long the gateway keeps payment records per Idempotency-Key, and
     *     the lease of one in flight.
     */
    public record GatewaySettings(
            @JsonProperty("idempotency") IdempotencySettings idempotency) {
    }

    /**
     * How long the gateway keeps payment records per Idempotency-Key, and the lease of one in
     * flight.
     *
     * @param retentionMs How long a payment record (and so its Idempotency-Key) is kept and a
     *     final answer replayed, in milliseconds; at most 30 days. The lint requires
     *     retention_ms &gt;= lease_ms and warns below 24 h (86400000), the retention the IETF
     *     Idempotency-Key draft suggests.
     * @param leaseMs Lease of an in-flight payment record, in milliseconds: until it runs out
     *     no other request or replica runs the payment again. The lint requires lease_ms &gt;
     *     payment.deadline_ms, so a lease never ends while its payment may still be running.
     * @param reaperIntervalMs How often each gateway replica deletes records past retention_ms,
     *     in milliseconds.
     */
    public record IdempotencySettings(
            @JsonProperty("retention_ms") long retentionMs,
            @JsonProperty("lease_ms") long leaseMs,
            @JsonProperty("reaper_interval_ms") long reaperIntervalMs) {
    }

    /**
     * How many replicas of each service share the one PostgreSQL server, for the connection
     * budget the lint checks.
     *
     * @param gatewayReplicas Payment gateway replicas at most running at once (deploys
     *     included), each with its own database.gateway_pool.
     * @param orderServiceReplicas Order service replicas at most running at once (deploys
     *     included), each with its own database.pool.
     * @param databaseMaxConnections The PostgreSQL server's max_connections (at most 262143,
     *     PostgreSQL's own limit).
     * @param databaseReservedConnections Connections kept free of every pool:
     *     superuser_reserved_connections, migrations, operators' psql, monitoring.
     */
    public record FleetSettings(
            @JsonProperty("gateway_replicas") long gatewayReplicas,
            @JsonProperty("order_service_replicas") long orderServiceReplicas,
            @JsonProperty("database_max_connections") long databaseMaxConnections,
            @JsonProperty("database_reserved_connections") long databaseReservedConnections) {
    }

    /**
     * Pool health checks and alert thresholds.
     *
     * @param poolCheckIntervalMs Interval between pool health checks, in milliseconds.
     * @param poolUtilizationWarn Pool utilization (in use / max) at which a warning is raised,
     *     in (0, 1].
     * @param poolUtilizationCritical Pool utilization (in use / max) at which an error is
     *     raised and /health turns 503, in (0, 1].
     * @param errorRateThreshold Share of failed requests above which the error-rate alert
     *     fires, in (0, 1].
     * @param paymentTimeoutRateThreshold Share of payment calls ending in TIMEOUT above which
     *     the timeout alert fires, in (0, 1].
     */
    public record MonitoringSettings(
            @JsonProperty("pool_check_interval_ms") long poolCheckIntervalMs,
            @JsonProperty("pool_utilization_warn") double poolUtilizationWarn,
            @JsonProperty("pool_utilization_critical") double poolUtilizationCritical,
            @JsonProperty("error_rate_threshold") double errorRateThreshold,
            @JsonProperty("payment_timeout_rate_threshold") double paymentTimeoutRateThreshold) {
    }

    /**
     * The Node.js order service's own settings.
     *
     * @param reconcileIntervalMs Interval at which the reconciler asks the gateway for the
     *     outcome of orders in PAYMENT_UNKNOWN, in milliseconds.
     * @param legacyHoldConnectionDuringPayment The incident's behaviour, kept only so the
     *     replay bench (nox -s replay) can reproduce it: when true, the order service holds one
     *     pooled database connection (an open transaction) from the order's insert until its
     *     final status update, across the whole payment call. Always false in a shipped config;
     *     the lint warns when it is true and config/timeout.json is linted with
     *     --deny-warnings.
     * @param legacyRetryTimeoutAsNewPayment The incident's payment loop, kept only so the
     *     replay bench (nox -s replay) can reproduce it: when true, the order service retries a
     *     payment attempt that got no answer in time (its timeout or the gateway's ran out, the
     *     gateway said the outcome is unknown, or the connection failed) as a NEW payment:
     *     every retry sends the gateway a fresh Idempotency-Key (the order's key with -retry-2,
     *     -retry-3, ... appended), so it is a new provider call with its own latency, and an
     *     abandoned attempt that completes is one more charge. Up to payment.retry.max_attempts
     *     attempts with a fixed delay of payment.retry.base_delay_ms between them (no backoff
     *     growth, no jitter, no circuit breaker, no retry budget); each attempt waits
     *     payment.timeout_ms and sends that as X-Deadline-Ms (no answer margin), within the
     *     payment deadline; a payment that got no answer is recorded failed. With
     *     legacy_hold_connection_during_payment the connection stays held across every attempt
     *     and delay. Always false in a shipped config; the lint warns when it is true and
     *     config/timeout.json is linted with --deny-warnings.
     */
    public record OrderServiceSettings(
            @JsonProperty("reconcile_interval_ms") long reconcileIntervalMs,
            @JsonProperty("legacy_hold_connection_during_payment") boolean legacyHoldConnectionDuringPayment,
            @JsonProperty("legacy_retry_timeout_as_new_payment") boolean legacyRetryTimeoutAsNewPayment) {
    }

    /**
     * The Python Lambda handler's own settings.
     *
     * @param safetyMarginMs Time kept back from the Lambda's remaining time so the handler
     *     answers before the runtime kills it, in milliseconds.
     */
    public record LambdaSettings(
            @JsonProperty("safety_margin_ms") long safetyMarginMs) {
    }
}
