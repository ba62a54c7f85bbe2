"""API Gateway proxy responses: the result (200), an unknown outcome (202), or an error.

The payment outcome rule (lambda_/outcomes.py): a payment that failed without a charge and may pass
with the same key answers 503, with `Retry-After` (seconds) when the gateway or the client's breaker
said how long to wait — and `Retry-After: 1` when the client's bulkhead was full (a slot frees as soon
as an attempt in flight ends) — and a message saying the same Idempotency-Key is safe; an unknown outcome
answers 202 and says to reconcile with `GET /payments/{key}`. Error bodies have the repo's one shape
plus the payment `status`; `retryable` is false in every one of them, as config/SEMANTICS.md §7 asks
of a service that ran a retry loop: the caller resends later with the same key, not at once.
Messages and details are masked as the logs are: no card-like number is echoed back.
"""

from __future__ import annotations

import json
import math
from typing import Any

from checkout_payments.client import PaymentError, PaymentResult
from checkout_payments.client.masking import redact
from checkout_payments.client.request import Detail
from checkout_payments.lambda_.events import Rejected
from checkout_payments.lambda_.outcomes import Outcome, Settlement, settlement
from checkout_payments.resilience import ErrorClass

ACCEPTED = 202
# Nothing was charged and the same key may pass later: the service cannot take the payment now.
SAME_KEY_LATER = 503
# A full bulkhead (SEMANTICS §11) names no wait of its own: a slot frees when any attempt in flight ends.
BULKHEAD_RETRY_AFTER_MS = 1000
# Classes whose status the gateway chose among several (400/413, 409/422): its answer is passed on.
_GATEWAY_STATUS = frozenset({ErrorClass.INVALID_REQUEST, ErrorClass.IDEMPOTENCY_CONFLICT})


def http_response(
    status: int, body: dict[str, Any], idempotency_key: str | None = None, retry_after_ms: int | None = None
) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    if retry_after_ms is not None:
        # RFC 9110 delta-seconds, rounded up: never earlier than the gateway (or breaker) asked.
        headers["Retry-After"] = str(max(1, math.ceil(retry_after_ms / 1000)))
    return {
        "statusCode": status,
        "headers": headers,
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
    }


def outcome_response(outcome: Outcome, idempotency_key: str) -> dict[str, Any]:
    if isinstance(outcome, PaymentResult):
        return http_response(200, outcome.to_json(), idempotency_key)
    kind = settlement(outcome)
    body = error_body(outcome.error_class, outcome.message, outcome.details)
    body["status"] = kind.value
    body["idempotency_key"] = idempotency_key
    if kind is Settlement.UNKNOWN:
        return http_response(ACCEPTED, body, idempotency_key)
    if outcome.safe_to_retry_same_key:
        retry_after_ms = outcome.retry_after_ms
        if retry_after_ms is None and outcome.error_class is ErrorClass.BULKHEAD_FULL:
            retry_after_ms = BULKHEAD_RETRY_AFTER_MS
        return http_response(SAME_KEY_LATER, body, idempotency_key, retry_after_ms)
    return http_response(_failed_status(outcome), body, idempotency_key)


def rejected_response(rejected: Rejected) -> dict[str, Any]:
    body = error_body(ErrorClass.INVALID_REQUEST, rejected.message, rejected.details)
    body["status"] = Settlement.FAILED.value
    return http_response(rejected.status, body)


def internal_response(error_class: ErrorClass, message: str) -> dict[str, Any]:
    return http_response(500, error_body(error_class, message))


def error_body(error_class: ErrorClass, message: str, details: tuple[Detail, ...] = ()) -> dict[str, Any]:
    """The repo's error shape, masked: whatever a message or detail quotes, no card-like number leaves."""
    error: dict[str, Any] = {"class": error_class.value, "message": redact(message), "retryable": False}
    if details:
        error["details"] = [{"pointer": redact(d.pointer), "message": redact(d.message)} for d in details]
    return {"error": error}


def _failed_status(error: PaymentError) -> int:
    if error.error_class in _GATEWAY_STATUS and error.upstream_status is not None:
        return error.upstream_status
    return error.http_status or 500
