"""The emitter's `scale`: 1 is the committed rule file; below 1 only the fixed windows shrink, the config's don't."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from metric_vocabulary import RULES
from real_stack import SCALE

from tools.codegen.emit_monitoring import CONFIG_PATH, rules
from tools.codegen.model import load_schema


def fors(text: str) -> dict[str, str]:
    """alert → its `for`, for the alerts that have one."""
    blocks = [block.split("\n", 1) for block in text.split("- alert: ")[1:]]
    return {name: m.group(1) for name, body in blocks if (m := re.search(r"^ +for: (\S+)$", body, re.M))}


def test_scale_one_is_the_committed_rule_file() -> None:
    assert rules(load_schema(), CONFIG_PATH) == RULES.read_text(encoding="utf-8")


def test_scale_shrinks_the_fixed_windows_and_fors_but_not_what_the_config_sets(tmp_path: Path) -> None:
    production, scaled = rules(load_schema(), CONFIG_PATH), rules(load_schema(), CONFIG_PATH, SCALE)
    assert fors(production) == {
        "CheckoutErrorRateHigh": "2m",
        "CheckoutPaymentTimeoutRateHigh": "2m",
        "CheckoutPoolUtilizationWarning": "5m",
        "CheckoutPoolUtilizationCritical": "1m",
        "CheckoutBreakerOpenTooLong": "2m20s",
        "CheckoutRetryBudgetExhausted": "2m",
        "CheckoutConfigDrift": "10m",
    }
    assert fors(scaled) == {
        "CheckoutErrorRateHigh": "4s",
        "CheckoutPaymentTimeoutRateHigh": "4s",
        "CheckoutPoolUtilizationWarning": "10s",
        "CheckoutPoolUtilizationCritical": "2s",
        # recovery_timeout_ms 60000 + timeout_ms 20000 come from the config; only the 1m grace shrinks.
        "CheckoutBreakerOpenTooLong": "1m22s",
        "CheckoutRetryBudgetExhausted": "4s",
        "CheckoutConfigDrift": "20s",
    }
    # Rate windows 5m → 10s, reload window 10m → 20s; the flap window is 3 breaker `for`s, from the config.
    assert set(re.findall(r"\[(\w+)\]", production)) == {"5m", "15m", "10m"}
    assert set(re.findall(r"\[(\w+)\]", scaled)) == {"10s", "4m6s", "20s"}
    assert "offset 20s" in scaled
    assert "not for production" in scaled.splitlines()[4]
    path = tmp_path / "scaled.rules.yml"
    path.write_text(scaled, encoding="utf-8")
    promtool = shutil.which("promtool")
    assert promtool, "promtool is not on PATH: `nox -s monitoring` installs Debian's `prometheus` package"
    checked = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
