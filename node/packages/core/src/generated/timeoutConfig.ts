// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903

/**
 * Timeouts, pool sizes, retry, circuit-breaker and monitoring settings of the checkout payment
 * path. The one source of truth: every service and client reads its part of this document.
 */
export interface TimeoutConfig {
  /**
   * Human-readable release label of this config, shown on every /health endpoint next to the
   * fingerprint. Letters, digits, '.', '_' and '-'; the pattern ends in (?![\s\S]) rather than $
   * because Python's and Java's $ also match before a trailing newline and ECMA-262's does not.
   *
   * @remarks string of 1..64 characters, matching the pattern
   * `^[A-Za-z0-9][A-Za-z0-9._-]*(?![\s\S])`
   */
  readonly version: string;

  /**
   * How callers talk to the payment gateway and the gateway to the payment provider: the charge's
   * policy, the hop's deadline floor and margin, and the lookup's own policy.
   */
  readonly payment: PaymentSettings;

  /**
   * PostgreSQL access of the order service and the payment gateway, one pool each.
   */
  readonly database: DatabaseSettings;

  /**
   * The Java payment gateway's own settings.
   */
  readonly gateway: GatewaySettings;

  /**
   * How many replicas of each service share the one PostgreSQL server, for the connection budget the
   * lint checks.
   */
  readonly fleet: FleetSettings;

  /**
   * Pool health checks and alert thresholds.
   */
  readonly monitoring: MonitoringSettings;

  /**
   * The Node.js order service's own settings.
   */
  readonly order_service: OrderServiceSettings;

  /**
   * The Python Lambda handler's own settings.
   */
  readonly lambda: LambdaSettings;
}

/**
 * How callers talk to the payment gateway and the gateway to the payment provider: the charge's
 * policy, the hop's deadline floor and margin, and the lookup's own policy.
 */
export interface PaymentSettings {
  /**
   * Per-attempt timeout of one payment call, in milliseconds. Must cover the provider's expected p99
   * latency (the incident cut it to 5000 while payments took 10-20 s).
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly timeout_ms: number;

  /**
   * Overall deadline of one payment, all attempts and backoff sleeps included, in milliseconds. The
   * remaining part travels downstream in the X-Deadline-Ms header.
   *
   * @remarks integer milliseconds in [1, 3600000]
   */
  readonly deadline_ms: number;

  /**
   * The payment provider's expected p99 latency, in milliseconds; the lint requires timeout_ms >=
   * this value.
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly provider_expected_p99_ms: number;

  /**
   * The shortest X-Deadline-Ms a service accepts, in milliseconds: a header value in 1 ..
   * min_deadline_ms-1 is refused with 400 INVALID_REQUEST before any work (a value <= 0 stays 504
   * DEADLINE_EXCEEDED). The lint requires min_deadline_ms + answer_margin_ms <= timeout_ms and
   * answer_margin_ms < min_deadline_ms.
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly min_deadline_ms: number;

  /**
   * Time kept for an answer's way back, in milliseconds: every outgoing X-Deadline-Ms is the
   * attempt's timeout minus this, and an attempt whose header would fall below min_deadline_ms does
   * not start (SEMANTICS §5).
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly answer_margin_ms: number;

  /**
   * The charge's backoff between attempts.
   */
  readonly retry: RetrySettings;

  /**
   * The charge's breaker: one per upstream per process.
   */
  readonly circuit_breaker: CircuitBreakerSettings;

  /**
   * The charge's retry budget: one per upstream per process.
   */
  readonly retry_budget: RetryBudgetSettings;

  /**
   * The charge's concurrency limit per process: 20 s attempts under a provider slowdown must not pin
   * every worker.
   */
  readonly bulkhead: BulkheadSettings;

  /**
   * The policy of a payment lookup; the fields above are the charge's.
   */
  readonly lookup: LookupSettings;
}

/**
 * Exponential backoff with jitter between attempts of one payment.
 */
export interface RetrySettings {
  /**
   * Maximum attempts of one call, the first included (1 = never retry).
   *
   * @remarks integer in [1, 10]
   */
  readonly max_attempts: number;

  /**
   * Backoff before the first retry, before jitter, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly base_delay_ms: number;

  /**
   * Factor applied to the previous backoff for each further retry (1 = fixed delays).
   *
   * @remarks number in [1, 10]
   */
  readonly backoff_multiplier: number;

  /**
   * Upper bound (exclusive) of the random delay added to every backoff, in milliseconds; 0 disables
   * jitter.
   *
   * @remarks integer milliseconds in [0, 600000]
   */
  readonly jitter_ms: number;

  /**
   * Cap on the backoff before jitter, in milliseconds; jitter is still added on top.
   *
   * @remarks integer milliseconds in [1, 3600000]
   */
  readonly max_delay_ms: number;
}

