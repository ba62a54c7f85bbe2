"""CPU per process tree from /proc/<pid>/stat: snapshots before and after a load phase, and their difference.

A measured process is counted with all its descendants (by parent pid, not by process group: every
PostgreSQL backend makes itself a session and group leader, but stays the postmaster's child); the JVM's and
Node's threads are inside their process. A tree's ticks are, over its live members, utime + stime (the
member itself) + cutime + cstime (its children that have exited and been reaped — e.g. a finished
autovacuum worker): a dead child is in exactly one live parent's cutime, and a live one only in its own
utime, so nothing is counted twice.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    utime: int
    stime: int
    cutime: int
    cstime: int

    @property
    def ticks(self) -> int:
        return self.utime + self.stime + self.cutime + self.cstime


def parse_stat(text: str) -> ProcStat:
    """One /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself hold spaces
    and parentheses, so the fields are counted from the last ')' (proc(5): ppid is field 4, utime 14,
    stime 15, cutime 16, cstime 17)."""
    head, close, tail = text.rpartition(")")
    if not close:
        raise ValueError(f"not a /proc/<pid>/stat line (no ')' after the command name): {text[:80]!r}")
    pid = int(head.split("(", 1)[0])
    fields = tail.split()  # fields[0] is field 3 (state)
    if len(fields) < 15:
        raise ValueError(f"/proc/{pid}/stat has {len(fields) + 2} fields, expected at least 17")
    return ProcStat(
        pid=pid,
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
        cutime=int(fields[13]),
        cstime=int(fields[14]),
    )


def read_stats(proc: Path = PROC) -> list[ProcStat]:
    """Every process's stat; one that exits while the directory is read is skipped."""
    stats = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stats.append(parse_stat((entry / "stat").read_text(encoding="ascii", errors="replace")))
        except (OSError, ValueError):
            continue
    return stats


def tree_ticks(stats: list[ProcStat], roots: Mapping[str, int]) -> dict[str, int]:
    """Ticks per label, summed over the live process `roots[label]` and its live descendants (0 once gone)."""
    by_pid = {stat.pid: stat for stat in stats}
    children: dict[int, list[int]] = {}
    for stat in stats:
        children.setdefault(stat.ppid, []).append(stat.pid)
    totals: dict[str, int] = {}
    for label, root in roots.items():
        total, pending, seen = 0, [root] if root in by_pid else [], set()
        while pending:
            pid = pending.pop()
            if pid in seen:
                continue
            seen.add(pid)
            total += by_pid[pid].ticks
            pending.extend(children.get(pid, []))
        totals[label] = total
    return totals


def machine_busy_ticks(text: str) -> int:
    """Busy ticks of all cores from /proc/stat's first line (`cpu  user nice system idle iowait irq softirq
    steal …`): user, nice, system, irq and softirq — not idle, iowait or steal (time the hypervisor gave
    another guest); guest time is already inside user."""
    line = text.splitlines()[0] if text else ""
    fields = line.split()
    if not fields or fields[0] != "cpu" or len(fields) < 9:
        raise ValueError(f"not /proc/stat's aggregate cpu line: {line[:80]!r}")
    user, nice, system, _idle, _iowait, irq, softirq, _steal = (int(v) for v in fields[1:9])
    return user + nice + system + irq + softirq


@dataclass(frozen=True)
class CpuSnapshot:
    at_s: float  # time.monotonic()
    ticks: dict[str, int]
    machine_busy: int  # all cores, from /proc/stat
    children_ms: float  # CPU of this process's waited-for children (the load generators)


def snapshot(roots: Mapping[str, int], proc: Path = PROC) -> CpuSnapshot:
    machine = machine_busy_ticks((proc / "stat").read_text(encoding="ascii"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_ms = (children.ru_utime + children.ru_stime) * 1000.0
    return CpuSnapshot(time.monotonic(), tree_ticks(read_stats(proc), roots), machine, children_ms)


@dataclass(frozen=True)
class CpuUse:
    """CPU spent per label between two snapshots, in ms, over `wall_s` seconds."""

    cpu_ms: dict[str, float]
    wall_s: float
    machine_ms: float = 0.0  # every core's busy time, whoever spent it
    loadgen_ms: float = 0.0  # the load generator run between the snapshots (a child of this process)

    @property
    def machine_cores(self) -> float | None:
        """How many cores the whole machine kept busy on average (others' builds included)."""
        return self.machine_ms / 1000.0 / self.wall_s if self.wall_s > 0 else None

    def per_request(self, requests: int) -> dict[str, float | None]:
        """CPU ms per request per label; None when nothing was answered."""
        return {label: (ms / requests if requests > 0 else None) for label, ms in self.cpu_ms.items()}

    def core_share(self) -> dict[str, float | None]:
        """The share of one core each label kept busy (1.0 = a whole core); None over no time."""
        return {label: (ms / 1000.0 / self.wall_s if self.wall_s > 0 else None) for label, ms in self.cpu_ms.items()}


def cpu_use(before: CpuSnapshot, after: CpuSnapshot, clk_tck: int = CLK_TCK) -> CpuUse:
    """The difference of two snapshots. A tree that lost CPU (a member exited unreaped: its ticks left
    the sum) reads 0, never negative."""
    cpu_ms = {
        label: max(0, after.ticks.get(label, 0) - ticks) * 1000.0 / clk_tck for label, ticks in before.ticks.items()
    }
    machine_ms = max(0, after.machine_busy - before.machine_busy) * 1000.0 / clk_tck
    loadgen_ms = max(0.0, after.children_ms - before.children_ms)
    return CpuUse(cpu_ms, after.at_s - before.at_s, machine_ms, loadgen_ms)
