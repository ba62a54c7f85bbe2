"""`python -m tools.validate` (`nox -s validate`): is config/timeout.json safe to ship? One pass/fail report.

Runs, each as the tool a developer would run by hand: the config lint (warnings denied), the proof that
the incident's 5 s config is refused, the codegen drift check, the cross-language conformance suite,
and a smoke test of the real stack on config/timeout.json itself. Then prints the key settings as they
are in the file. Needs the gateway jar and the order service's build (`nox -s validate` builds them).
Exit status 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from checkout_payments.config import LoadedConfig, load_config
from tools.stack import Stack, StackOptions, StartupError
from tools.stack.configs import CONFIG, REPO

PRE_INCIDENT = REPO / "config" / "examples" / "pre-incident.json"
TAIL_LINES = 25


@dataclass(frozen=True)
class Verdict:
    name: str
    passed: bool
    seconds: float
    detail: str


def command(*argv: str, verdict_line: int = -1) -> Callable[[], tuple[bool, str]]:
    """A check that runs `python argv…` from the repo root. Its detail: the line of its output that
    states its verdict (`verdict_line`) when it passes, the whole output when it fails."""

    def run() -> tuple[bool, str]:
        done = subprocess.run([sys.executable, *argv], cwd=REPO, capture_output=True, text=True, check=False)
        output = (done.stdout + done.stderr).strip()
        if done.returncode != 0:
            return False, output
        lines = [line.strip() for line in output.splitlines() if line.strip()]
        return True, lines[verdict_line] if lines else ""

    return run


def stack_smoke() -> tuple[bool, str]:
    """The three services on config/timeout.json as it is: one fingerprint everywhere, an order paid and
    charged once, and a stop that leaves nothing behind."""
    expected = load_config(CONFIG).fingerprint
    with tempfile.TemporaryDirectory(prefix="validate-stack-") as workdir:
        stack = Stack(StackOptions(config_path=CONFIG, workdir=Path(workdir)))
        try:
            stack.start()
            fingerprints = stack.fingerprints()
            body = {"customer_id": "validate", "amount_minor": 1999, "currency": "EUR", "payment_token": "tok_visa"}
            key = {"Idempotency-Key": f"validate-{uuid.uuid4()}"}
            order = httpx.post(f"{stack.order_service.url}/orders", json=body, headers=key, timeout=60).json()
            totals = httpx.get(f"{stack.simulator.url}/ledger", timeout=10).json()["totals"]
        except (StartupError, httpx.HTTPError, ValueError, KeyError) as failed:
            tails = "\n".join(f"--- {name}\n{s.log_tail(10)}" for name, s in stack.services.items())
            return False, f"{type(failed).__name__}: {failed}\n{tails}"
        finally:
            stack.stop()
        leftovers = stack.leftovers()
    problems = [f"{name} runs {fp}, not {expected}" for name, fp in fingerprints.items() if fp != expected]
    if order.get("status") != "PAID":
        problems.append(f"the order ended {order.get('status')}: {order}")
    if (totals["charges"], totals["double_charged"]) != (1, []):
        problems.append(f"the ledger shows {totals}")
    problems += leftovers
    detail = (
        f"gateway and order service run {expected[:16]}…; order {order.get('status')}; "
        f"{totals['charges']} charge; stopped clean"
    )
    return not problems, "\n".join(problems) or detail


CHECKS: tuple[tuple[str, Callable[[], tuple[bool, str]]], ...] = (
    (
        "config lint: config/timeout.json passes schema + lint, no warning",
        command("-m", "tools.configlint", "--deny-warnings", str(CONFIG), verdict_line=0),
    ),
    (
        "the incident's 5 s config is refused (pre-incident.json at /payment/timeout_ms)",
        command("-m", "tools.configlint", str(PRE_INCIDENT), "--expect-error", "/payment/timeout_ms", verdict_line=0),
    ),
    ("codegen drift: every binding matches the schema", command("-m", "tools.codegen", "--check")),
    ("conformance: Python, TypeScript and Java agree on every case and vector", command("-m", "tools.conformance")),
    ("stack smoke: simulator ← gateway ← order service on config/timeout.json", stack_smoke),
)


def key_settings(loaded: LoadedConfig) -> list[str]:
    settings = loaded.settings
    payment, retry, breaker, pool = (
        settings.payment,
        settings.payment.retry,
        settings.payment.circuit_breaker,
        settings.database.pool,
    )
    return [
        f"version   {settings.version} (fingerprint {loaded.fingerprint})",
        f"timeout   {payment.timeout_ms} ms per attempt (provider p99 {payment.provider_expected_p99_ms} ms), "
        f"deadline {payment.deadline_ms} ms",
        f"pool      {pool.max_connections} connections, acquire timeout {pool.acquire_timeout_ms} ms",
        f"backoff   {retry.max_attempts} attempts; {retry.base_delay_ms} ms × {retry.backoff_multiplier:g}ⁿ "
        f"(max {retry.max_delay_ms} ms) + up to {retry.jitter_ms} ms jitter",
        f"breaker   {'on' if breaker.enabled else 'OFF'}: opens after {breaker.failure_threshold} failures, "
        f"{breaker.recovery_timeout_ms} ms recovery, {breaker.half_open_max_calls} half-open calls",
    ]


def main() -> int:
    verdicts = []
    for name, check in CHECKS:
        print(f"… {name}", flush=True)
        started = time.monotonic()
        passed, detail = check()
        verdicts.append(Verdict(name, passed, time.monotonic() - started, detail))
    print("\nvalidate — config/timeout.json")
    for verdict in verdicts:
        print(f"  {'PASS' if verdict.passed else 'FAIL'}  {verdict.name}  ({verdict.seconds:.1f} s)")
        shown = verdict.detail.splitlines()[-TAIL_LINES:]
        print("".join(f"        {line}\n" for line in shown), end="")
    print("\nkey settings (config/timeout.json)")
    print("".join(f"  {line}\n" for line in key_settings(load_config(CONFIG))), end="")
    failed = [v.name for v in verdicts if not v.passed]
    print(f"\n{'FAILED: ' + '; '.join(failed) if failed else 'all checks passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
