"""How a payment attempt by the Lambda ended, in the words both its HTTP answers and its SQS reports use.

The payment outcome rule, as in the gateway and the client (docs/PYTHON_CLIENT.md):
- `answered`: authorised or declined — final; an SQS record is done (a decline is not redelivered).
- `unknown`: may have been charged — reconcile with `GET /payments/{key}` at the gateway, never pay
  under a new key; an SQS record comes back with its key, and the gateway answers or reconciles it.
- `failed`: nothing was charged. When `safe_to_retry_same_key` (breaker open, half-open limit, bulkhead
  full, budget, load shed, no time for an attempt, refused connection, a provider failure the gateway
  recorded as failed) the same key and request may run again and succeed: HTTP answers 503 (+ Retry-After
  when known, 1 s for a full bulkhead), an SQS record is reported so its redelivery runs again.
  Otherwise (an invalid request, a key reused for another payment) resending will not succeed: HTTP
  answers the gateway's status, and an SQS record is still reported, so after maxReceiveCount it lands
  in the DLQ rather than being deleted.
"""

from __future__ import annotations

from enum import StrEnum

from checkout_payments.client import PaymentError, PaymentResult

Outcome = PaymentResult | PaymentError


class Settlement(StrEnum):
    """`answered`: authorised or declined. `unknown`: may have been charged — reconcile with the same key.
    `failed`: nothing was charged, for the error's reason (see `PaymentError.safe_to_retry_same_key`)."""

    ANSWERED = "answered"
    UNKNOWN = "unknown"
    FAILED = "failed"


def settlement(outcome: Outcome) -> Settlement:
    if isinstance(outcome, PaymentResult):
        return Settlement.ANSWERED
    if outcome.unknown:
        return Settlement.UNKNOWN
    return Settlement.FAILED


def is_done(outcome: Outcome) -> bool:
    """Whether an SQS record with this outcome is finished: only an answer (authorised or declined) is."""
    return settlement(outcome) is Settlement.ANSWERED
