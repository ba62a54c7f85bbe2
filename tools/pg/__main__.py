"""`python -m tools.pg run -- CMD…` | `up` | `down` | `status`.

run:    a throwaway server for one command (tests): CMD gets CHECKOUT_PG_URL (superuser, the `postgres`
        database), GATEWAY_DATABASE_URL, ORDER_SERVICE_DATABASE_URL and CHECKOUT_DB_THROWAWAY=1; the server
        is stopped and deleted when CMD ends, and its exit code is CMD's.
up:     the durable dev server: data in .data/postgres (git-ignored), port 54329; services started by
        hand default to its `gateway` and `orders` databases. Stays up until `down`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys

import psycopg

from tools.pg.server import DEV_DATA_DIR, DEV_PORT, PostgresServer, ServerError, ServerUrl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.pg", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="a throwaway server for one command")
    run.add_argument("argv", nargs=argparse.REMAINDER, help="-- CMD ARGS…")
    sub.add_parser("up", help="start the durable dev server (.data/postgres, port 54329)")
    sub.add_parser("down", help="stop the durable dev server")
    sub.add_parser("status", help="is the dev server up, and its URLs")
    args = parser.parse_args(argv)
    if args.command == "run":
        command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
        if not command:
            parser.error("run needs a command after --")
        return _run(command)
    if args.command == "up":
        return _up()
    if args.command == "down":
        return _down()
    return _status()


def _run(command: list[str]) -> int:
    with PostgresServer.throwaway() as server:
        env = dict(os.environ)
        env.update(
            CHECKOUT_PG_URL=server.url.database("postgres"),
            GATEWAY_DATABASE_URL=server.url.database("gateway"),
            ORDER_SERVICE_DATABASE_URL=server.url.database("orders"),
            CHECKOUT_DB_THROWAWAY="1",
        )
        print(f"tools.pg: THROWAWAY PostgreSQL on {server.url.database('postgres')} (deleted at exit)", file=sys.stderr)
        child = subprocess.Popen(command, env=env)
        # Ctrl-C reaches the child through the terminal; we wait for it and then stop the server.
        with contextlib.suppress(KeyboardInterrupt):
            child.wait()
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
        return child.wait()


def _up() -> int:
    url = ServerUrl("127.0.0.1", DEV_PORT)
    if _answers(url):
        print(f"already up: {url.database('gateway')} and {url.database('orders')}")
        return 0
    server = PostgresServer(DEV_DATA_DIR, DEV_PORT)
    try:
        server.start()
    except ServerError as error:
        print(f"tools.pg: {error}", file=sys.stderr)
        return 1
    # Detach: the server outlives this command until `down` (the process handle is simply dropped).
    print(f"up (pid {server.pid}, data {DEV_DATA_DIR}): {url.database('gateway')} and {url.database('orders')}")
    return 0


def _down() -> int:
    pid_file = DEV_DATA_DIR / "postmaster.pid"
    if not pid_file.exists():
        print("not running")
        return 0
    pid = int(pid_file.read_text().splitlines()[0])
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
    print(f"stopping pid {pid} (fast shutdown)")
    return 0


def _status() -> int:
    url = ServerUrl("127.0.0.1", DEV_PORT)
    up = _answers(url)
    print(f"{'up' if up else 'down'}: data {DEV_DATA_DIR}, {url.database('gateway')}, {url.database('orders')}")
    return 0 if up else 3


def _answers(url: ServerUrl) -> bool:
    try:
        with psycopg.connect(url.database("postgres"), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


if __name__ == "__main__":
    sys.exit(main())
