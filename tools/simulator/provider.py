"""The provider API the payment gateway calls: `POST /v1/charges` and `GET /v1/charges/{key}`."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web
from pydantic import ValidationError

from tools.simulator.charge_request import ChargeRequest, idempotency_key_problem
from tools.simulator.connection import client_gone, drop, hold
from tools.simulator.errors import error_response, invalid_request, validation_details
from tools.simulator.fate import Fate, Fault, draw_fate
from tools.simulator.ledger import ChargeStatus, Entry, Ledger
from tools.simulator.logs import log
from tools.simulator.masking import mask_token
from tools.simulator.state import STATE, State

IDEMPOTENCY_KEY = "Idempotency-Key"
DEADLINE = "X-Deadline-Ms"
REPLAYED = "Idempotent-Replayed"

Outcome = tuple[str, web.StreamResponse]


async def post_charge(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    started = time.monotonic()
    key = request.headers.get(IDEMPOTENCY_KEY)
    problem = idempotency_key_problem(key)
    if key is None or problem is not None:
        message = problem or "header Idempotency-Key is required"
        log("charge_rejected", reason=message, deadline_ms=request.headers.get(DEADLINE))
        return invalid_request(message, [{"pointer": f"/headers/{IDEMPOTENCY_KEY}", "message": message}])
    charge = await _read_charge(request)
    if isinstance(charge, web.Response):
        log(
            "charge_rejected",
            key=key,
            http_status=charge.status,
            deadline_ms=request.headers.get(DEADLINE),
        )
        return charge
    # The ledger, behaviour and fate are taken on arrival: a reset or PUT meanwhile does not change this request.
    ledger, behaviour = state.ledger, state.behaviour
    entry, attempt = ledger.attempt(key, charge)
    fate = draw_fate(state.seed, key, attempt, behaviour)
    if behaviour.outage.mode != "none":
        outcome, response = await _outage(request, state, behaviour.outage.mode, behaviour.hang_cap_ms)
    else:
        outcome, response = await _charge(request, state, ledger, entry, charge, fate, behaviour.hang_cap_ms)
    log(
        "charge",
        key=key,
        attempt=attempt,
        order_id=charge.order_id,
        amount_minor=charge.amount_minor,
        currency=charge.currency,
        payment_token=mask_token(charge.payment_token),
        deadline_ms=request.headers.get(DEADLINE),
        fault=fate.fault.value,
        latency_ms=round(fate.latency_ms, 3),
        outcome=outcome,
        http_status=None if client_gone(request) else response.status,
        elapsed_ms=round((time.monotonic() - started) * 1000.0, 3),
    )
    return response


async def get_charge(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    key = request.match_info["key"]
    behaviour = state.behaviour
    if behaviour.outage.mode != "none":
        outcome, response = await _outage(request, state, behaviour.outage.mode, behaviour.hang_cap_ms)
        log("charge_lookup", key=key, outcome=outcome)
        return response
    entry = state.ledger.get(key)
    if entry is None or entry.status is ChargeStatus.NONE:
        return error_response(404, "NOT_FOUND", f"no charge with Idempotency-Key {key!r}")
    return web.json_response(entry.answer())


async def _read_charge(request: web.Request) -> ChargeRequest | web.Response:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as too_large:
        return error_response(413, "INVALID_REQUEST", too_large.text or "request body too large")
    try:
        return ChargeRequest.model_validate_json(raw)
    except ValidationError as invalid:
        return invalid_request("invalid charge request", validation_details(invalid))


async def _outage(request: web.Request, state: State, mode: str, hang_cap_ms: float) -> Outcome:
    """An outage answers at once, before any latency: the provider's front door is what fails."""
    if mode == "error_503":
        response = error_response(503, "UPSTREAM_UNAVAILABLE", "simulated outage", retryable=True)
        return "outage_error_503", response
    if mode == "hang":
        end = await hold(request, hang_cap_ms, state.stopping)
        return f"outage_hang_{end.value}", drop(request)
    return "outage_drop", drop(request)


async def _charge(
    request: web.Request,
    state: State,
    ledger: Ledger,
    entry: Entry,
    charge: ChargeRequest,
    fate: Fate,
    hang_cap_ms: float,
) -> Outcome:
    if fate.fault is Fault.HANG:
        end = await hold(request, hang_cap_ms, state.stopping)
        return f"hang_{end.value}", drop(request)
    if fate.fault in (Fault.ERROR, Fault.DROP):
        await _sleep_ms(fate.latency_ms)
        if fate.fault is Fault.DROP:
            return "drop", drop(request)
        return "error", _error(fate.error_status)
    digest = charge.digest()
    # Decided on arrival, with no await before `begin`, so two racing requests cannot both start a charge.
    if entry.payload_digest is not None and entry.payload_digest != digest:
        await _sleep_ms(fate.latency_ms)
        message = f"Idempotency-Key {entry.key!r} was used with a different payload"
        return "conflict_payload", error_response(422, "IDEMPOTENCY_CONFLICT", message)
    if entry.status is ChargeStatus.PENDING:
        await _sleep_ms(fate.latency_ms)
        message = f"a charge with Idempotency-Key {entry.key!r} is still in flight"
        return "conflict_in_flight", error_response(409, "IDEMPOTENCY_CONFLICT", message)
    replayed = entry.completed
    if not replayed:
        ledger.begin(entry, digest)
    await _sleep_ms(fate.latency_ms)
    if not replayed:
        ledger.complete(entry, fate.decline_reason)
    if fate.fault is Fault.CHARGE_THEN_TIMEOUT:
        # The charge (or the replay) is done; only the answer is withheld until the client gives up.
        end = await hold(request, hang_cap_ms, state.stopping)
        return f"charge_then_timeout_{end.value}", drop(request)
    if replayed:
        return "replayed", web.json_response(entry.answer(), status=200, headers={REPLAYED: "true"})
    return entry.status.value, web.json_response(entry.answer(), status=201)


def _error(status: int) -> web.Response:
    if status == 503:
        # 503 + OVERLOADED + Retry-After is how this provider says it sheds load (SEMANTICS §6: not retried).
        return error_response(
            503,
            "OVERLOADED",
            "simulated load shedding",
            retryable=False,
            headers={"Retry-After": "1"},
        )
    return error_response(status, "UPSTREAM_UNAVAILABLE", "simulated provider error", retryable=True)


async def _sleep_ms(ms: float) -> None:
    await asyncio.sleep(ms / 1000.0)
