"""What the client answers: a payment's result, a payment's reconciled status, and the client's counters.

`PaymentDeclinedError` lives here, next to the result it carries: errors.py knows nothing of results, so
the two modules import in one direction only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from checkout_payments.client.errors import FAILED, PaymentError
from checkout_payments.resilience import BreakerState, ErrorClass

ResultStatus = Literal["authorised", "declined"]
StatusValue = Literal["authorised", "declined", "failed", "unknown", "pending"]
RESULT_STATUSES: frozenset[str] = frozenset({"authorised", "declined"})
STATUS_VALUES: frozenset[str] = frozenset({"authorised", "declined", "failed", "unknown", "pending"})


class PaymentDeclinedError(PaymentError):
    """Raised only on request (`PaymentResult.raise_for_decline()`): a decline is an answer, not a fault."""

    CLASS = ErrorClass.DECLINED

    def __init__(self, message: str, *, result: PaymentResult | None = None, **kwargs: Any) -> None:
        super().__init__(ErrorClass.DECLINED, message, **kwargs)
        self.result = result


@dataclass(frozen=True)
class PaymentResult:
    """The gateway's answer to a payment: authorised or declined (a decline is a result, not an exception).

    `attempts` counts the HTTP attempts this client made to the gateway for it.
    """

    idempotency_key: str
    status: ResultStatus
    charge_id: str
    amount_minor: int
    currency: str
    attempts: int
    decline_reason: str | None = None
    order_id: str | None = None

    @property
    def authorised(self) -> bool:
        return self.status == "authorised"

    def raise_for_decline(self) -> PaymentResult:
        """This result when authorised; raises `PaymentDeclinedError` (carrying it) when declined."""
        if self.authorised:
            return self
        reason = f" ({self.decline_reason})" if self.decline_reason else ""
        raise PaymentDeclinedError(
            f"payment {self.idempotency_key} was declined{reason}: nothing was charged; "
            "a new attempt needs a new payment method and a new idempotency key",
            result=self,
            retryable=False,
            outcome=FAILED,
            idempotency_key=self.idempotency_key,
            attempts=self.attempts,
        )

    def to_json(self) -> dict[str, Any]:
        """The gateway's PaymentResult shape (`decline_reason` only when declined, `order_id` when known)."""
        body: dict[str, Any] = {
            "idempotency_key": self.idempotency_key,
            "status": self.status,
            "charge_id": self.charge_id,
            "amount_minor": self.amount_minor,
            "currency": self.currency,
            "attempts": self.attempts,
        }
        if self.order_id is not None:
            body["order_id"] = self.order_id
        if self.decline_reason is not None:
            body["decline_reason"] = self.decline_reason
        return body


@dataclass(frozen=True)
class PaymentStatus:
    """A payment's status as the gateway knows it now (`GET /payments/{key}`), for settling an unknown outcome.

    `authorised` and `declined` are final. `failed` means nothing was charged and the record is not
    final: paying again with the same key and request runs the payment again (`safe_to_retry_same_key`).
    `pending` means in flight; `unknown` means the gateway could not settle it yet (ask again later,
    never pay under a new key). `error_class` and `message` come with `failed` or `unknown` when the
    gateway said why.
    """

    idempotency_key: str
    status: StatusValue
    order_id: str | None = None
    charge_id: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    decline_reason: str | None = None
    error_class: ErrorClass | None = None
    message: str | None = None

    @property
    def settled(self) -> bool:
        """True when whether it charged is known: authorised, declined, or failed (nothing charged)."""
        return self.status in ("authorised", "declined", "failed")

    @property
    def charged(self) -> bool:
        return self.status == "authorised"

    @property
    def safe_to_retry_same_key(self) -> bool:
        """True for `failed`: nothing was charged, and paying again with the same key and request may succeed."""
        return self.status == "failed"


@dataclass(frozen=True)
class ClientStats:
    """A snapshot of one client's counters since it was made.

    Payments count once, by how they ended (`successes` authorised, `declines`, `failures` surely not
    charged, `unknown_outcomes` to reconcile); `attempts` and `retries` count HTTP attempts and
    backoff sleeps of every call (payments and status reads). The breaker and budget fields are the
    charge's (`pay`); the lookup's (`get_payment`) are in the metrics, labelled `operation="lookup"`.
    """

    successes: int
    declines: int
    failures: int
    unknown_outcomes: int
    attempts: int
    retries: int
    breaker_state: BreakerState
    breaker_generation: int
    budget_tokens: float
    budget_max_tokens: int
