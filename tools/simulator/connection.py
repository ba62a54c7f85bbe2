"""Socket-level faults: closing a connection with no HTTP answer, and holding a request until its client leaves."""

from __future__ import annotations

import asyncio
import time
from enum import Enum

from aiohttp import web

# How often a held request looks whether its client is gone; well under any client timeout a test uses.
_POLL_S = 0.01


class HoldEnd(Enum):
    CLIENT_GONE = "client_gone"
    CAP = "cap"
    SHUTDOWN = "shutdown"


def client_gone(request: web.BaseRequest) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def drop(request: web.BaseRequest) -> web.Response:
    """Abort the socket (no response bytes) and hand aiohttp a response it can no longer send."""
    transport = request.transport
    if transport is not None:
        transport.abort()
    return web.Response(status=499)


async def hold(request: web.BaseRequest, cap_ms: float, stopping: asyncio.Event) -> HoldEnd:
    """Wait until the client closes the connection, the cap passes, or the server stops.

    aiohttp notices a peer's close by itself (the transport goes away); nothing is written meanwhile.
    """
    deadline = time.monotonic() + cap_ms / 1000.0
    while True:
        if client_gone(request):
            return HoldEnd.CLIENT_GONE
        if stopping.is_set():
            return HoldEnd.SHUTDOWN
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return HoldEnd.CAP
        await asyncio.sleep(min(_POLL_S, remaining))
