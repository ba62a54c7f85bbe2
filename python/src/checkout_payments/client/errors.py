"""The client's typed errors: one per class of config/SEMANTICS.md §6 it can raise, named after it.

Facts that travel on every error, because they decide what the caller does next — the payment outcome
rule shared with the gateway and the Lambda (docs/PYTHON_CLIENT.md, "The payment outcome rule"):
- `outcome`: `"unknown"` when an attempt may have reached the gateway without a definitive answer — the
  payment may have been charged: settle it with `get_payment(key)` (`GET /payments/{key}`), never by
  paying again under a new key — or `"failed"` when nothing was charged.
- `safe_to_retry_same_key`: the outcome is `failed` (nothing was charged) and paying again with the
  same `idempotency_key` and the same request may succeed (after `retry_after_ms`, when given): the
  gateway keeps no final record of such a payment, so the same key runs it again.
- `retryable`: whether repeating the same payment later with the same key is safe and may succeed —
  also true for an unknown outcome (the gateway answers or reconciles the first payment, it never
  charges twice), where the caller reconciles first. This is the caller's question, not §7's.

Messages and details never carry a card-like number or the call's payment token: they are masked as
the logs are (`client/masking.py`), whatever the gateway's own words were.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from checkout_payments.client.masking import redact
from checkout_payments.client.request import Detail
from checkout_payments.resilience import ErrorClass, ResilienceError

if TYPE_CHECKING:
    from checkout_payments.resilience import CallResult

PaymentOutcome = Literal["unknown", "failed"]
UNKNOWN: PaymentOutcome = "unknown"
FAILED: PaymentOutcome = "failed"


class PaymentError(ResilienceError):
    """A payment call ended without an answer (authorised or declined).

    `attempts` counts the HTTP attempts made to the gateway; `upstream_status` is the gateway's HTTP
    status when the error is its answer (None when the client ended the call itself); `details`
    names the fields of an invalid request; `retry_after_ms` is how long to wait before paying again
    with the same key: the gateway's `Retry-After`, or the time until the client's own open breaker
    lets a trial through. `secrets` (the payment token) are masked out of the message and details.
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
        secrets: tuple[str, ...] = (),
    ) -> None:
        super().__init__(error_class, redact(message, secrets), retryable, call=call)
        self.outcome: PaymentOutcome = outcome
        self.idempotency_key = idempotency_key
        self.attempts = attempts
        self.upstream_status = upstream_status
        self.details = tuple(Detail(redact(d.pointer, secrets), redact(d.message, secrets)) for d in details)
        self.retry_after_ms = retry_after_ms

    @property
    def unknown(self) -> bool:
        """True when the payment may have been charged: reconcile with `get_payment(idempotency_key)`."""
        return self.outcome == UNKNOWN

    @property
    def safe_to_retry_same_key(self) -> bool:
        """True when nothing was charged and paying again with the same key and request may succeed."""
        return self.outcome == FAILED and self.retryable


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


class PaymentBulkheadFullError(PaymentError):
    """The client's bulkhead for the operation was full: nothing was sent by the attempt it refused."""

    CLASS = ErrorClass.BULKHEAD_FULL


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
            PaymentBulkheadFullError,
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
