"""The answers HAProxy gives itself, in the repo's error shape (SEMANTICS §6), per tier and status."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

GATEWAYS, ORDER_SERVICES = "gateways", "order-services"
# Every answer HAProxy makes itself carries this header, so a caller (and the fault report) can tell an
# answer of the balancer from an answer of a replica.
MARKER_HEADER = "X-Checkout-Balancer"

# The balancer's own answers, in the repo's error shape (SEMANTICS §6). 503: no replica was up, the
# request reached none — nothing was done, the same Idempotency-Key may be sent again (for a gateway
# caller: `status: failed`, nothing charged, and class CONNECTION, which a relay retries). 502/504:
# the replica took the request and then broke the connection or never answered — the outcome is
# unknown: for a payment `status: unknown` (settled by GET /payments/{key}), for an order the same key
# finds the same order.
ERRORS: dict[str, dict[int, dict[str, Any]]] = {
    GATEWAYS: {
        503: {
            "error": {
                "class": "CONNECTION",
                "message": "No gateway replica is available, so the payment reached none and nothing was "
                "charged: retrying with the same Idempotency-Key is safe.",
                "retryable": True,
            },
            "status": "failed",
        },
        502: {
            "error": {
                "class": "CONNECTION",
                "message": "The gateway replica broke the connection before it answered, so the payment may "
                "have been charged: do not retry it under a new Idempotency-Key; GET /payments/{idempotencyKey} "
                "settles its outcome.",
                "retryable": False,
            },
            "status": "unknown",
        },
        504: {
            "error": {
                "class": "TIMEOUT",
                "message": "The gateway replica did not answer in time, so the payment may have been charged: "
                "GET /payments/{idempotencyKey} settles its outcome.",
                "retryable": False,
            },
            "status": "unknown",
        },
    },
    ORDER_SERVICES: {
        503: {
            "error": {
                "class": "CONNECTION",
                "message": "No order-service replica is available, so the request reached none and no order "
                "was made: retry with the same Idempotency-Key.",
                "retryable": True,
            }
        },
        502: {
            "error": {
                "class": "CONNECTION",
                "message": "The order-service replica broke the connection before it answered: the order may "
                "exist and be paid; retry with the same Idempotency-Key, which finds the same order.",
                "retryable": True,
            }
        },
        504: {
            "error": {
                "class": "TIMEOUT",
                "message": "The order-service replica did not answer in time: retry with the same "
                "Idempotency-Key, which finds the same order.",
                "retryable": True,
            }
        },
    },
}
REASONS = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def error_file(code: int, body: Mapping[str, Any]) -> str:
    """A raw HTTP answer for HAProxy's `errorfile`: status line, headers, blank line, JSON body."""
    payload = json.dumps(body, separators=(",", ":"))
    headers = [
        f"HTTP/1.1 {code} {REASONS[code]}",
        "Content-Type: application/json",
        "Cache-Control: no-store",
        "Connection: close",
        f"{MARKER_HEADER}: haproxy",
        f"Content-Length: {len(payload.encode())}",
    ]
    if code == 503:
        headers.append("Retry-After: 1")
    return "\r\n".join(headers) + "\r\n\r\n" + payload
