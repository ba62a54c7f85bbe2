"""`python -m tools.configlint [FILE…] [--expect-error POINTER…] [--deny-warnings]`: a report on each config file.

The report comes from `checkout_payments.config` — the loader and the generated lint every Python
service uses — so it can never disagree with what a service would do with the file. Exit status 1
when a file is refused; with `--expect-error`, 0 only when every file is refused with an error at
each given pointer (how `nox -s validate` shows that config/examples/pre-incident.json is caught).
With `--deny-warnings` a file that loads with lint warnings counts as refused: the shipped config
must be warning-free (e.g. it can never carry the replay-only legacy switch). A key that appears
twice in one object is refused too (rule `duplicate-key`, at its JSON Pointer): JSON parsers keep
one of the two values silently.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from checkout_payments.config import ConfigError, LintFinding, LoadedConfig, Violation, load_config
from checkout_payments.generated import worst_case_call_ms
from tools.configlint.duplicates import RULE as DUPLICATE_KEY
from tools.configlint.duplicates import duplicate_keys

REPO = Path(__file__).resolve().parents[2]
DEFAULT_FILES = (REPO / "config" / "timeout.json",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="configlint", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES), metavar="FILE")
    parser.add_argument(
        "--expect-error",
        action="append",
        default=[],
        metavar="POINTER",
        help="the file must be refused with an error at this JSON Pointer (repeatable)",
    )
    parser.add_argument(
        "--deny-warnings",
        action="store_true",
        help="a lint warning counts as an error: a file that loads with warnings is refused",
    )
    args = parser.parse_args(argv)
    outcomes = [_report(path, args.expect_error, deny_warnings=args.deny_warnings) for path in args.files]
    return 0 if all(outcomes) else 1


def _report(path: Path, expected_errors: Sequence[str], *, deny_warnings: bool = False) -> bool:
    """Print the report on one file; True when the file is what the caller expects it to be."""
    duplicates = _duplicates(path)
    try:
        loaded = load_config(path)
    except ConfigError as error:
        if duplicates:
            # The loaders refuse duplicate keys too, at the same pointers; the lint's message shows the values.
            return _refused(path, "duplicate keys", duplicates, error.warnings, expected_errors)
        return _refused(path, error.error_class, error.violations, error.warnings, expected_errors)
    if duplicates:  # pragma: no cover - the loader refuses them first
        return _refused(path, "duplicate keys", duplicates, loaded.warnings, expected_errors)
    denied = deny_warnings and bool(loaded.warnings)
    verdict = "REFUSED (--deny-warnings" if denied else "OK ("
    print(f"{_display(path)}: {verdict}{', ' if denied else ''}{_count((), loaded.warnings)})")
    _print_settings(loaded)
    _print_findings((), loaded.warnings)
    for pointer in expected_errors:
        print(f"  expected error at {pointer}: missing (the file loads)")
    print()
    return not expected_errors and not denied


def _refused(
    path: Path,
    reason: str,
    errors: Sequence[Violation],
    warnings: Sequence[LintFinding],
    expected_errors: Sequence[str],
) -> bool:
    """Print the report on a refused file; True when it was expected to be refused at each given pointer."""
    print(f"{_display(path)}: REFUSED ({reason}, {_count(errors, warnings)})")
    _print_findings(errors, warnings)
    found = {violation.pointer for violation in errors}
    missing = [pointer for pointer in expected_errors if pointer not in found]
    for pointer in expected_errors:
        print(f"  expected error at {pointer}: {'missing' if pointer in missing else 'found'}")
    print()
    return bool(expected_errors) and not missing


def _duplicates(path: Path) -> tuple[Violation, ...]:
    """The duplicate keys of the file as violations; an unreadable file is left to the loader to report."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    return tuple(Violation(found.pointer, found.message, DUPLICATE_KEY) for found in duplicate_keys(text))


def _print_settings(loaded: LoadedConfig) -> None:
    settings = loaded.settings
    payment, retry, breaker = settings.payment, settings.payment.retry, settings.payment.circuit_breaker
    pool, gateway_pool, fleet = settings.database.pool, settings.database.gateway_pool, settings.fleet
    idempotency = settings.gateway.idempotency
    rows = [
        ("fingerprint", loaded.fingerprint),
        ("version", settings.version),
        ("timeout", f"{payment.timeout_ms} ms per attempt (provider p99 {payment.provider_expected_p99_ms} ms)"),
        ("deadline", f"{payment.deadline_ms} ms; worst case of one call {worst_case_call_ms(settings)} ms"),
        ("floor", f"X-Deadline-Ms >= {payment.min_deadline_ms} ms; {payment.answer_margin_ms} ms kept for answers"),
        ("pool", f"{pool.max_connections} connections, acquire {pool.acquire_timeout_ms} ms"),
        ("gw pool", f"{gateway_pool.max_connections} connections, acquire {gateway_pool.acquire_timeout_ms} ms"),
        (
            "fleet",
            f"{fleet.order_service_replicas} order services x {pool.max_connections} + {fleet.gateway_replicas}"
            f" gateways x {gateway_pool.max_connections} + {fleet.database_reserved_connections} reserved"
            f" connections, server max {fleet.database_max_connections}",
        ),
        ("idempotency", f"lease {idempotency.lease_ms} ms, kept {idempotency.retention_ms} ms"),
        (
            "backoff",
            f"{retry.max_attempts} attempts; {retry.base_delay_ms} ms, x{retry.backoff_multiplier:g} per retry,"
            f" capped at {retry.max_delay_ms} ms, + jitter < {retry.jitter_ms} ms",
        ),
        (
            "breaker",
            f"{'enabled' if breaker.enabled else 'DISABLED'}: opens after {breaker.failure_threshold} failures,"
            f" {breaker.recovery_timeout_ms} ms recovery, {breaker.half_open_max_calls} half-open calls",
        ),
    ]
    for label, value in rows:
        print(f"  {label:<12}{value}")


def _print_findings(errors: Sequence[Violation], warnings: Sequence[LintFinding]) -> None:
    for violation in errors:
        print(f"  error    {violation.rule:<32} {violation.pointer or '(document)'}")
        print(f"           {violation.message}")
    for finding in warnings:
        print(f"  warning  {finding.rule:<32} {finding.pointer}")
        print(f"           {finding.message}")


def _count(errors: Sequence[Violation], warnings: Sequence[LintFinding]) -> str:
    return f"{len(errors)} error{'s' * (len(errors) != 1)}, {len(warnings)} warning{'s' * (len(warnings) != 1)}"


def _display(path: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)


if __name__ == "__main__":
    sys.exit(main())
