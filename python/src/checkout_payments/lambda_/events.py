"""Reading a Lambda event into a payment command, strictly: API Gateway REST (v1), HTTP API (v2) and SQS.

Nothing here calls anyone: a bad event becomes a `Rejected` naming the field, before any work.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from checkout_payments.client.masking import redact
from checkout_payments.client.request import (
    KEY_FIELD,
    Detail,
    PaymentRequest,
    derived_idempotency_key,
    key_details,
    request_details,
    to_request,
)

# The gateway's limit: a larger body answers 413.
MAX_BODY_BYTES = 64 * 1024
KEY_HEADER = "idempotency-key"
KEY_POINTER = "/headers/Idempotency-Key"
KeySource = Literal["header", "body", "attribute", "derived"]


class EventKind(StrEnum):
    HTTP_V1 = "apigateway-rest"
    HTTP_V2 = "apigateway-http"
    SQS = "sqs"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PaymentCommand:
    """A valid payment request and the Idempotency-Key it goes with (and where that key came from)."""

    request: PaymentRequest
    idempotency_key: str
    key_source: KeySource


@dataclass(frozen=True)
class Rejected:
    """An invalid event: the HTTP status it answers (400, 405 or 413) and every reason."""

    status: int
    message: str
    details: tuple[Detail, ...] = ()


def event_kind(event: object) -> EventKind:
    if not isinstance(event, Mapping):
        return EventKind.UNKNOWN
    records = event.get("Records")
    if isinstance(records, list) and records and all(_is_sqs(record) for record in records):
        return EventKind.SQS
    if event.get("version") == "2.0" and isinstance(event.get("requestContext"), Mapping):
        return EventKind.HTTP_V2
    if "httpMethod" in event:
        return EventKind.HTTP_V1
    return EventKind.UNKNOWN


def http_command(event: Mapping[str, Any], kind: EventKind) -> PaymentCommand | Rejected:
    """The payment of an API Gateway proxy event: JSON body, key from the Idempotency-Key header or derived."""
    method = _method(event, kind)
    if method != "POST":
        return Rejected(405, f"only POST creates a payment, but the method was {method!r}")
    header_keys = _header_values(event, KEY_HEADER)
    if len(set(header_keys)) > 1:
        return Rejected(400, "the Idempotency-Key header was sent with different values", (_key_twice(),))
    text = _body_text(event)
    if isinstance(text, Rejected):
        return text
    document = parse_object(text)
    if isinstance(document, Rejected):
        return document
    details = request_details(document)
    key: str | None = None
    source: KeySource = "header"
    if header_keys:
        key = header_keys[0]
        details += key_details(key, KEY_POINTER)
    elif not details:
        key, source = derived_idempotency_key(document["order_id"]), "derived"
        details += _derived_key_details(key)
    if details or key is None:
        return _invalid(details, _secrets(document))
    return PaymentCommand(to_request(document), key, source)


def sqs_command(record: Mapping[str, Any]) -> PaymentCommand | Rejected:
    """The payment of one SQS message; its key is the body's idempotency_key, else the message's
    Idempotency-Key attribute, else derived from order_id."""
    text = record.get("body")
    if not isinstance(text, str):
        return Rejected(400, "the SQS message has no body", (Detail("", "the message body must be a JSON object"),))
    document = parse_object(text)
    if isinstance(document, Rejected):
        return document
    details = request_details(document, allow_key=True)
    attribute = _key_attribute(record)
    body_key = document.get(KEY_FIELD)
    if isinstance(attribute, Rejected):
        return attribute
    if body_key is not None and attribute is not None and body_key != attribute:
        details.append(
            Detail(f"/{KEY_FIELD}", "the body's idempotency_key differs from the message's Idempotency-Key attribute")
        )
    if details:
        return _invalid(details, _secrets(document))
    if body_key is not None:
        return PaymentCommand(to_request(document), body_key, "body")
    if attribute is not None:
        return PaymentCommand(to_request(document), attribute, "attribute")
    key = derived_idempotency_key(document["order_id"])
    derived_problems = _derived_key_details(key)
    if derived_problems:
        return _invalid(derived_problems)
    return PaymentCommand(to_request(document), key, "derived")


def parse_object(text: str) -> dict[str, Any] | Rejected:
    """A JSON object, strictly: no duplicate member, no NaN or Infinity."""
    try:
        document = json.loads(text, object_pairs_hook=_unique_members, parse_constant=_no_constant)
    except _DuplicateMemberError as duplicate:
        return _invalid([Detail(f"/{_escape(duplicate.name)}", f"{duplicate.name!r} appears more than once")])
    except ValueError as broken:
        return Rejected(400, "the body is not JSON", (Detail("", f"the body is not JSON: {broken}"),))
    if not isinstance(document, dict):
        return _invalid(request_details(document))
    return document


def _invalid(details: list[Detail], secrets: tuple[str, ...] = ()) -> Rejected:
    """A 400 naming every reason; the request's token and card-like numbers are masked out of every word."""
    shown = tuple(Detail(d.pointer, redact(d.message, secrets)) for d in details)
    listed = "; ".join(f"{d.pointer or '(body)'}: {d.message}" for d in shown)
    return Rejected(400, f"the payment request is invalid: {listed}", shown)


