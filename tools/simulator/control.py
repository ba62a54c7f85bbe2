"""The control API tests use to steer the provider at run time, and the ledger they read back."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from tools.simulator.behaviour import Behaviour
from tools.simulator.errors import invalid_request, validation_details
from tools.simulator.logs import log
from tools.simulator.state import STATE


async def get_behaviour(request: web.Request) -> web.Response:
    return web.json_response(_document(request.app[STATE].behaviour))


async def put_behaviour(request: web.Request) -> web.Response:
    """Replace the whole behaviour: a field left out takes its default, not its current value."""
    try:
        behaviour = Behaviour.model_validate_json(await request.read())
    except ValidationError as invalid:
        return invalid_request("invalid behaviour", validation_details(invalid))
    return _install(request, behaviour)


async def patch_behaviour(request: web.Request) -> web.Response:
    """Merge the top-level fields given into the current behaviour (a nested object is replaced whole)."""
    raw = await request.read()
    try:
        patch = json.loads(raw)
    except ValueError as not_json:
        return invalid_request("invalid behaviour", [{"pointer": "", "message": f"not JSON: {not_json}"}])
    if not isinstance(patch, dict):
        return invalid_request("invalid behaviour", [{"pointer": "", "message": "expected a JSON object"}])
    merged = {**_document(request.app[STATE].behaviour), **patch}
    try:
        behaviour = Behaviour.model_validate(merged)
    except ValidationError as invalid:
        return invalid_request("invalid behaviour", validation_details(invalid))
    return _install(request, behaviour)


async def reset(request: web.Request) -> web.Response:
    """Forget every charge and return to the start-up behaviour."""
    state = request.app[STATE]
    state.reset()
    log("reset", behaviour=_document(state.behaviour))
    return web.json_response({"behaviour": _document(state.behaviour)})


async def get_ledger(request: web.Request) -> web.Response:
    return web.json_response(request.app[STATE].ledger.to_json())


def _install(request: web.Request, behaviour: Behaviour) -> web.Response:
    request.app[STATE].behaviour = behaviour
    document = _document(behaviour)
    log("behaviour_changed", behaviour=document)
    return web.json_response(document)


def _document(behaviour: Behaviour) -> dict[str, Any]:
    return behaviour.model_dump(mode="json")
