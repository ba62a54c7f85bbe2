"""`python -m tools.replay --quick` on the real stack, asserting only what no noise can move."""

from __future__ import annotations

import json
from pathlib import Path

from tools.replay.__main__ import main


def test_quick_replay_fix_errs_less_than_the_incident_config_and_settles_every_order_once(tmp_path: Path) -> None:
    assert main(["--quick", "--out", str(tmp_path)]) == 0

    report = json.loads((tmp_path / "incident.json").read_text(encoding="utf-8"))
    incident, fix = report["runs"]["incident"], report["runs"]["fix"]
    assert incident["orders"] == fix["orders"] > 500, "both configs see the same seeded traffic"
    assert fix["errors"]["rate"] < incident["errors"]["rate"]
    for run in (incident, fix):
        assert run["provider"]["orders_charged_twice"] == 0
        assert run["provider"]["charged_but_not_paid"] == 0
        assert run["settlement"]["not_final"] == 0
    html = (tmp_path / "incident.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 4
