"""The client's typed errors: one per class of config/SEMANTICS.md §6 it can raise, named after it.

Two facts travel on every error, because they decide what the caller does next:
- `outcome`: `"unknown"` when an attempt may have reached the gateway without a definitive answer — the
  payment may have been charged, so never charge again under a new key; settle it with
  `get_payment(key)` — or `"failed"` when nothing was charged.
- `retryable`: whether repeating the same payment later with the same `idempotency_key` is safe and
  may succeed (the gateway then answers the first outcome, or reconciles an unknown one — it never
  charges twice). This is the caller's question, not §7's: the loop has already retried what it may.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from checkout_payments.client.request import Detail
from checkout_payments.resilience import ErrorClass, ResilienceError

if TYPE_CHECKING:
    from checkout_payments.client.results import PaymentResult
    from checkout_payments.resilience import CallResult

PaymentOutcome = Literal["unknown", "failed"]
UNKNOWN: PaymentOutcome = "unknown"
FAILED: PaymentOutcome = "failed"


class PaymentError(ResilienceError):
    """A payment call ended without an answer (authorised or declined).

    `attempts` counts the HTTP attempts made to the gateway; `upstream_status` is the gateway's HTTP
    status when the error is its answer (None when the client ended the call itself); `details`
    names the fields of an invalid request; `retry_after_ms` is set when the client's own breaker
    rejected the call.
    """

    error_class: ErrorClass
    # Each subclass names its class; the base stands for any class without a subclass.
    CLASS: ClassVar[ErrorClass | None] = None

    def __init__(
        self,
        error_class: ErrorClass,
        message: str,
        *,
        retryable: bool,
        outcome: PaymentOutcome,
        idempotency_key: str,
        attempts: int = 0,
        upstream_status: int | None = None,
        details: tuple[Detail, ...] = (),
        retry_after_ms: int | None = None,
        call: CallResult[Any] | None = None,
    ) -> None:
        super().__init__(error_class, message, retryable, call=call)
        self.outcome: PaymentOutcome = outcome
        self.idempotency_key = idempotency_key
        self.attempts = attempts
        self.upstream_status = upstream_status
        self.details = details
        self.retry_after_ms = retry_after_ms

    @property
    def unknown(self) -> bool:
        """True when the payment may have been charged: reconcile with `get_payment(idempotency_key)`."""
        return self.outcome == UNKNOWN


class PaymentTimeoutError(PaymentError):
    CLASS = ErrorClass.TIMEOUT


class PaymentConnectionError(PaymentError):
    CLASS = ErrorClass.CONNECTION


class PaymentUpstreamUnavailableError(PaymentError):
    CLASS = ErrorClass.UPSTREAM_UNAVAILABLE


class PaymentOverloadedError(PaymentError):
    CLASS = ErrorClass.OVERLOADED


class PaymentCircuitOpenError(PaymentError):
    CLASS = ErrorClass.CIRCUIT_OPEN


class PaymentHalfOpenLimitError(PaymentError):
    CLASS = ErrorClass.HALF_OPEN_LIMIT


class PaymentDeadlineExceededError(PaymentError):
    CLASS = ErrorClass.DEADLINE_EXCEEDED


class PaymentRetryBudgetExhaustedError(PaymentError):
    CLASS = ErrorClass.RETRY_BUDGET_EXHAUSTED


class PaymentInvalidRequestError(PaymentError):
    CLASS = ErrorClass.INVALID_REQUEST


class PaymentIdempotencyConflictError(PaymentError):
    CLASS = ErrorClass.IDEMPOTENCY_CONFLICT


class PaymentNotFoundError(PaymentError):
    CLASS = ErrorClass.NOT_FOUND


class PaymentInternalError(PaymentError):
    """The gateway's answer broke its API (e.g. a 200 that is no payment result), or a client bug."""

    CLASS = ErrorClass.INTERNAL


class PaymentDeclinedError(PaymentError):
    """Raised only on request (`PaymentResult.raise_for_decline()`): a decline is an answer, not a fault."""

    CLASS = ErrorClass.DECLINED

    def __init__(self, message: str, *, result: PaymentResult | None = None, **kwargs: Any) -> None:
        super().__init__(ErrorClass.DECLINED, message, **kwargs)
        self.result = result


ERROR_TYPES: Mapping[ErrorClass, type[PaymentError]] = MappingProxyType(
    {
        error_type.CLASS: error_type
        for error_type in (
            PaymentTimeoutError,
            PaymentConnectionError,
            PaymentUpstreamUnavailableError,
            PaymentOverloadedError,
            PaymentCircuitOpenError,
            PaymentHalfOpenLimitError,
            PaymentDeadlineExceededError,
            PaymentRetryBudgetExhaustedError,
            PaymentInvalidRequestError,
            PaymentIdempotencyConflictError,
            PaymentNotFoundError,
            PaymentInternalError,
        )
        if error_type.CLASS is not None
    }
)


def payment_error(error_class: ErrorClass, message: str, **kwargs: Any) -> PaymentError:
    """The typed error of `error_class` (the base `PaymentError` for a class without its own type)."""
    error_type = ERROR_TYPES.get(error_class)
    if error_type is None:
        return PaymentError(error_class, message, **kwargs)
    return error_type(error_class, message, **kwargs)