/**
 * Stops calling an upstream that keeps failing, then probes it.
 */
export interface CircuitBreakerSettings {
  /**
   * Whether calls go through the circuit breaker; the lint warns when it is off.
   */
  readonly enabled: boolean;

  /**
   * Consecutive failures that open the breaker (the 5th failure opens it when 5).
   *
   * @remarks integer in [1, 1000]
   */
  readonly failure_threshold: number;

  /**
   * Time an open breaker rejects calls before it lets half-open trial calls through, in
   * milliseconds.
   *
   * @remarks integer milliseconds in [1, 3600000]
   */
  readonly recovery_timeout_ms: number;

  /**
   * Trial calls admitted while half-open; that many successes close the breaker, any failure re-
   * opens it.
   *
   * @remarks integer in [1, 1000]
   */
  readonly half_open_max_calls: number;
}

/**
 * Token bucket that caps retries while an upstream fails (after gRPC retry throttling).
 */
export interface RetryBudgetSettings {
  /**
   * Bucket size in tokens; it starts full and retries are allowed only while more than half is left.
   *
   * @remarks integer in [1, 1000]
   */
  readonly max_tokens: number;

  /**
   * Tokens returned to the bucket by each success (each failure takes 1); at most three decimal
   * places, the kernels work in milli-tokens.
   *
   * @remarks number in (0, 1000]
   */
  readonly token_ratio: number;
}

/**
 * A concurrency limit (bulkhead) on one operation of one upstream, per process: at most
 * max_concurrent attempts in flight at once; an attempt that finds every slot taken does not start
 * and the call ends BULKHEAD_FULL (SEMANTICS §11).
 */
export interface BulkheadSettings {
  /**
   * Most attempts of this operation in flight at once in one process; one more ends its call with
   * BULKHEAD_FULL, nothing sent.
   *
   * @remarks integer in [1, 100000]
   */
  readonly max_concurrent: number;
}

/**
 * The policy of a payment lookup (GET /payments/{key}, the provider's status query): its own
 * timeout, retries, breaker, budget and bulkhead, so a reconciliation storm of lookups cannot open
 * the charge breaker or spend the charge budget (SEMANTICS §11). min_deadline_ms and
 * answer_margin_ms are the payment's: the same hop receives both.
 */
export interface LookupSettings {
  /**
   * Per-attempt timeout of one lookup, in milliseconds; the lint requires it to cover
   * provider_expected_p99_ms and min_deadline_ms + answer_margin_ms.
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly timeout_ms: number;

  /**
   * Overall deadline of one lookup that received none, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 3600000]
   */
  readonly deadline_ms: number;

  /**
   * The expected p99 latency of a lookup, in milliseconds (the evidence rule's bound, SEMANTICS §5).
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly provider_expected_p99_ms: number;

  /**
   * The lookup's backoff between attempts.
   */
  readonly retry: RetrySettings;

  /**
   * The lookup's own breaker.
   */
  readonly circuit_breaker: CircuitBreakerSettings;

  /**
   * The lookup's own retry budget.
   */
  readonly retry_budget: RetryBudgetSettings;

  /**
   * The lookup's own concurrency limit.
   */
  readonly bulkhead: BulkheadSettings;
}

/**
 * PostgreSQL access of the order service and the payment gateway, one pool each.
 */
export interface DatabaseSettings {
  /**
   * The order service's PostgreSQL connection pool (one per order-service replica).
   */
  readonly pool: PoolSettings;

  /**
   * The payment gateway's PostgreSQL connection pool (HikariCP, one per gateway replica).
   */
  readonly gateway_pool: PoolSettings;
}

/**
 * A PostgreSQL connection pool.
 */
export interface PoolSettings {
  /**
   * Maximum open connections in the pool.
   *
   * @remarks integer in [1, 10000]
   */
  readonly max_connections: number;

  /**
   * How long a request waits for a free connection before it fails, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly acquire_timeout_ms: number;

  /**
   * How long an idle connection stays open before the pool closes it, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 86400000]
   */
  readonly idle_timeout_ms: number;
}

/**
 * The Java payment gateway's own settings.
 */
export interface GatewaySettings {
  /**
   * How long the gateway keeps payment records per Idempotency-Key, and the lease of one in flight.
   */
  readonly idempotency: IdempotencySettings;
}

/**
 * How long the gateway keeps payment records per Idempotency-Key, and the lease of one in flight.
 */
export interface IdempotencySettings {
  /**
   * How long a payment record (and so its Idempotency-Key) is kept and a final answer replayed, in
   * milliseconds; at most 30 days. The lint requires retention_ms >= lease_ms and warns below 24 h
   * (86400000), the retention the IETF Idempotency-Key draft suggests.
   *
   * @remarks integer milliseconds in [1, 2592000000]
   */
  readonly retention_ms: number;

