"""A Lambda context whose remaining time really runs down, and the events API Gateway and SQS send."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

PAYMENT: dict[str, Any] = {
    "order_id": "order-1",
    "amount_minor": 1999,
    "currency": "EUR",
    "payment_token": "tok_visa_4242",
}


class WallClockContext:
    """`get_remaining_time_in_millis()` counts down on the wall clock, as in Lambda."""

    def __init__(self, remaining_ms: int) -> None:
        self._ends_at = time.monotonic() + remaining_ms / 1000
        self.aws_request_id = str(uuid.uuid4())
        self.function_name = "payment-handler"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._ends_at - time.monotonic()) * 1000))


def payment(**changes: Any) -> dict[str, Any]:
    return {**PAYMENT, **changes}


def rest_event(
    body: Any = None,
    headers: dict[str, str] | None = None,
    *,
    method: str = "POST",
    raw_body: str | None = None,
    multi_headers: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST API (v1) proxy event."""
    return {
        "resource": "/payments",
        "path": "/payments",
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": multi_headers or {name: [value] for name, value in (headers or {}).items()},
        "queryStringParameters": None,
        "pathParameters": None,
        "requestContext": {"requestId": str(uuid.uuid4()), "httpMethod": method, "stage": "prod"},
        "body": raw_body if raw_body is not None else (None if body is None else json.dumps(body)),
        "isBase64Encoded": False,
    }


def http_api_event(
    body: Any = None, headers: dict[str, str] | None = None, *, method: str = "POST", base64_body: bool = False
) -> dict[str, Any]:
    """An API Gateway HTTP API (v2) proxy event: lower-case header names."""
    text = None if body is None else json.dumps(body)
    if base64_body and text is not None:
        text = base64.b64encode(text.encode()).decode()
    return {
        "version": "2.0",
        "routeKey": "POST /payments",
        "rawPath": "/payments",
        "rawQueryString": "",
        "headers": {name.lower(): value for name, value in (headers or {}).items()},
        "requestContext": {"http": {"method": method, "path": "/payments"}, "requestId": str(uuid.uuid4())},
        "body": text,
        "isBase64Encoded": base64_body,
    }


def sqs_record(
    message_id: str, body: Any, *, key_attribute: str | None = None, raw_body: str | None = None, fifo: bool = False
) -> dict[str, Any]:
    attributes = {}
    if key_attribute is not None:
        attributes["Idempotency-Key"] = {"stringValue": key_attribute, "dataType": "String"}
    queue = "payments.fifo" if fifo else "payments"
    return {
        "messageId": message_id,
        "receiptHandle": f"handle-{message_id}",
        "body": raw_body if raw_body is not None else json.dumps(body),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": attributes,
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:eu-west-1:123456789012:{queue}",
        "awsRegion": "eu-west-1",
    }


def sqs_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def body_of(response: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of an API Gateway response (its body is a string, as proxy integrations require)."""
    assert isinstance(response["body"], str)
    parsed: dict[str, Any] = json.loads(response["body"])
    return parsed


def failed_ids(response: dict[str, Any]) -> list[str]:
    return sorted(item["itemIdentifier"] for item in response["batchItemFailures"])