def _secrets(document: Mapping[str, Any]) -> tuple[str, ...]:
    token = document.get("payment_token")
    return (token,) if isinstance(token, str) else ()


def _is_sqs(record: object) -> bool:
    return isinstance(record, Mapping) and record.get("eventSource") == "aws:sqs"


def _method(event: Mapping[str, Any], kind: EventKind) -> str | None:
    if kind is EventKind.HTTP_V1:
        method = event.get("httpMethod")
    else:
        context = event.get("requestContext") or {}
        http = context.get("http") if isinstance(context, Mapping) else None
        method = http.get("method") if isinstance(http, Mapping) else None
    return method.upper() if isinstance(method, str) else None


def _header_values(event: Mapping[str, Any], name: str) -> list[str]:
    """Every value of header `name` (case-insensitive); REST APIs also carry repeats in multiValueHeaders."""
    values: list[str] = []
    multi = event.get("multiValueHeaders")
    if isinstance(multi, Mapping):
        for header, items in multi.items():
            if isinstance(header, str) and header.lower() == name and isinstance(items, list):
                values += [item for item in items if isinstance(item, str)]
    if values:
        return values
    headers = event.get("headers")
    if isinstance(headers, Mapping):
        values = [v for k, v in headers.items() if isinstance(k, str) and k.lower() == name and isinstance(v, str)]
    return values


def _key_twice() -> Detail:
    return Detail(KEY_POINTER, "Idempotency-Key must be sent once")


def _body_text(event: Mapping[str, Any]) -> str | Rejected:
    body = event.get("body")
    if not isinstance(body, str) or not body:
        return Rejected(400, "the request has no body", (Detail("", "the body must be a JSON payment request"),))
    raw: bytes
    if event.get("isBase64Encoded") is True:
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            return Rejected(400, "the body is not valid base64", (Detail("", "isBase64Encoded but not base64"),))
    else:
        raw = body.encode("utf-8")
    if len(raw) > MAX_BODY_BYTES:
        return Rejected(413, f"the body has {len(raw)} bytes, more than {MAX_BODY_BYTES}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Rejected(400, "the body is not UTF-8", (Detail("", "the body must be UTF-8 JSON"),))


def _key_attribute(record: Mapping[str, Any]) -> str | Rejected | None:
    attributes = record.get("messageAttributes")
    if not isinstance(attributes, Mapping):
        return None
    for name, attribute in attributes.items():
        if isinstance(name, str) and name.lower() == KEY_HEADER and isinstance(attribute, Mapping):
            value = attribute.get("stringValue")
            problems = key_details(value, "/messageAttributes/Idempotency-Key")
            if problems:
                return _invalid(problems)
            return str(value)
    return None


def _derived_key_details(key: str) -> list[Detail]:
    if key_details(key, "/order_id"):
        return [
            Detail(
                "/order_id",
                f"no Idempotency-Key was given and {key!r} is no valid one (1 to 255 visible ASCII characters): "
                "send an Idempotency-Key or use an order_id of visible ASCII",
            )
        ]
    return []


class _DuplicateMemberError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"duplicate member {name!r}")
        self.name = name


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name, value in pairs:
        if name in document:
            raise _DuplicateMemberError(name)
        document[name] = value
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
