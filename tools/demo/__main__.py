"""`python -m tools.demo [--seed N] [--workdir DIR] [--replicas N]`: run the stack under the demo's orders and
print the report. `--replicas 2` runs it on the fleet: two gateways and two order services behind HAProxy.

Exit status 0 when every check of the report passes, 1 when one fails, 130 when interrupted. Ctrl-C
(or SIGTERM) stops every process it started; the services' logs stay in the work directory.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import httpx
from prometheus_client import CollectorRegistry, generate_latest

from checkout_payments.client import PaymentClient, PaymentError, ReloadingConfig
from tools.demo.observe import Watcher
from tools.demo.report import FINAL, STATUSES, Findings, format_report
from tools.demo.scaled_config import write_demo_config
from tools.demo.traffic import Sent, Traffic
from tools.stack import Stack, StackOptions, metrics
from tools.stack.configs import REPO

SETTLE_S = 45.0
SERVICES = ("gateway", "order-service")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.demo", description=__doc__)
    parser.add_argument("--seed", type=int, default=42, help="seed of the arrivals, the orders and the provider")
    parser.add_argument("--workdir", type=Path, help="where logs and the demo config go (default reports/demo/<time>)")
    parser.add_argument("--replicas", type=int, default=1, help="gateways and order services each (2+: behind HAProxy)")
    args = parser.parse_args(argv)
    workdir = args.workdir or REPO / "reports" / "demo" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        findings = run(workdir, args.seed, args.replicas)
    except KeyboardInterrupt:
        print("\ninterrupted: every process the demo started was stopped", flush=True)
        return 130
    print(format_report(findings), flush=True)
    print(f"\nservice logs: {workdir}")
    return 0 if all(ok for _, ok in findings.checks()) else 1


def run(workdir: Path, seed: int, replicas: int = 1) -> Findings:
    config = write_demo_config(workdir)
    say(f"demo config: {config.path} (config/timeout.json with {len(config.rows)} waits scaled, see the report)")
    services = "the Java gateway and the Node order service"
    if replicas > 1:
        services = f"{replicas} Java gateways and {replicas} Node order services behind HAProxy"
    say(f"starting the provider simulator, {services} on one PostgreSQL …")
    started = time.monotonic()
    stack = Stack(StackOptions(config_path=config.path, workdir=workdir, seed=seed, replicas=replicas))
    try:
        stack.start()
        fingerprints = stack.fingerprints()
        registry = CollectorRegistry()
        client = PaymentClient(stack.gateway.url, config=ReloadingConfig(config.path), registry=registry)
        fingerprints["python client"] = client.config.fingerprint
        say(f"up in {time.monotonic() - started:.1f} s; config fingerprints: {_shown(fingerprints)}")
        traffic = Traffic(stack.order_service.url, stack.simulator.url, seed, client)
        with client, Watcher(stack) as watcher, httpx.Client(timeout=10.0) as http:
            traffic.run(lambda elapsed: say(_progress(elapsed, traffic, watcher.breakers(), watcher)))
            final, reconciled = _settle(http, stack, client, traffic.snapshot())
            ledger = http.get(f"{stack.simulator.url}/ledger").json()
            # A fleet's replicas are summed per service: the report's figures are the whole service's.
            scraped = {name: _scraped(http, stack, name) for name in SERVICES}
            scraped["python client"] = list(metrics.parse(generate_latest(registry).decode()))
        watched = watcher.watched
    finally:
        # A second Ctrl-C must not cut the stop short and leave processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        say("stopping order service, gateway, simulator …")
        stack.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    return Findings(
        config=config,
        fingerprints=fingerprints,
        sent=sorted(traffic.snapshot(), key=lambda s: s.number),
        final=final,
        reconciled=reconciled,
        ledger=ledger,
        metrics=scraped,
        watched=watched,
        duration_s=time.monotonic() - started,
        leftovers=stack.leftovers(),
        exit_codes={name: service.popen.returncode for name, service in stack.services.items()},
    )


def _settle(http: httpx.Client, stack: Stack, client: PaymentClient, sent: list[Sent]) -> tuple[dict[int, str], int]:
    """Every order's and payment's final status, after waiting (bounded) for the open ones to settle:
    orders by the order service's reconciler, payments by the client's `get_payment`."""
    final = {s.number: s.status for s in sent}
    open_ones = [s for s in sent if s.status not in FINAL]
    if open_ones:
        say(f"settling {len(open_ones)} orders and payments whose outcome is unknown (reconciliation) …")
    deadline = time.monotonic() + SETTLE_S
    settled = 0
    while open_ones and time.monotonic() < deadline:
        for one in list(open_ones):
            status = one.status
            if one.order_id is not None:
                status = str(http.get(f"{stack.order_service.url}/orders/{one.order_id}").json()["status"])
            elif one.kind == "payment":
                with contextlib.suppress(PaymentError):  # the gateway could not be asked yet: later
                    status = client.get_payment(one.key).status
            if status in FINAL:
                final[one.number] = status
                settled += 1
                open_ones.remove(one)
        time.sleep(0.5)
    return final, settled


def _scraped(http: httpx.Client, stack: Stack, service: str) -> list[metrics.Sample]:
    names = stack.gateways if service == "gateway" else stack.order_services
    return [sample for name in names for sample in metrics.scrape(stack.services[name].url, http)]


def _progress(elapsed: float, traffic: Traffic, breakers: dict[str, str], watcher: Watcher) -> str:
    answered = traffic.snapshot()
    counts = Counter(s.status for s in answered)
    shown = " ".join(f"{status} {counts[status]}" for status in STATUSES if counts[status])
    states = " ".join(f"{name} {state}" for name, state in breakers.items())
    pool = watcher.watched
    return (
        f"[{elapsed:5.1f} s] {traffic.phase:<27} answered {len(answered):3d}: {shown} | breakers: {states} | "
        f"pool peak {pool.peak_in_use}/{pool.pool_max}"
    )


def _shown(fingerprints: dict[str, str]) -> str:
    return ", ".join(f"{name} {fingerprint[:12]}…" for name, fingerprint in fingerprints.items())


def say(message: str) -> None:
    print(message, flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
