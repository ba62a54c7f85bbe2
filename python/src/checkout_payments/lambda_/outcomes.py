"""How a payment attempt by the Lambda ended, in the four words both its HTTP answers and its SQS reports use."""

from __future__ import annotations

from enum import StrEnum

from checkout_payments.client import PaymentError, PaymentResult
from checkout_payments.resilience import ErrorClass

Outcome = PaymentResult | PaymentError


class Settlement(StrEnum):
    """`answered`: authorised or declined. `unknown`: may have been charged — reconcile, or resend with the
    same key. `pending`: time ran short before the payment could be made; nothing was charged — resend
    with the same key. `failed`: nothing was charged, for the error's reason."""

    ANSWERED = "answered"
    UNKNOWN = "unknown"
    PENDING = "pending"
    FAILED = "failed"


def settlement(outcome: Outcome) -> Settlement:
    if isinstance(outcome, PaymentResult):
        return Settlement.ANSWERED
    if outcome.unknown:
        return Settlement.UNKNOWN
    if outcome.error_class is ErrorClass.DEADLINE_EXCEEDED:
        return Settlement.PENDING
    return Settlement.FAILED
