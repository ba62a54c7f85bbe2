"""What one running simulator holds: its seed, the behaviour in force and the ledger."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from tools.simulator.behaviour import Behaviour
from tools.simulator.ledger import Ledger


@dataclass
class State:
    seed: int
    initial: Behaviour
    """What `POST /control/reset` returns to: the --behaviour file, or the defaults."""
    behaviour: Behaviour
    ledger: Ledger
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def reset(self) -> None:
        # A new ledger object, so a request still in flight completes into the old one and cannot skew the new totals.
        self.ledger = Ledger(seed=self.seed)
        self.behaviour = self.initial


STATE = web.AppKey("state", State)
