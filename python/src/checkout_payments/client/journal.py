"""One call in progress: the config it runs on, its operation and deadline, and how each of its attempts ended."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from checkout_payments.client.request import PaymentRequest
from checkout_payments.client.wire import AttemptEnd
from checkout_payments.config import LoadedConfig
from checkout_payments.resilience import Operation


def monotonic_ms() -> int:
    """The default clock: monotonic, integer milliseconds."""
    return time.monotonic_ns() // 1_000_000


@dataclass(frozen=True)
class AttemptRecord:
    number: int
    timeout_ms: int
    end: AttemptEnd
    duration_ms: int


@dataclass
class Journal:
    """One call in progress: its operation (`charge`: `pay`, `lookup`: `get_payment`), the config it started
    on, its deadline, and how each of its attempts ended."""

    operation: Operation
    idempotency_key: str
    deadline_ms: int
    deadline_at: int
    config: LoadedConfig
    order_id: str | None = None
    request: PaymentRequest | None = None
    records: list[AttemptRecord] = field(default_factory=list)
    started_s: float = field(default_factory=time.perf_counter)

    @property
    def ambiguous(self) -> bool:
        """Whether any attempt may have reached the gateway without a definitive answer."""
        return any(record.end.ambiguous for record in self.records)

    @property
    def last(self) -> AttemptRecord | None:
        return self.records[-1] if self.records else None

    @property
    def elapsed_ms(self) -> int:
        return round((time.perf_counter() - self.started_s) * 1000)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never show in a message of this call (the payment token)."""
        return (self.request.payment_token,) if self.request is not None else ()

    def fields(self) -> dict[str, object]:
        base: dict[str, object] = {"operation": self.operation, "idempotency_key": self.idempotency_key}
        if self.order_id is not None:
            base["order_id"] = self.order_id
        return base
