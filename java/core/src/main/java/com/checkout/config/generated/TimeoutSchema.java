// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903
package com.checkout.config.generated;

/**
 * The schema of timeout.json (TimeoutConfig), embedded so a deployed service validates against
 * exactly the schema its records were generated from.
 */
public final class TimeoutSchema {
    /** Lowercase hex SHA-256 of {@link #TEXT}, as UTF-8. */
    public static final String SCHEMA_SHA256 = "49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903";

    /** The text of config/timeout.schema.json, byte for byte. */
    public static final String TEXT = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": "https://checkout.example/schemas/timeout.schema.json",
              "type": "object",
              "title": "TimeoutConfig",
              "description": "Timeouts, pool sizes, retry, circuit-breaker and monitoring settings of the checkout payment path. The one source of truth: every service and client reads its part of this document.",
              "additionalProperties": false,
              "required": [
                "version",
                "payment",
                "database",
                "gateway",
                "fleet",
                "monitoring",
                "order_service",
                "lambda"
              ],
              "properties": {
                "$schema": {
                  "type": "string",
                  "description": "Optional editor hint pointing at this schema; ignored by every loader."
                },
                "version": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 64,
                  "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*(?![\\\\s\\\\S])",
                  "description": "Human-readable release label of this config, shown on every /health endpoint next to the fingerprint. Letters, digits, '.', '_' and '-'; the pattern ends in (?![\\\\s\\\\S]) rather than $ because Python's and Java's $ also match before a trailing newline and ECMA-262's does not."
                },
                "payment": {
                  "type": "object",
                  "title": "PaymentSettings",
                  "description": "How callers talk to the payment gateway and the gateway to the payment provider: the charge's policy, the hop's deadline floor and margin, and the lookup's own policy.",
                  "additionalProperties": false,
                  "required": [
                    "timeout_ms",
                    "deadline_ms",
                    "provider_expected_p99_ms",
                    "min_deadline_ms",
                    "answer_margin_ms",
                    "retry",
                    "circuit_breaker",
                    "retry_budget",
                    "bulkhead",
                    "lookup"
                  ],
                  "properties": {
                    "timeout_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "Per-attempt timeout of one payment call, in milliseconds. Must cover the provider's expected p99 latency (the incident cut it to 5000 while payments took 10-20 s)."
                    },
                    "deadline_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 3600000,
                      "description": "Overall deadline of one payment, all attempts and backoff sleeps included, in milliseconds. The remaining part travels downstream in the X-Deadline-Ms header."
                    },
                    "provider_expected_p99_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "The payment provider's expected p99 latency, in milliseconds; the lint requires timeout_ms >= this value."
                    },
                    "min_deadline_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "The shortest X-Deadline-Ms a service accepts, in milliseconds: a header value in 1 .. min_deadline_ms-1 is refused with 400 INVALID_REQUEST before any work (a value <= 0 stays 504 DEADLINE_EXCEEDED). The lint requires min_deadline_ms + answer_margin_ms <= timeout_ms and answer_margin_ms < min_deadline_ms."
                    },
                    "answer_margin_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "Time kept for an answer's way back, in milliseconds: every outgoing X-Deadline-Ms is the attempt's timeout minus this, and an attempt whose header would fall below min_deadline_ms does not start (SEMANTICS §5)."
                    },
                    "retry": {
                      "$ref": "#/$defs/RetrySettings",
                      "description": "The charge's backoff between attempts."
                    },
                    "circuit_breaker": {
                      "$ref": "#/$defs/CircuitBreakerSettings",
                      "description": "The charge's breaker: one per upstream per process."
                    },
                    "retry_budget": {
                      "$ref": "#/$defs/RetryBudgetSettings",
                      "description": "The charge's retry budget: one per upstream per process."
                    },
                    "bulkhead": {
                      "$ref": "#/$defs/BulkheadSettings",
                      "description": "The charge's concurrency limit per process: 20 s attempts under a provider slowdown must not pin every worker."
                    },
                    "lookup": {
                      "$ref": "#/$defs/LookupSettings",
                      "description": "The policy of a payment lookup; the fields above are the charge's."
                    }
                  }
                },
                "database": {
                  "type": "object",
                  "title": "DatabaseSettings",
                  "description": "PostgreSQL access of the order service and the payment gateway, one pool each.",
                  "additionalProperties": false,
                  "required": [
                    "pool",
                    "gateway_pool"
                  ],
                  "properties": {
                    "pool": {
                      "$ref": "#/$defs/PoolSettings",
                      "description": "The order service's PostgreSQL connection pool (one per order-service replica)."
                    },
                    "gateway_pool": {
                      "$ref": "#/$defs/PoolSettings",
                      "description": "The payment gateway's PostgreSQL connection pool (HikariCP, one per gateway replica)."
                    }
                  }
                },
                "gateway": {
                  "type": "object",
                  "title": "GatewaySettings",
                  "description": "The Java payment gateway's own settings.",
                  "additionalProperties": false,
                  "required": [
                    "idempotency"
                  ],
                  "properties": {
                    "idempotency": {
                      "type": "object",
                      "title": "IdempotencySettings",
                      "description": "How long the gateway keeps payment records per Idempotency-Key, and the lease of one in flight.",
                      "additionalProperties": false,
                      "required": [
                        "retention_ms",
                        "lease_ms",
                        "reaper_interval_ms"
                      ],
                      "properties": {
                        "retention_ms": {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 2592000000,
                          "description": "How long a payment record (and so its Idempotency-Key) is kept and a final answer replayed, in milliseconds; at most 30 days. The lint requires retention_ms >= lease_ms and warns below 24 h (86400000), the retention the IETF Idempotency-Key draft suggests."
                        },
                        "lease_ms": {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 86400000,
                          "description": "Lease of an in-flight payment record, in milliseconds: until it runs out no other request or replica runs the payment again. The lint requires lease_ms > payment.deadline_ms, so a lease never ends while its payment may still be running."
                        },
                        "reaper_interval_ms": {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 86400000,
                          "description": "How often each gateway replica deletes records past retention_ms, in milliseconds."
                        }
                      }
                    }
                  }
                },
                "fleet": {
                  "type": "object",
                  "title": "FleetSettings",
                  "description": "How many replicas of each service share the one PostgreSQL server, for the connection budget the lint checks.",
                  "additionalProperties": false,
                  "required": [
                    "gateway_replicas",
                    "order_service_replicas",
                    "database_max_connections",
                    "database_reserved_connections"
                  ],
                  "properties": {
                    "gateway_replicas": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 1000,
                      "description": "Payment gateway replicas at most running at once (deploys included), each with its own database.gateway_pool."
                    },
                    "order_service_replicas": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 1000,
                      "description": "Order service replicas at most running at once (deploys included), each with its own database.pool."
                    },
                    "database_max_connections": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 262143,
                      "description": "The PostgreSQL server's max_connections (at most 262143, PostgreSQL's own limit)."
                    },
                    "database_reserved_connections": {
                      "type": "integer",
                      "minimum": 0,
                      "maximum": 262143,
                      "description": "Connections kept free of every pool: superuser_reserved_connections, migrations, operators' psql, monitoring."
                    }
                  }
                },
                "monitoring": {
                  "type": "object",
                  "title": "MonitoringSettings",
                  "description": "Pool health checks and alert thresholds.",
                  "additionalProperties": false,
                  "required": [
                    "pool_check_interval_ms",
                    "pool_utilization_warn",
                    "pool_utilization_critical",
                    "error_rate_threshold",
                    "payment_timeout_rate_threshold"
                  ],
                  "properties": {
                    "pool_check_interval_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 86400000,
                      "description": "Interval between pool health checks, in milliseconds."
                    },
                    "pool_utilization_warn": {
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 1,
                      "description": "Pool utilization (in use / max) at which a warning is raised, in (0, 1]."
                    },
                    "pool_utilization_critical": {
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 1,
                      "description": "Pool utilization (in use / max) at which an error is raised and /health turns 503, in (0, 1]."
                    },
                    "error_rate_threshold": {
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 1,
                      "description": "Share of failed requests above which the error-rate alert fires, in (0, 1]."
                    },
                    "payment_timeout_rate_threshold": {
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 1,
                      "description": "Share of payment calls ending in TIMEOUT above which the timeout alert fires, in (0, 1]."
                    }
                  }
                },
                "order_service": {
                  "type": "object",
                  "title": "OrderServiceSettings",
                  "description": "The Node.js order service's own settings.",
                  "additionalProperties": false,
                  "required": [
                    "reconcile_interval_ms",
                    "legacy_hold_connection_during_payment",
                    "legacy_retry_timeout_as_new_payment"
                  ],
                  "properties": {
                    "reconcile_interval_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 86400000,
                      "description": "Interval at which the reconciler asks the gateway for the outcome of orders in PAYMENT_UNKNOWN, in milliseconds."
                    },
                    "legacy_hold_connection_during_payment": {
                      "type": "boolean",
                      "description": "The incident's behaviour, kept only so the replay bench (nox -s replay) can reproduce it: when true, the order service holds one pooled database connection (an open transaction) from the order's insert until its final status update, across the whole payment call. Always false in a shipped config; the lint warns when it is true and config/timeout.json is linted with --deny-warnings."
                    },
                    "legacy_retry_timeout_as_new_payment": {
                      "type": "boolean",
                      "description": "The incident's payment loop, kept only so the replay bench (nox -s replay) can reproduce it: when true, the order service retries a payment attempt that got no answer in time (its timeout or the gateway's ran out, the gateway said the outcome is unknown, or the connection failed) as a NEW payment: every retry sends the gateway a fresh Idempotency-Key (the order's key with -retry-2, -retry-3, ... appended), so it is a new provider call with its own latency, and an abandoned attempt that completes is one more charge. Up to payment.retry.max_attempts attempts with a fixed delay of payment.retry.base_delay_ms between them (no backoff growth, no jitter, no circuit breaker, no retry budget); each attempt waits payment.timeout_ms and sends that as X-Deadline-Ms (no answer margin), within the payment deadline; a payment that got no answer is recorded failed. With legacy_hold_connection_during_payment the connection stays held across every attempt and delay. Always false in a shipped config; the lint warns when it is true and config/timeout.json is linted with --deny-warnings."
                    }
                  }
                },
                "lambda": {
                  "type": "object",
                  "title": "LambdaSettings",
                  "description": "The Python Lambda handler's own settings.",
                  "additionalProperties": false,
                  "required": [
                    "safety_margin_ms"
                  ],
                  "properties": {
                    "safety_margin_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "Time kept back from the Lambda's remaining time so the handler answers before the runtime kills it, in milliseconds."
                    }
                  }
                }
              },
              "$defs": {
                "PoolSettings": {
                  "type": "object",
                  "title": "PoolSettings",
                  "description": "A PostgreSQL connection pool.",
                  "additionalProperties": false,
                  "required": [
                    "max_connections",
                    "acquire_timeout_ms",
                    "idle_timeout_ms"
                  ],
                  "properties": {
                    "max_connections": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 10000,
                      "description": "Maximum open connections in the pool."
                    },
                    "acquire_timeout_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "How long a request waits for a free connection before it fails, in milliseconds."
                    },
                    "idle_timeout_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 86400000,
                      "description": "How long an idle connection stays open before the pool closes it, in milliseconds."
                    }
                  }
                },
                "RetrySettings": {
                  "type": "object",
                  "title": "RetrySettings",
                  "description": "Exponential backoff with jitter between attempts of one payment.",
                  "additionalProperties": false,
                  "required": [
                    "max_attempts",
                    "base_delay_ms",
                    "backoff_multiplier",
                    "jitter_ms",
                    "max_delay_ms"
                  ],
                  "properties": {
                    "max_attempts": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 10,
                      "description": "Maximum attempts of one call, the first included (1 = never retry)."
                    },
                    "base_delay_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "Backoff before the first retry, before jitter, in milliseconds."
                    },
                    "backoff_multiplier": {
                      "type": "number",
                      "minimum": 1,
                      "maximum": 10,
                      "description": "Factor applied to the previous backoff for each further retry (1 = fixed delays)."
                    },
                    "jitter_ms": {
                      "type": "integer",
                      "minimum": 0,
                      "maximum": 600000,
                      "description": "Upper bound (exclusive) of the random delay added to every backoff, in milliseconds; 0 disables jitter."
                    },
                    "max_delay_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 3600000,
                      "description": "Cap on the backoff before jitter, in milliseconds; jitter is still added on top."
                    }
                  }
                },
                "CircuitBreakerSettings": {
                  "type": "object",
                  "title": "CircuitBreakerSettings",
                  "description": "Stops calling an upstream that keeps failing, then probes it.",
                  "additionalProperties": false,
                  "required": [
                    "enabled",
                    "failure_threshold",
                    "recovery_timeout_ms",
                    "half_open_max_calls"
                  ],
                  "properties": {
                    "enabled": {
                      "type": "boolean",
                      "description": "Whether calls go through the circuit breaker; the lint warns when it is off."
                    },
                    "failure_threshold": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 1000,
                      "description": "Consecutive failures that open the breaker (the 5th failure opens it when 5)."
                    },
                    "recovery_timeout_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 3600000,
                      "description": "Time an open breaker rejects calls before it lets half-open trial calls through, in milliseconds."
                    },
                    "half_open_max_calls": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 1000,
                      "description": "Trial calls admitted while half-open; that many successes close the breaker, any failure re-opens it."
                    }
                  }
                },
                "RetryBudgetSettings": {
                  "type": "object",
                  "title": "RetryBudgetSettings",
                  "description": "Token bucket that caps retries while an upstream fails (after gRPC retry throttling).",
                  "additionalProperties": false,
                  "required": [
                    "max_tokens",
                    "token_ratio"
                  ],
                  "properties": {
                    "max_tokens": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 1000,
                      "description": "Bucket size in tokens; it starts full and retries are allowed only while more than half is left."
                    },
                    "token_ratio": {
                      "type": "number",
                      "exclusiveMinimum": 0,
                      "maximum": 1000,
                      "description": "Tokens returned to the bucket by each success (each failure takes 1); at most three decimal places, the kernels work in milli-tokens."
                    }
                  }
                },
                "BulkheadSettings": {
                  "type": "object",
                  "title": "BulkheadSettings",
                  "description": "A concurrency limit (bulkhead) on one operation of one upstream, per process: at most max_concurrent attempts in flight at once; an attempt that finds every slot taken does not start and the call ends BULKHEAD_FULL (SEMANTICS §11).",
                  "additionalProperties": false,
                  "required": [
                    "max_concurrent"
                  ],
                  "properties": {
                    "max_concurrent": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 100000,
                      "description": "Most attempts of this operation in flight at once in one process; one more ends its call with BULKHEAD_FULL, nothing sent."
                    }
                  }
                },
                "LookupSettings": {
                  "type": "object",
                  "title": "LookupSettings",
                  "description": "The policy of a payment lookup (GET /payments/{key}, the provider's status query): its own timeout, retries, breaker, budget and bulkhead, so a reconciliation storm of lookups cannot open the charge breaker or spend the charge budget (SEMANTICS §11). min_deadline_ms and answer_margin_ms are the payment's: the same hop receives both.",
                  "additionalProperties": false,
                  "required": [
                    "timeout_ms",
                    "deadline_ms",
                    "provider_expected_p99_ms",
                    "retry",
                    "circuit_breaker",
                    "retry_budget",
                    "bulkhead"
                  ],
                  "properties": {
                    "timeout_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "Per-attempt timeout of one lookup, in milliseconds; the lint requires it to cover provider_expected_p99_ms and min_deadline_ms + answer_margin_ms."
                    },
                    "deadline_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 3600000,
                      "description": "Overall deadline of one lookup that received none, in milliseconds."
                    },
                    "provider_expected_p99_ms": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 600000,
                      "description": "The expected p99 latency of a lookup, in milliseconds (the evidence rule's bound, SEMANTICS §5)."
                    },
                    "retry": {
                      "$ref": "#/$defs/RetrySettings",
                      "description": "The lookup's backoff between attempts."
                    },
                    "circuit_breaker": {
                      "$ref": "#/$defs/CircuitBreakerSettings",
                      "description": "The lookup's own breaker."
                    },
                    "retry_budget": {
                      "$ref": "#/$defs/RetryBudgetSettings",
                      "description": "The lookup's own retry budget."
                    },
                    "bulkhead": {
                      "$ref": "#/$defs/BulkheadSettings",
                      "description": "The lookup's own concurrency limit."
                    }
                  }
                }
              }
            }
            """;

    private TimeoutSchema() {}
}
