"""Every idempotency key the provider has seen, with running totals kept up to date on each request (O(1))."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from tools.simulator.charge_request import ChargeRequest


class ChargeStatus(Enum):
    NONE = "none"
    """Attempts arrived, but none reached the charge (errors, drops, hangs, outages)."""
    PENDING = "pending"
    AUTHORISED = "authorised"
    DECLINED = "declined"


@dataclass
class Entry:
    key: str
    charge_id: str
    first_at: str
    order_id: str
    amount_minor: int
    currency: str
    last_at: str = ""
    attempts: int = 0
    charges: int = 0
    """Times a charge was executed (authorised or declined) for this key; idempotency means at most 1."""
    status: ChargeStatus = ChargeStatus.NONE
    payload_digest: str | None = None
    """Bound when the first charge starts; a later attempt with another digest is a 422."""
    decline_reason: str | None = None
    completed_at: str | None = None

    @property
    def completed(self) -> bool:
        return self.status in (ChargeStatus.AUTHORISED, ChargeStatus.DECLINED)

    def answer(self) -> dict[str, Any]:
        """The charge as `POST` (201, or a replay) and `GET /v1/charges/{key}` show it."""
        body: dict[str, Any] = {
            "charge_id": self.charge_id,
            "idempotency_key": self.key,
            "status": self.status.value,
            "amount_minor": self.amount_minor,
            "currency": self.currency,
        }
        if self.decline_reason is not None:
            body["decline_reason"] = self.decline_reason
        return body

    def to_json(self) -> dict[str, Any]:
        return {
            **self.answer(),
            "key": self.key,
            "order_id": self.order_id,
            "charges": self.charges,
            "attempts": self.attempts,
            "first_at": self.first_at,
            "last_at": self.last_at,
            "completed_at": self.completed_at,
        }


@dataclass
class Ledger:
    seed: int
    entries: dict[str, Entry] = field(default_factory=dict)
    attempts: int = 0
    charges: int = 0
    authorised: int = 0
    declined: int = 0
    double_charged: set[str] = field(default_factory=set)

    def attempt(self, key: str, request: ChargeRequest) -> tuple[Entry, int]:
        """Count one POST with `key`; return its entry and the attempt number (1 for the first)."""
        now = _now()
        entry = self.entries.get(key)
        if entry is None:
            entry = Entry(
                key=key,
                charge_id=charge_id(self.seed, key),
                first_at=now,
                order_id=request.order_id,
                amount_minor=request.amount_minor,
                currency=request.currency,
            )
            self.entries[key] = entry
        elif entry.status is ChargeStatus.NONE:
            # Nothing is bound to the key until a charge starts: show what was last asked for.
            entry.order_id, entry.amount_minor, entry.currency = (
                request.order_id,
                request.amount_minor,
                request.currency,
            )
        entry.attempts += 1
        entry.last_at = now
        self.attempts += 1
        return entry, entry.attempts

    def begin(self, entry: Entry, payload_digest: str) -> None:
        entry.status = ChargeStatus.PENDING
        entry.payload_digest = payload_digest

    def complete(self, entry: Entry, decline_reason: str | None) -> None:
        entry.status = ChargeStatus.AUTHORISED if decline_reason is None else ChargeStatus.DECLINED
        entry.decline_reason = decline_reason
        entry.completed_at = _now()
        entry.charges += 1
        self.charges += 1
        if decline_reason is None:
            self.authorised += 1
        else:
            self.declined += 1
        if entry.charges > 1:
            self.double_charged.add(entry.key)

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def to_json(self) -> dict[str, Any]:
        return {
            "charges": [entry.to_json() for entry in self.entries.values()],
            "totals": {
                "keys": len(self.entries),
                "charges": self.charges,
                "attempts": self.attempts,
                "authorised": self.authorised,
                "declined": self.declined,
                "duplicate_attempts": self.attempts - len(self.entries),
                "double_charged": sorted(self.double_charged),
            },
        }


def charge_id(seed: int, key: str) -> str:
    """Derived from (seed, key) so two runs with one seed name the same charge the same way."""
    return "ch_" + hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:24]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
