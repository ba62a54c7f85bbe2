"""The semantic lint rules, written once as data.

Every runtime enforces these rules: codegen turns this module into a lint
function in the Python, TypeScript and Java bindings, so a rule is added here
and nowhere else. A rule *holds* when its predicate is true; when it does not,
the finding names the rule id, its severity, a JSON Pointer and a sentence.
Findings of severity "error" make every loader refuse the config; "warning"
findings are reported by `nox -s lint-config` and logged by services at start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
CmpOp = Literal["<", "<=", ">", ">=", "==", "!="]


@dataclass(frozen=True)
class Ref:
    """The value at a JSON Pointer of the (schema-valid) config document."""

    pointer: str


@dataclass(frozen=True)
class Const:
    value: int | float | bool


@dataclass(frozen=True)
class WorstCaseCallMs:
    """Longest time one payment call can take with every attempt timing out.

    max_attempts × timeout_ms + Σ_{n=1}^{max_attempts-1} (b_n + jitter_ms), where
    b_1 = base_delay_ms and b_n = min(max_delay_ms, floor(b_{n-1} × backoff_multiplier)),
    iterated exactly as the backoff in config/SEMANTICS.md (jitter at its bound).
    """


@dataclass(frozen=True)
class Sum:
    """The sum of its terms (integers in every rule so far, so every language computes it exactly)."""

    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Product:
    """The product of its factors."""

    factors: tuple[Expr, ...]


Expr = Ref | Const | WorstCaseCallMs | Sum | Product


@dataclass(frozen=True)
class Cmp:
    lhs: Expr
    op: CmpOp
    rhs: Expr


@dataclass(frozen=True)
class AnyOf:
    """Holds when at least one of its comparisons holds."""

    options: tuple[Cmp, ...]


Predicate = Cmp | AnyOf


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    pointer: str
    holds: Predicate
    # A sentence with {/json/pointer} placeholders, filled with the values found, and {name}
    # placeholders for the derived values named in `values` (and {worst_case_call_ms}).
    message: str
    values: tuple[tuple[str, Expr], ...] = ()


TIMEOUT = Ref("/payment/timeout_ms")
DEADLINE = Ref("/payment/deadline_ms")
P99 = Ref("/payment/provider_expected_p99_ms")
ATTEMPTS = Ref("/payment/retry/max_attempts")
BASE = Ref("/payment/retry/base_delay_ms")
MULTIPLIER = Ref("/payment/retry/backoff_multiplier")
JITTER = Ref("/payment/retry/jitter_ms")
MAX_DELAY = Ref("/payment/retry/max_delay_ms")
BREAKER_ENABLED = Ref("/payment/circuit_breaker/enabled")
ACQUIRE = Ref("/database/pool/acquire_timeout_ms")
WARN = Ref("/monitoring/pool_utilization_warn")
CRITICAL = Ref("/monitoring/pool_utilization_critical")
LEGACY_HOLD = Ref("/order_service/legacy_hold_connection_during_payment")
LEGACY_RETRY = Ref("/order_service/legacy_retry_timeout_as_new_payment")
MIN_DEADLINE = Ref("/payment/min_deadline_ms")
ANSWER_MARGIN = Ref("/payment/answer_margin_ms")
RETENTION = Ref("/gateway/idempotency/retention_ms")
LEASE = Ref("/gateway/idempotency/lease_ms")
DB_MAX = Ref("/fleet/database_max_connections")
LOOKUP_TIMEOUT = Ref("/payment/lookup/timeout_ms")
LOOKUP_P99 = Ref("/payment/lookup/provider_expected_p99_ms")
LOOKUP_BASE = Ref("/payment/lookup/retry/base_delay_ms")
LOOKUP_JITTER = Ref("/payment/lookup/retry/jitter_ms")
LOOKUP_MAX_DELAY = Ref("/payment/lookup/retry/max_delay_ms")
SINGLE_ATTEMPT = Cmp(ATTEMPTS, "==", Const(1))
DAY_MS = 86_400_000
# Every connection the fleet can open at once, plus the ones kept free of every pool.
FLEET_CONNECTIONS = Sum(
    (
        Product((Ref("/database/pool/max_connections"), Ref("/fleet/order_service_replicas"))),
        Product((Ref("/database/gateway_pool/max_connections"), Ref("/fleet/gateway_replicas"))),
        Ref("/fleet/database_reserved_connections"),
    )
)

RULES: tuple[Rule, ...] = (
    Rule(
        "payment-timeout-covers-p99",
        "error",
        TIMEOUT.pointer,
        Cmp(TIMEOUT, ">=", P99),
        "payment timeout_ms is {/payment/timeout_ms} ms, below the provider's expected p99 latency "
        "of {/payment/provider_expected_p99_ms} ms, so legitimate payments will time out; "
        "expected timeout_ms >= provider_expected_p99_ms",
    ),
    Rule(
        "payment-deadline-covers-retries",
        "error",
        DEADLINE.pointer,
        Cmp(WorstCaseCallMs(), "<=", DEADLINE),
        "payment deadline_ms is {/payment/deadline_ms} ms, shorter than the worst case of one payment call "
        "({worst_case_call_ms} ms: every attempt timing out plus every backoff at its maximum); "
        "expected deadline_ms >= max_attempts x timeout_ms + backoff sleeps",
    ),
    Rule(
        "retry-jitter-within-base",
        "error",
        JITTER.pointer,
        Cmp(JITTER, "<=", BASE),
        "retry jitter_ms is {/payment/retry/jitter_ms} ms, larger than base_delay_ms "
        "{/payment/retry/base_delay_ms} ms; expected jitter_ms <= base_delay_ms",
    ),
    Rule(
        "retry-max-delay-covers-base",
        "error",
        MAX_DELAY.pointer,
        Cmp(MAX_DELAY, ">=", BASE),
        "retry max_delay_ms is {/payment/retry/max_delay_ms} ms, below base_delay_ms "
        "{/payment/retry/base_delay_ms} ms; expected max_delay_ms >= base_delay_ms",
    ),
    Rule(
        "pool-acquire-within-deadline",
        "error",
        ACQUIRE.pointer,
        Cmp(ACQUIRE, "<", DEADLINE),
        "database pool acquire_timeout_ms is {/database/pool/acquire_timeout_ms} ms, not below the payment "
        "deadline_ms {/payment/deadline_ms} ms; expected acquire_timeout_ms < deadline_ms",
    ),
    Rule(
        "monitoring-warn-below-critical",
        "error",
        WARN.pointer,
        Cmp(WARN, "<", CRITICAL),
        "monitoring pool_utilization_warn is {/monitoring/pool_utilization_warn}, not below "
        "pool_utilization_critical {/monitoring/pool_utilization_critical}; expected warn < critical",
    ),
    Rule(
        "circuit-breaker-enabled",
        "warning",
        BREAKER_ENABLED.pointer,
        Cmp(BREAKER_ENABLED, "==", Const(True)),
        "payment circuit_breaker enabled is {/payment/circuit_breaker/enabled}: a failing provider will be "
        "called on every request; expected true",
    ),
    Rule(
        "retry-backoff-grows",
        "warning",
        MULTIPLIER.pointer,
        AnyOf((Cmp(MULTIPLIER, ">", Const(1)), SINGLE_ATTEMPT)),
        "retry backoff_multiplier is {/payment/retry/backoff_multiplier} with max_attempts "
        "{/payment/retry/max_attempts}: fixed retry delays keep hammering a struggling provider; "
        "expected backoff_multiplier > 1",
    ),
    Rule(
        "retry-jitter-present",
        "warning",
        JITTER.pointer,
        AnyOf((Cmp(JITTER, ">", Const(0)), SINGLE_ATTEMPT)),
        "retry jitter_ms is {/payment/retry/jitter_ms} with max_attempts {/payment/retry/max_attempts}: "
        "retries of many callers fire in lockstep; expected jitter_ms > 0",
    ),
    # A warning, not an error, so the replay bench can run the incident's behaviour on purpose;
    # config/timeout.json is linted with --deny-warnings, so the shipped config can never carry it.
    Rule(
        "legacy-hold-connection-off",
        "warning",
        LEGACY_HOLD.pointer,
        Cmp(LEGACY_HOLD, "==", Const(False)),
        "order_service legacy_hold_connection_during_payment is "
        "{/order_service/legacy_hold_connection_during_payment}: every payment in flight holds a database "
        "connection, the pool exhaustion of the incident; "
        "expected false (true exists only to replay the incident)",
    ),
    # The incident's other half, kept out of the shipped config the same way (a warning, --deny-warnings).
    Rule(
        "legacy-retry-timeout-as-new-payment-off",
        "warning",
        LEGACY_RETRY.pointer,
        Cmp(LEGACY_RETRY, "==", Const(False)),
        "order_service legacy_retry_timeout_as_new_payment is "
        "{/order_service/legacy_retry_timeout_as_new_payment}: a payment attempt that timed out is retried as "
        "a new payment under a fresh Idempotency-Key, so every abandoned attempt that completes charges the "
        "customer again, the retry storm and double charges of the incident; "
        "expected false (true exists only to replay the incident)",
    ),
    Rule(
        "fleet-connections-fit",
        "error",
        DB_MAX.pointer,
        Cmp(FLEET_CONNECTIONS, "<=", DB_MAX),
        "the fleet can open {fleet_connections} PostgreSQL connections: order service pool max_connections "
        "{/database/pool/max_connections} x {/fleet/order_service_replicas} replicas + gateway pool max_connections "
        "{/database/gateway_pool/max_connections} x {/fleet/gateway_replicas} replicas + "
        "{/fleet/database_reserved_connections} reserved, more than fleet database_max_connections "
        "{/fleet/database_max_connections}; expected pools x replicas + reserved <= database_max_connections",
        (("fleet_connections", FLEET_CONNECTIONS),),
    ),
    # The two rules of the deadline floor. An attempt with the whole timeout_ms sends
    # X-Deadline-Ms = timeout_ms - answer_margin_ms, and the next hop refuses a header below its
    # floor (400), so timeout_ms - answer_margin_ms >= min_deadline_ms; and a request accepted at
    # the floor gets an attempt of min(timeout_ms, min_deadline_ms) ms, which starts only when it is
    # longer than answer_margin_ms, so answer_margin_ms < min_deadline_ms (timeout_ms > margin
    # follows from the first rule).
    Rule(
        "deadline-floor-leaves-an-attempt",
        "error",
        MIN_DEADLINE.pointer,
        Cmp(Sum((MIN_DEADLINE, ANSWER_MARGIN)), "<=", TIMEOUT),
        "payment min_deadline_ms {/payment/min_deadline_ms} ms + answer_margin_ms {/payment/answer_margin_ms} ms "
        "is {floor_plus_margin} ms, more than timeout_ms {/payment/timeout_ms} ms: even an attempt with the whole "
        "timeout would send an X-Deadline-Ms below the next hop's floor; "
        "expected min_deadline_ms + answer_margin_ms <= timeout_ms",
        (("floor_plus_margin", Sum((MIN_DEADLINE, ANSWER_MARGIN))),),
    ),
    Rule(
        "answer-margin-below-deadline-floor",
        "error",
        ANSWER_MARGIN.pointer,
        Cmp(ANSWER_MARGIN, "<", MIN_DEADLINE),
        "payment answer_margin_ms is {/payment/answer_margin_ms} ms, not below min_deadline_ms "
        "{/payment/min_deadline_ms} ms: a request accepted with the shortest deadline could never start an "
        "attempt; expected answer_margin_ms < min_deadline_ms",
    ),
    Rule(
        "idempotency-lease-outlives-deadline",
        "error",
        LEASE.pointer,
        Cmp(LEASE, ">", DEADLINE),
        "gateway idempotency lease_ms is {/gateway/idempotency/lease_ms} ms, not longer than payment deadline_ms "
        "{/payment/deadline_ms} ms: a lease could run out while its payment is still running and a second "
        "request would charge again; expected lease_ms > deadline_ms",
    ),
    Rule(
        "idempotency-retention-covers-lease",
        "error",
        RETENTION.pointer,
        Cmp(RETENTION, ">=", LEASE),
        "gateway idempotency retention_ms is {/gateway/idempotency/retention_ms} ms, shorter than lease_ms "
        "{/gateway/idempotency/lease_ms} ms: a record in flight could be deleted; expected retention_ms >= lease_ms",
    ),
    Rule(
        "idempotency-retention-covers-a-day",
        "warning",
        RETENTION.pointer,
        Cmp(RETENTION, ">=", Const(DAY_MS)),
        "gateway idempotency retention_ms is {/gateway/idempotency/retention_ms} ms, less than 24 h: a client "
        "retrying a payment after that with the same Idempotency-Key is charged again; "
        "expected retention_ms >= 86400000 (the IETF Idempotency-Key draft suggests 24 h)",
    ),
    # The lookup's policy (SEMANTICS §11) obeys the charge's rules that need no worst case of its own.
    Rule(
        "lookup-timeout-covers-p99",
        "error",
        LOOKUP_TIMEOUT.pointer,
        Cmp(LOOKUP_TIMEOUT, ">=", LOOKUP_P99),
        "payment lookup timeout_ms is {/payment/lookup/timeout_ms} ms, below the lookup's expected p99 latency "
        "of {/payment/lookup/provider_expected_p99_ms} ms, so reconciliation would time out on healthy lookups; "
        "expected timeout_ms >= provider_expected_p99_ms",
    ),
    Rule(
        "lookup-deadline-floor-leaves-an-attempt",
        "error",
        LOOKUP_TIMEOUT.pointer,
        Cmp(Sum((MIN_DEADLINE, ANSWER_MARGIN)), "<=", LOOKUP_TIMEOUT),
        "payment min_deadline_ms {/payment/min_deadline_ms} ms + answer_margin_ms {/payment/answer_margin_ms} ms "
        "is more than lookup timeout_ms {/payment/lookup/timeout_ms} ms: no lookup attempt could send an "
        "X-Deadline-Ms the next hop accepts; expected min_deadline_ms + answer_margin_ms <= lookup timeout_ms",
    ),
    Rule(
        "lookup-retry-jitter-within-base",
        "error",
        LOOKUP_JITTER.pointer,
        Cmp(LOOKUP_JITTER, "<=", LOOKUP_BASE),
        "lookup retry jitter_ms is {/payment/lookup/retry/jitter_ms} ms, larger than base_delay_ms "
        "{/payment/lookup/retry/base_delay_ms} ms; expected jitter_ms <= base_delay_ms",
    ),
    Rule(
        "lookup-retry-max-delay-covers-base",
        "error",
        LOOKUP_MAX_DELAY.pointer,
        Cmp(LOOKUP_MAX_DELAY, ">=", LOOKUP_BASE),
        "lookup retry max_delay_ms is {/payment/lookup/retry/max_delay_ms} ms, below base_delay_ms "
        "{/payment/lookup/retry/base_delay_ms} ms; expected max_delay_ms >= base_delay_ms",
    ),
)
