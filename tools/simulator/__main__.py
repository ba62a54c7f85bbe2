"""`python -m tools.simulator [--host H] [--port P] [--seed N] [--behaviour FILE.json]`: run the provider simulator.

Prints one JSON line `{"event": "listening", "host": ..., "port": ...}` to stdout once it accepts
connections, logs JSON lines to stderr, and stops cleanly on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

from pydantic import ValidationError

from tools.simulator.behaviour import Behaviour
from tools.simulator.errors import validation_details
from tools.simulator.logs import configure, log
from tools.simulator.server import start

EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="port to bind; 0 picks a free one (default 0)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of every request's fate (default 0)")
    parser.add_argument(
        "--behaviour",
        type=Path,
        help="JSON behaviour document in force at start and after reset",
    )
    args = parser.parse_args(argv)
    configure()
    behaviour = _load_behaviour(args.behaviour) if args.behaviour else Behaviour()
    if behaviour is None:
        return EXIT_USAGE
    asyncio.run(_serve(args.host, args.port, args.seed, behaviour))
    return 0


def _load_behaviour(path: Path) -> Behaviour | None:
    try:
        return Behaviour.model_validate_json(path.read_bytes())
    except OSError as unreadable:
        log(
            "behaviour_file_invalid",
            logging.ERROR,
            path=str(path),
            message=str(unreadable),
        )
    except ValidationError as invalid:
        log(
            "behaviour_file_invalid",
            logging.ERROR,
            path=str(path),
            details=validation_details(invalid),
        )
    return None


async def _serve(host: str, port: int, seed: int, behaviour: Behaviour) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    running = await start(host, port, seed, behaviour)
    log(
        "listening",
        host=running.host,
        port=running.port,
        seed=seed,
        behaviour=behaviour.model_dump(mode="json"),
    )
    # stdout carries this one line only, for tools that wait for the simulator to be ready.
    print(
        json.dumps({"event": "listening", "host": running.host, "port": running.port}),
        flush=True,
    )
    await stop.wait()
    log("stopping")
    await running.stop()
    log("stopped")


if __name__ == "__main__":
    sys.exit(main())
