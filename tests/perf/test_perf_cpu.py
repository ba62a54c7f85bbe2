"""CPU accounting from /proc: parsing stat lines, summing process trees, differences between snapshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools.perf import cpu


def stat_line(pid: int, ppid: int, utime: int, stime: int, cutime: int = 0, cstime: int = 0, comm: str = "x") -> str:
    """A /proc/<pid>/stat line in the kernel's layout (52 fields); pgrp and session are the pid itself, as a
    PostgreSQL backend that made itself a session leader has them."""
    fields = [str(pid), f"({comm})", "S", str(ppid), str(pid), str(pid), "0", "-1", "4194304"]
    fields += ["100", "0", "0", "0", str(utime), str(stime), str(cutime), str(cstime)]
    fields += ["20", "0", "1", "0", "12345", "1000000", "100"] + ["0"] * 27
    return " ".join(fields) + "\n"


def fake_proc(root: Path, lines: dict[int, str], busy: tuple[int, ...] = (0,) * 10) -> Path:
    for pid, line in lines.items():
        (root / str(pid)).mkdir()
        (root / str(pid) / "stat").write_text(line, encoding="ascii")
    (root / "self").mkdir()  # a non-numeric entry, as /proc has many
    (root / "stat").write_text("cpu  " + " ".join(map(str, busy)) + "\ncpu0 0 0 0 0\n", encoding="ascii")
    return root


def test_a_stat_line_gives_parent_and_the_four_cpu_fields() -> None:
    stat = cpu.parse_stat(stat_line(42, 7, utime=150, stime=30, cutime=5, cstime=2))
    assert (stat.pid, stat.ppid, stat.utime, stat.stime, stat.cutime, stat.cstime) == (42, 7, 150, 30, 5, 2)
    assert stat.ticks == 187


def test_a_command_name_with_spaces_and_parentheses_does_not_shift_the_fields() -> None:
    stat = cpu.parse_stat(stat_line(9, 1, utime=11, stime=3, comm="postgres: (walwriter) x"))
    assert (stat.pid, stat.ppid, stat.utime, stat.stime) == (9, 1, 11, 3)


def test_this_process_own_stat_line_parses() -> None:
    stat = cpu.parse_stat(Path(f"/proc/{os.getpid()}/stat").read_text())
    assert stat.pid == os.getpid()
    assert stat.ppid == os.getppid()


@pytest.mark.parametrize("text", ["", "12 no-parentheses S 1", "12 (short) S 1 2 3"])
def test_a_line_that_is_not_a_stat_line_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="stat"):
        cpu.parse_stat(text)


def test_a_tree_counts_its_descendants_even_in_their_own_process_groups() -> None:
    # The postmaster (100) with two backends (101, 102) and a grandchild (103); 200 is another service.
    stats = [
        cpu.parse_stat(stat_line(100, 1, 10, 5, cutime=7)),
        cpu.parse_stat(stat_line(101, 100, 20, 2)),
        cpu.parse_stat(stat_line(102, 100, 30, 3)),
        cpu.parse_stat(stat_line(103, 102, 1, 1)),
        cpu.parse_stat(stat_line(200, 1, 500, 50)),
    ]
    assert cpu.tree_ticks(stats, {"postgres": 100, "gateway": 200}) == {"postgres": 79, "gateway": 550}


def test_a_tree_whose_root_is_gone_counts_nothing() -> None:
    stats = [cpu.parse_stat(stat_line(101, 100, 20, 2))]
    assert cpu.tree_ticks(stats, {"postgres": 100}) == {"postgres": 0}


def test_read_stats_skips_entries_that_are_not_processes(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path, {5: stat_line(5, 1, 1, 1), 6: "garbage"})
    assert [s.pid for s in cpu.read_stats(proc)] == [5]


def test_machine_busy_is_user_nice_system_irq_softirq() -> None:
    # user nice system idle iowait irq softirq steal guest guest_nice
    assert cpu.machine_busy_ticks("cpu  100 10 50 9000 40 3 7 11 0 0\n") == 170


def test_a_per_cpu_line_is_not_the_aggregate() -> None:
    with pytest.raises(ValueError, match="aggregate"):
        cpu.machine_busy_ticks("cpu0 1 2 3 4 5 6 7 8\n")


def test_use_between_snapshots_is_ms_per_label_and_per_request(tmp_path: Path) -> None:
    before = cpu.CpuSnapshot(at_s=10.0, ticks={"gateway": 1000, "postgres": 50}, machine_busy=0, children_ms=5.0)
    after = cpu.CpuSnapshot(at_s=12.0, ticks={"gateway": 1150, "postgres": 40}, machine_busy=300, children_ms=45.0)
    use = cpu.cpu_use(before, after, clk_tck=100)
    assert use.cpu_ms == {"gateway": 1500.0, "postgres": 0.0}  # a tree that shrank reads 0, not negative
    assert use.wall_s == 2.0
    assert use.per_request(500) == {"gateway": 3.0, "postgres": 0.0}
    assert use.core_share() == {"gateway": 0.75, "postgres": 0.0}
    assert use.machine_cores == pytest.approx(1.5)
    assert use.loadgen_ms == 40.0


def test_per_request_of_no_answers_is_none() -> None:
    use = cpu.CpuUse({"gateway": 10.0}, wall_s=0.0)
    assert use.per_request(0) == {"gateway": None}
    assert use.core_share() == {"gateway": None}
    assert use.machine_cores is None


def test_a_snapshot_reads_trees_and_the_machine_from_a_proc_directory(tmp_path: Path) -> None:
    proc = fake_proc(
        tmp_path, {100: stat_line(100, 1, 10, 5), 101: stat_line(101, 100, 20, 2)}, busy=(4, 0, 6, 90, 0, 0, 0, 0, 0, 0)
    )
    taken = cpu.snapshot({"postgres": 100}, proc)
    assert taken.ticks == {"postgres": 37}
    assert taken.machine_busy == 10


def test_a_snapshot_of_this_process_sees_its_cpu_grow() -> None:
    roots = {"me": os.getpid()}
    before = cpu.snapshot(roots)
    sum(i * i for i in range(3_000_000))  # burn a few ticks
    after = cpu.snapshot(roots)
    assert after.ticks["me"] > before.ticks["me"]
