"""The resilience kernel of config/SEMANTICS.md: backoff, circuit breaker, retry budget, deadlines and the call loop.

Pure and small: no I/O, no timers, no clock and no random source of its own (`now` and draws are
parameters), and the same names as the TypeScript and Java kernels.
"""

from checkout_payments.resilience.backoff import backoff_delay_ms
from checkout_payments.resilience.breaker import BreakerState, CircuitBreaker, Permit, Transition
from checkout_payments.resilience.budget import RetryBudget
from checkout_payments.resilience.call import (
    AsyncResilientCall,
    Attempt,
    AttemptVerdict,
    CallResult,
    CallSettings,
    Classifier,
    ResilientCall,
)
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
    CircuitOpenError,
    DeadlineExceededError,
    HalfOpenLimitError,
    ResilienceError,
    RetryBudgetExhaustedError,
)
from checkout_payments.resilience.role import Role, is_retried
from checkout_payments.resilience.taxonomy import TAXONOMY, ErrorClass, Outcome

__all__ = [
    "DEADLINE_HEADER",
    "TAXONOMY",
    "AsyncResilientCall",
    "Attempt",
    "AttemptVerdict",
    "BreakerState",
    "CallResult",
    "CallSettings",
    "CircuitBreaker",
    "CircuitOpenError",
    "Classifier",
    "DeadlineExceededError",
    "Decision",
    "ErrorClass",
    "HalfOpenLimitError",
    "Outcome",
    "Permit",
    "ResilienceError",
    "ResilientCall",
    "RetryBudget",
    "RetryBudgetExhaustedError",
    "Role",
    "Transition",
    "attempt_cap_ms",
    "attempt_starts",
    "attempt_timeout_ms",
    "backoff_delay_ms",
    "deadline_from_header",
    "deadline_header_ms",
    "decide",
    "is_retried",
    "sleep_allowed",
]
