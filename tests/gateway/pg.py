"""Databases of their own for the gateway's end-to-end tests, on the PostgreSQL server of CHECKOUT_PG_URL.

`python -m tools.pg run -- pytest tests/gateway` sets CHECKOUT_PG_URL (a superuser URL of the server's
`postgres` database); every test gets fresh databases, dropped at teardown. Without it the tests fail
saying how to run them: the gateway keeps its payment records in PostgreSQL, and there is no fallback.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ENV = "CHECKOUT_PG_URL"


def server_url() -> str:
    url = os.environ.get(ENV, "")
    if not url:
        pytest.fail(
            f"{ENV} is not set: the gateway's end-to-end tests need a real PostgreSQL server. Run them as "
            "`python -m tools.pg run -- pytest tests/gateway` (or set "
            f"{ENV}=postgresql://postgres@127.0.0.1:PORT/postgres for a server of your own)"
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


class Databases:
    """Creates databases on the server and drops every one of them at `drop_all`."""

    def __init__(self) -> None:
        self.server = server_url()
        self.names: list[str] = []

    def create(self) -> str:
        name = f"gw_e2e_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.names.append(name)
        return with_database(self.server, name)

    def drop_all(self) -> None:
        with psycopg.connect(self.server, autocommit=True) as connection:
            for name in self.names:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def execute(url: str, statement: str) -> None:
    """One statement in a test's database: the exact fault a test injects (a record lost)."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement.encode())
