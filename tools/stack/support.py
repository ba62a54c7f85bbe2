"""The stack's small helpers: database creation, an external server's URL, ports, parallel starts."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote, urlsplit

import psycopg

from tools.pg import ServerUrl
from tools.stack.process import ServiceProcess

HOST = "127.0.0.1"


def service_env(database_url: str | None) -> dict[str, str]:
    """A service's environment: ours, less a caller's CHECKOUT_CONFIG (the explicit --config wins anyway),
    plus its database, which the tools make for this run alone, so the service says so loudly at start."""
    env = dict(os.environ)
    env.pop("CHECKOUT_CONFIG", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
        env["CHECKOUT_DB_THROWAWAY"] = "1"
    return env


def replica_names(service: str, replicas: int) -> list[str]:
    return [service] if replicas == 1 else [f"{service}-{n}" for n in range(1, replicas + 1)]


def in_parallel(starts: list[Callable[[], ServiceProcess]]) -> None:
    """Start replicas at once (a JVM's start is mostly waiting); the first failure is raised."""
    if len(starts) == 1:
        starts[0]()
        return
    with ThreadPoolExecutor(len(starts)) as pool:
        for future in [pool.submit(start) for start in starts]:
            future.result()


def create_database(server: ServerUrl, name: str) -> None:
    with psycopg.connect(server.database("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name of ours, never user input


def external_postgres() -> ServerUrl | None:
    """CHECKOUT_STACK_PG_URL=postgresql://postgres@HOST:PORT runs every stack on that server instead."""
    url = os.environ.get("CHECKOUT_STACK_PG_URL")
    if not url:
        return None
    parsed = urlsplit(url)
    return ServerUrl(
        parsed.hostname or HOST,
        parsed.port or 5432,
        unquote(parsed.username or "postgres"),
        unquote(parsed.password) if parsed.password else None,
    )


def port_bound(host: str, port: int) -> bool:
    with socket.socket() as probe:
        # SO_REUSEADDR: connections in TIME_WAIT are no leftover; only a listener makes bind fail.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False
