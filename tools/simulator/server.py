"""Start and stop one simulator on a TCP port (used by the CLI and by in-process tests)."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from tools.simulator.app import build_app
from tools.simulator.behaviour import Behaviour

# In-flight charges get this long to finish on shutdown; held requests are released at once.
SHUTDOWN_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Running:
    runner: web.AppRunner
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start(host: str, port: int, seed: int, behaviour: Behaviour | None = None) -> Running:
    """Port 0 picks a free port; `Running.port` is the one bound."""
    # handler_cancellation stays off: a client that gives up must not cancel a charge the provider is making.
    runner = web.AppRunner(
        build_app(seed, behaviour),
        access_log=None,
        handler_cancellation=False,
        shutdown_timeout=SHUTDOWN_TIMEOUT_S,
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bound_host, bound_port = runner.addresses[0][:2]
    return Running(runner=runner, host=str(bound_host), port=int(bound_port))
