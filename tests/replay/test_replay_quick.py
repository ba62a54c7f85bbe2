"""`python -m tools.replay --quick` on the real stack, asserting only what no noise can move."""

from __future__ import annotations

import json
from pathlib import Path

from tools.replay.__main__ import main


def test_quick_replay_fix_errs_less_than_the_incident_code_path_and_settles_every_order_once(tmp_path: Path) -> None:
    assert main(["--quick", "--out", str(tmp_path)]) == 0

    report = json.loads((tmp_path / "incident.json").read_text(encoding="utf-8"))
    incident, fix = report["runs"]["incident"], report["runs"]["fix"]
    assert incident["orders"] == fix["orders"] > 500, "both configs see the same seeded traffic"
    assert fix["errors"]["rate"] < incident["errors"]["rate"]
    # The fix, on today's code: one key per order, nothing charged twice, every charge a PAID order.
    assert fix["provider"]["orders_charged_twice"] == 0
    assert fix["provider"]["charged_but_not_paid"] == 0
    # The incident's code path pays a timed-out payment again under a fresh key: more than one
    # provider attempt per order (about 37 % of first calls outlast its 5 s timeout).
    assert incident["config"]["retry_as_new_payment"] is True
    assert incident["provider"]["attempts_per_order"] > 1
    assert incident["provider"]["keys_per_order"] > 1
    for run in (incident, fix):
        assert run["provider"]["keys_charged_twice"] == 0, "the provider never charges one key twice"
        assert run["settlement"]["not_final"] == 0
    # Paired: most orders reached the provider in both runs, each with its first call's fate the same.
    [paired] = report["paired"]
    assert paired["config"] == "fix"
    assert paired["same_first_fate"] > 0.8 * fix["orders"]
    assert paired["error_rate_difference"] < 0
    html = (tmp_path / "incident.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 4
