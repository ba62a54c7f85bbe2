"""One real PostgreSQL server for the stack, the tests and a developer's checkout (`python -m tools.pg`)."""

from tools.pg.server import DEV_DATA_DIR, DEV_PORT, PostgresServer, ServerUrl

__all__ = ["DEV_DATA_DIR", "DEV_PORT", "PostgresServer", "ServerUrl"]
