"""The simulator's routes, middleware and state, wired in one place."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from tools.simulator import control, provider
from tools.simulator.behaviour import Behaviour
from tools.simulator.errors import error_response
from tools.simulator.ledger import Ledger
from tools.simulator.logs import LOGGER
from tools.simulator.state import STATE, State

MAX_BODY_BYTES = 64 * 1024
_ERROR_CLASS = {404: "NOT_FOUND", 405: "INVALID_REQUEST", 413: "INVALID_REQUEST"}


def build_app(seed: int, behaviour: Behaviour | None = None) -> web.Application:
    start = behaviour or Behaviour()
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_error_shape])
    app[STATE] = State(seed=seed, initial=start, behaviour=start, ledger=Ledger(seed=seed))
    app.on_shutdown.append(_release_held_requests)
    app.router.add_post("/v1/charges", provider.post_charge)
    app.router.add_get("/v1/charges/{key}", provider.get_charge)
    app.router.add_get("/control/behaviour", control.get_behaviour)
    app.router.add_put("/control/behaviour", control.put_behaviour)
    app.router.add_patch("/control/behaviour", control.patch_behaviour)
    app.router.add_post("/control/reset", control.reset)
    app.router.add_get("/ledger", control.get_ledger)
    return app


@web.middleware
async def _error_shape(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's own 404/405/413 and any bug still answer in the repo's one error shape."""
    try:
        return await handler(request)
    except web.HTTPException as http_error:
        if http_error.status < 400:
            raise
        error_class = _ERROR_CLASS.get(http_error.status, "INVALID_REQUEST")
        return error_response(
            http_error.status,
            error_class,
            f"{request.method} {request.path}: {http_error.reason}",
        )
    except Exception:  # noqa: BLE001 — any bug still answers in the error shape, and is logged
        LOGGER.log(
            logging.ERROR,
            "unhandled",
            exc_info=True,
            extra={"fields": {"path": request.path}},
        )
        return error_response(500, "INTERNAL", "simulator bug; see its log")


async def _release_held_requests(app: web.Application) -> None:
    # Held (hanging) requests would otherwise keep the shutdown waiting for their cap.
    app[STATE].stopping.set()
