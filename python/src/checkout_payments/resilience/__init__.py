"""The resilience kernel of config/SEMANTICS.md: backoff, circuit breaker, retry budget, bulkhead, deadlines, the
call loop and the upstream that holds one loop per operation.

Pure and small: no I/O, no timers, no clock and no random source of its own (`now` and draws are
parameters), and the same names as the TypeScript and Java kernels.
"""

from checkout_payments.resilience.answer import classify_answer
from checkout_payments.resilience.attempt import AttemptContext, AttemptVerdict, CallResult, CallSettings, Classifier
from checkout_payments.resilience.backoff import backoff_delay_ms
from checkout_payments.resilience.breaker import BreakerState, CircuitBreaker, Permit, Transition
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.bulkhead import Bulkhead, BulkheadSlot
from checkout_payments.resilience.call import AsyncResilientCall, ResilientCall
from checkout_payments.resilience.deadline import (
    DEADLINE_HEADER,
    attempt_cap_ms,
    attempt_starts,
    attempt_timeout_ms,
    deadline_from_header,
    deadline_header_ms,
    sleep_allowed,
)
from checkout_payments.resilience.decision import Decision, decide
from checkout_payments.resilience.errors import (
    BulkheadFullError,
    CircuitOpenError,
    DeadlineExceededError,
    HalfOpenLimitError,
    ResilienceError,
    RetryBudgetExhaustedError,
)
from checkout_payments.resilience.loop import CallLoop
from checkout_payments.resilience.role import Role, is_retried
from checkout_payments.resilience.taxonomy import TAXONOMY, ErrorClass, Outcome
from checkout_payments.resilience.upstream import (
    OPERATIONS,
    AsyncUpstream,
    Operation,
    OperationPolicy,
    Upstream,
    UpstreamBase,
)

__all__ = [
    "DEADLINE_HEADER",
    "OPERATIONS",
    "TAXONOMY",
    "AsyncResilientCall",
    "AsyncUpstream",
    "AttemptContext",
    "AttemptVerdict",
    "BreakerState",
    "Bulkhead",
    "BulkheadFullError",
    "BulkheadSlot",
    "CallLoop",
    "CallResult",
    "CallSettings",
    "CircuitBreaker",
    "CircuitOpenError",
    "Classifier",
    "DeadlineExceededError",
    "Decision",
    "ErrorClass",
    "HalfOpenLimitError",
    "Operation",
    "OperationPolicy",
    "Outcome",
    "Permit",
    "ResilienceError",
    "ResilientCall",
    "RetryBudget",
    "RetryBudgetExhaustedError",
    "Role",
    "Transition",
    "Upstream",
    "UpstreamBase",
    "attempt_cap_ms",
    "attempt_starts",
    "attempt_timeout_ms",
    "backoff_delay_ms",
    "classify_answer",
    "deadline_from_header",
    "deadline_header_ms",
    "decide",
    "is_retried",
    "sleep_allowed",
]
