"""The fake gateway's vocabulary: the gateway's OpenAPI contract, a scripted step, a seen request, an error body.

Split from gateway_fake.py, which re-exports `Step`, `Seen` and `error_body` for the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[3]
OPENAPI = REPO / "java" / "gateway" / "src" / "main" / "resources" / "openapi.json"
_OPENAPI_URI = "urn:checkout:gateway-openapi"


class Contract:
    """The gateway's OpenAPI schemas, as JSON Schema 2020-12 validators."""

    def __init__(self, path: Path = OPENAPI) -> None:
        document = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_OPENAPI_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def violations(self, schema: str, instance: Any) -> list[str]:
        validator = self._validators.get(schema)
        if validator is None:
            ref = {"$ref": f"{_OPENAPI_URI}#/components/schemas/{schema}"}
            validator = Draft202012Validator(ref, registry=self._registry)
            self._validators[schema] = validator
        return [f"{schema}{error.json_path[1:]}: {error.message}" for error in validator.iter_errors(instance)]


@dataclass(frozen=True)
class Step:
    """What the fake does with the next scripted request.

    `status`/`body`/`headers`: the answer (a 200 without a body is the default authorisation).
    `charge`: record the payment as authorised first, so `GET /payments/{key}` finds it after a
    fault. `delay_ms`: wait before answering. `hang`: never answer; hold until the client leaves.
    `drop`: close the connection without an answer. `off_contract`: the body breaks the API on purpose.
    """

    status: int = 200
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    charge: bool = False
    delay_ms: int = 0
    hang: bool = False
    drop: bool = False
    off_contract: bool = False


@dataclass(frozen=True)
class Seen:
    """One request as the fake received it."""

    method: str
    path: str
    idempotency_key: str | None
    deadline_ms: str | None
    body: Any
    at: float
    peer: tuple[str, int] | None = None


def error_body(
    error_class: str, message: str, *, retryable: bool = False, status: str | None = None, pointer: str | None = None
) -> dict[str, Any]:
    """The gateway's error body: `{"error": {...}}` plus the payment `status` when it has one."""
    error: dict[str, Any] = {"class": error_class, "message": message, "retryable": retryable}
    if pointer is not None:
        error["details"] = [{"pointer": pointer, "message": message}]
    body: dict[str, Any] = {"error": error}
    if status is not None:
        body["status"] = status
    return body


def error_answer(
    http_status: int, error_class: str, message: str, pointer: str | None = None, *, status: str | None = None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    return http_status, error_body(error_class, message, status=status, pointer=pointer), {}
