"""The Python payment client of the checkout: pays through the payment gateway, in the `relay` role.

    with PaymentClient("http://gateway:8080") as client:
        result = client.pay("order-1", 1999, "EUR", token)   # authorised or declined
    # PaymentError subclasses otherwise. error.safe_to_retry_same_key: nothing was charged, pay again with the
    # same key (after error.retry_after_ms). error.outcome == "unknown": settle with client.get_payment(key).

Retries only CONNECTION (config/SEMANTICS.md §7); a timeout's outcome is unknown and is settled by
reconciliation (`get_payment`), never by a second charge. `config=ReloadingConfig(path)` takes up edits
of the config file while the process runs. See docs/PYTHON_CLIENT.md.
"""

from checkout_payments.client.async_client import AsyncPaymentClient
from checkout_payments.client.errors import (
    ERROR_TYPES,
    PaymentBulkheadFullError,
    PaymentCircuitOpenError,
    PaymentConnectionError,
    PaymentDeadlineExceededError,
    PaymentError,
    PaymentHalfOpenLimitError,
    PaymentIdempotencyConflictError,
    PaymentInternalError,
    PaymentInvalidRequestError,
    PaymentNotFoundError,
    PaymentOutcome,
    PaymentOverloadedError,
    PaymentRetryBudgetExhaustedError,
    PaymentTimeoutError,
    PaymentUpstreamUnavailableError,
)
from checkout_payments.client.logs import JsonFormatter, use_json_lines
from checkout_payments.client.reloading import ReloadingConfig
from checkout_payments.client.request import Detail, PaymentRequest
from checkout_payments.client.results import ClientStats, PaymentDeclinedError, PaymentResult, PaymentStatus
from checkout_payments.client.sync_client import PaymentClient

__all__ = [
    "ERROR_TYPES",
    "AsyncPaymentClient",
    "ClientStats",
    "Detail",
    "JsonFormatter",
    "PaymentBulkheadFullError",
    "PaymentCircuitOpenError",
    "PaymentClient",
    "PaymentConnectionError",
    "PaymentDeadlineExceededError",
    "PaymentDeclinedError",
    "PaymentError",
    "PaymentHalfOpenLimitError",
    "PaymentIdempotencyConflictError",
    "PaymentInternalError",
    "PaymentInvalidRequestError",
    "PaymentNotFoundError",
    "PaymentOutcome",
    "PaymentOverloadedError",
    "PaymentRequest",
    "PaymentResult",
    "PaymentRetryBudgetExhaustedError",
    "PaymentStatus",
    "PaymentTimeoutError",
    "PaymentUpstreamUnavailableError",
    "ReloadingConfig",
    "use_json_lines",
]
