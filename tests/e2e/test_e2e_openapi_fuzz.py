"""The gateway's and the order service's OpenAPI documents, fuzzed with schemathesis against the running stack.

Every operation gets requests generated from the document — valid ones and invalid ones — and every
answer must be in the document (status, content type, headers, body schema) and never a 5xx. The one
5xx the spec asks for is allowed, and only when the request asked for it: `504 DEADLINE_EXCEEDED`
for an `X-Deadline-Ms` too short to do the work (SEMANTICS §5: ≤ 0 is refused at once, and a few
milliseconds cannot cover a call to the next hop).

Hypothesis runs derandomized (a fixed seed per test), so a failure replays on the next run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from e2e_stack import Surfaces
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = {
    "gateway": REPO / "java" / "gateway" / "src" / "main" / "resources" / "openapi.json",
    "order-service": REPO / "node" / "packages" / "order-service" / "src" / "openapi.json",
}
CHECKS = [status_code_conformance, content_type_conformance, response_headers_conformance, response_schema_conformance]
EXAMPLES = 100
# Below this, a deadline cannot cover one hop on a loaded machine: a 504 DEADLINE_EXCEEDED is the answer.
SHORT_DEADLINE_MS = 1000
CURRENCIES = ("EUR", "USD", "GBP", "JPY", "CHF", "BHD")


def cases() -> Iterator[tuple[str, str, GenerationMode]]:
    """Every operation with valid inputs; those that take any input also with invalid ones."""
    for service, path in DOCUMENTS.items():
        document = json.loads(path.read_text(encoding="utf-8"))
        for route, item in document["paths"].items():
            for method, operation in item.items():
                label = f"{method.upper()} {route}"
                yield service, label, GenerationMode.POSITIVE
                if operation.get("parameters") or operation.get("requestBody") or item.get("parameters"):
                    yield service, label, GenerationMode.NEGATIVE


def steer_to_the_payment_path(case: Case, data: st.DataObject) -> None:
    """A real currency and a usable deadline: a random three-letter code is almost never ISO 4217 and a
    random deadline almost always too short, so without this few valid requests would reach a payment."""
    if isinstance(case.body, dict) and "currency" in case.body:
        case.body["currency"] = data.draw(st.sampled_from(CURRENCIES))
    if case.headers and "X-Deadline-Ms" in case.headers:
        case.headers["X-Deadline-Ms"] = str(data.draw(st.integers(SHORT_DEADLINE_MS * 3, 60_000)))


def asked_for_a_504(case: Case) -> bool:
    raw = (case.headers or {}).get("X-Deadline-Ms")
    try:
        return raw is not None and int(str(raw)) < SHORT_DEADLINE_MS
    except ValueError:
        return False


def assert_no_server_error(case: Case, status: int, body: str) -> None:
    if status < 500:
        return
    if status == 504 and asked_for_a_504(case) and json.loads(body)["error"]["class"] == "DEADLINE_EXCEEDED":
        return
    raise AssertionError(f"{status} for {case.method} {case.formatted_path} headers={case.headers}: {body[:500]}")


@pytest.mark.parametrize(("service", "label", "mode"), [pytest.param(*c, id="-".join(map(str, c))) for c in cases()])
def test_fuzzed_requests_get_no_5xx_and_every_answer_matches_the_document(
    e2e: Surfaces, service: str, label: str, mode: GenerationMode
) -> None:
    operation = schemathesis.openapi.from_path(DOCUMENTS[service]).find_operation_by_label(label)
    assert operation is not None
    base_url = e2e.stack.services[service].url

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        if mode is GenerationMode.POSITIVE and data.draw(st.booleans()):
            steer_to_the_payment_path(case, data)
        response = case.call(base_url=base_url, timeout=30)
        assert_no_server_error(case, response.status_code, response.text)
        case.validate_response(response, checks=CHECKS)

    fuzz()
    assert e2e.ledger()["totals"]["double_charged"] == []


@pytest.mark.parametrize("service", DOCUMENTS)
def test_the_served_document_is_the_fuzzed_one(e2e: Surfaces, service: str) -> None:
    served = e2e.http.get(f"{e2e.stack.services[service].url}/openapi.json")

    assert served.status_code == 200
    assert served.json() == json.loads(DOCUMENTS[service].read_text(encoding="utf-8"))


def test_an_order_with_a_nul_character_is_refused_as_invalid(e2e: Surfaces) -> None:
    body = {"customer_id": "c-\u0000-1", "amount_minor": 100, "currency": "EUR", "payment_token": "tok_visa_4242"}

    answer = e2e.http.post(f"{e2e.stack.order_service.url}/orders", json=body, headers={"Idempotency-Key": "nul-1"})

    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["class"] == "INVALID_REQUEST"
    assert answer.json()["error"]["details"][0]["pointer"] == "/customer_id"