  /**
   * Lease of an in-flight payment record, in milliseconds: until it runs out no other request or
   * replica runs the payment again. The lint requires lease_ms > payment.deadline_ms, so a lease
   * never ends while its payment may still be running.
   *
   * @remarks integer milliseconds in [1, 86400000]
   */
  readonly lease_ms: number;

  /**
   * How often each gateway replica deletes records past retention_ms, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 86400000]
   */
  readonly reaper_interval_ms: number;
}

/**
 * How many replicas of each service share the one PostgreSQL server, for the connection budget the
 * lint checks.
 */
export interface FleetSettings {
  /**
   * Payment gateway replicas at most running at once (deploys included), each with its own
   * database.gateway_pool.
   *
   * @remarks integer in [1, 1000]
   */
  readonly gateway_replicas: number;

  /**
   * Order service replicas at most running at once (deploys included), each with its own
   * database.pool.
   *
   * @remarks integer in [1, 1000]
   */
  readonly order_service_replicas: number;

  /**
   * The PostgreSQL server's max_connections (at most 262143, PostgreSQL's own limit).
   *
   * @remarks integer in [1, 262143]
   */
  readonly database_max_connections: number;

  /**
   * Connections kept free of every pool: superuser_reserved_connections, migrations, operators'
   * psql, monitoring.
   *
   * @remarks integer in [0, 262143]
   */
  readonly database_reserved_connections: number;
}

/**
 * Pool health checks and alert thresholds.
 */
export interface MonitoringSettings {
  /**
   * Interval between pool health checks, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 86400000]
   */
  readonly pool_check_interval_ms: number;

  /**
   * Pool utilization (in use / max) at which a warning is raised, in (0, 1].
   *
   * @remarks number in (0, 1]
   */
  readonly pool_utilization_warn: number;

  /**
   * Pool utilization (in use / max) at which an error is raised and /health turns 503, in (0, 1].
   *
   * @remarks number in (0, 1]
   */
  readonly pool_utilization_critical: number;

  /**
   * Share of failed requests above which the error-rate alert fires, in (0, 1].
   *
   * @remarks number in (0, 1]
   */
  readonly error_rate_threshold: number;

  /**
   * Share of payment calls ending in TIMEOUT above which the timeout alert fires, in (0, 1].
   *
   * @remarks number in (0, 1]
   */
  readonly payment_timeout_rate_threshold: number;
}

/**
 * The Node.js order service's own settings.
 */
export interface OrderServiceSettings {
  /**
   * Interval at which the reconciler asks the gateway for the outcome of orders in PAYMENT_UNKNOWN,
   * in milliseconds.
   *
   * @remarks integer milliseconds in [1, 86400000]
   */
  readonly reconcile_interval_ms: number;

  /**
   * The incident's behaviour, kept only so the replay bench (nox -s replay) can reproduce it: when
   * true, the order service holds one pooled database connection (an open transaction) from the
   * order's insert until its final status update, across the whole payment call. Always false in a
   * shipped config; the lint warns when it is true and config/timeout.json is linted with --deny-
   * warnings.
   */
  readonly legacy_hold_connection_during_payment: boolean;

  /**
   * The incident's payment loop, kept only so the replay bench (nox -s replay) can reproduce it:
   * when true, the order service retries a payment attempt that got no answer in time (its timeout
   * or the gateway's ran out, the gateway said the outcome is unknown, or the connection failed) as
   * a NEW payment: every retry sends the gateway a fresh Idempotency-Key (the order's key with
   * -retry-2, -retry-3, ... appended), so it is a new provider call with its own latency, and an
   * abandoned attempt that completes is one more charge. Up to payment.retry.max_attempts attempts
   * with a fixed delay of payment.retry.base_delay_ms between them (no backoff growth, no jitter, no
   * circuit breaker, no retry budget); each attempt waits payment.timeout_ms and sends that as
   * X-Deadline-Ms (no answer margin), within the payment deadline; a payment that got no answer is
   * recorded failed. With legacy_hold_connection_during_payment the connection stays held across
   * every attempt and delay. Always false in a shipped config; the lint warns when it is true and
   * config/timeout.json is linted with --deny-warnings.
   */
  readonly legacy_retry_timeout_as_new_payment: boolean;
}

/**
 * The Python Lambda handler's own settings.
 */
export interface LambdaSettings {
  /**
   * Time kept back from the Lambda's remaining time so the handler answers before the runtime kills
   * it, in milliseconds.
   *
   * @remarks integer milliseconds in [1, 600000]
   */
  readonly safety_margin_ms: number;
}
