"""What a payment request must be, checked once for the client and the Lambda handler (the gateway's rules).

Every limit is the one of config/api-limits.json, through the generated `checkout_payments.generated.api_limits`
(the same constants the gateway and the order service use): a request this module accepts is one no
later hop refuses for its size or currency. The gateway validates again; checking here first turns a
bad call into a typed error that names the field, before any attempt, and lets the Lambda answer 400
without calling anyone.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from checkout_payments.client.masking import redact
from checkout_payments.generated import api_limits

MAX_ORDER_ID_CHARS = api_limits.order_id_max_length
MAX_TOKEN_CHARS = api_limits.payment_token_max_length
MAX_AMOUNT_MINOR = api_limits.amount_minor_max
MAX_KEY_CHARS = api_limits.idempotency_key_max_length
CURRENCIES = api_limits.currencies
REQUEST_FIELDS = ("order_id", "amount_minor", "currency", "payment_token")
KEY_FIELD = "idempotency_key"
# The gateway's Idempotency-Key: 1 to idempotency_key_max_length visible ASCII characters (0x21–0x7E).
_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_CHARS}}}")
DERIVED_KEY_PREFIX = "payment-"


@dataclass(frozen=True)
class Detail:
    """One reason a request is invalid: a JSON Pointer into it and a sentence naming value and expectation."""

    pointer: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}


@dataclass(frozen=True)
class PaymentRequest:
    """A valid payment request; the token never shows in a repr."""

    order_id: str
    amount_minor: int
    currency: str
    payment_token: str = field(repr=False)

    def body(self) -> dict[str, Any]:
        """The JSON body of `POST /payments`."""
        return {
            "order_id": self.order_id,
            "amount_minor": self.amount_minor,
            "currency": self.currency,
            "payment_token": self.payment_token,
        }


def new_idempotency_key() -> str:
    """A fresh key for a payment the caller did not name: generated once, sent on every attempt."""
    return str(uuid.uuid4())


def derived_idempotency_key(order_id: str) -> str:
    """The key of an order's payment when the caller sent none: one payment per order."""
    return DERIVED_KEY_PREFIX + order_id


def key_details(key: object, pointer: str) -> list[Detail]:
    """Why `key` is no valid Idempotency-Key (empty when it is one)."""
    if not isinstance(key, str):
        return [Detail(pointer, f"the idempotency key must be a string, but was {_kind(key)}")]
    if _KEY.fullmatch(key) is None:
        return [
            Detail(
                pointer,
                f"the idempotency key must be 1 to {MAX_KEY_CHARS} visible ASCII characters (0x21-0x7E), "
                f"but was {_shown(key)}",
            )
        ]
    return []


def request_details(document: object, *, allow_key: bool = False) -> list[Detail]:
    """Every reason `document` is no valid payment request body (empty when it is one).

    Strict like the gateway: exactly the four fields (plus `idempotency_key` when `allow_key`), no
    unknown field, integers that are JSON integers (5.0 and true are not).
    """
    if not isinstance(document, Mapping):
        return [Detail("", f"the payment request must be a JSON object, but was {_kind(document)}")]
    allowed = (*REQUEST_FIELDS, KEY_FIELD) if allow_key else REQUEST_FIELDS
    details = [
        Detail(f"/{_escape(str(name))}", redact(f"unknown field {name!r}")) for name in document if name not in allowed
    ]
    details += [Detail(f"/{name}", f"{name} is required") for name in REQUEST_FIELDS if name not in document]
    checks = {
        "order_id": _order_id,
        "amount_minor": _amount,
        "currency": _currency,
        "payment_token": _token,
    }
    for name, check in checks.items():
        if name in document:
            problem = check(document[name])
            if problem is not None:
                details.append(Detail(f"/{name}", problem))
    if allow_key and KEY_FIELD in document:
        details += key_details(document[KEY_FIELD], f"/{KEY_FIELD}")
    return details


def to_request(document: Mapping[str, Any]) -> PaymentRequest:
    """The request of a document `request_details` found nothing wrong with."""
    return PaymentRequest(
        document["order_id"], document["amount_minor"], document["currency"], document["payment_token"]
    )


def _order_id(value: object) -> str | None:
    if isinstance(value, str) and 1 <= len(value) <= MAX_ORDER_ID_CHARS:
        return None
    return f"order_id must be a string of 1 to {MAX_ORDER_ID_CHARS} characters, but was {_shown(value)}"


def _amount(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_AMOUNT_MINOR:
        return None
    return f"amount_minor must be an integer from 1 to {MAX_AMOUNT_MINOR} (minor units), but was {_shown(value)}"


def _currency(value: object) -> str | None:
    if isinstance(value, str) and value in CURRENCIES:
        return None
    return (
        f"currency must be one of the {len(CURRENCIES)} ISO 4217 codes of config/api-limits.json "
        f"(three capital letters, e.g. EUR), but was {_shown(value)}"
    )


def _token(value: object) -> str | None:
    # The token's value is never echoed: only what kind of value it was.
    if isinstance(value, str):
        if 1 <= len(value) <= MAX_TOKEN_CHARS:
            return None
        return f"payment_token must be a string of 1 to {MAX_TOKEN_CHARS} characters, but had {len(value)}"
    return f"payment_token must be a string of 1 to {MAX_TOKEN_CHARS} characters, but was {_kind(value)}"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__


def _shown(value: object) -> str:
    """`value` as JSON for a message, shortened, with card-like numbers masked as the logs mask them."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = _kind(value)
    text = redact(text)
    return text if len(text) <= 40 else text[:40] + "…"


def _escape(name: str) -> str:
    # RFC 6901: '~' and '/' inside a member name.
    return name.replace("~", "~0").replace("/", "~1")
