"""The repo's one error body (config/SEMANTICS.md §6) and the HTTP answers that carry it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from tools.simulator.behaviour import LATENCY_KINDS


def error_body(
    error_class: str,
    message: str,
    *,
    retryable: bool,
    details: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    return {
        "error": {
            "class": error_class,
            "message": message,
            "retryable": retryable,
            "details": [dict(detail) for detail in details],
        }
    }


def error_response(
    status: int,
    error_class: str,
    message: str,
    *,
    retryable: bool = False,
    details: Sequence[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    body = error_body(error_class, message, retryable=retryable, details=details)
    return web.json_response(body, status=status, headers=headers)


def invalid_request(message: str, details: Sequence[Mapping[str, str]] = ()) -> web.Response:
    return error_response(400, "INVALID_REQUEST", message, details=details)


def validation_details(error: ValidationError) -> list[dict[str, str]]:
    """Pydantic errors as {pointer, message}; the input value is left out because it may be a token."""
    details = []
    for item in error.errors(include_input=False, include_url=False):
        path = [str(part) for part in _json_location(item["loc"])]
        details.append(
            {
                "pointer": "".join(f"/{_escape(part)}" for part in path),
                "message": item["msg"],
            }
        )
    return details


def _json_location(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    # A discriminated union puts its tag in the location (latency/lognormal/p99_ms); the JSON has no such key.
    if len(loc) > 1 and loc[0] == "latency" and loc[1] in LATENCY_KINDS:
        return loc[:1] + loc[2:]
    return loc


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
