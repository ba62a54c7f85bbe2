"""The vector runner fails a vector that the kernel does not meet, and one it cannot read."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checkout_payments.conformance.cli import main
from checkout_payments.conformance.vectors import run_vector

CONTRACTS = Path(__file__).resolve().parents[3] / "tests" / "contracts"
BACKOFF: dict[str, Any] = {
    "id": "backoff-example",
    "description": "the first retry waits base plus jitter",
    "topic": "backoff",
    "settings": {
        "max_attempts": 3,
        "base_delay_ms": 2000,
        "backoff_multiplier": 2.0,
        "jitter_ms": 500,
        "max_delay_ms": 8000,
    },
    "cases": [{"retry": 1, "u": 0.5, "expect": {"delay_ms": 2250}}],
}
CALL: dict[str, Any] = {
    "id": "call-example",
    "description": "one connection failure, one retry, then success",
    "topic": "call",
    "settings": {
        "timeout_ms": 20000,
        "deadline_ms": 70000,
        "provider_expected_p99_ms": 19000,
        "min_deadline_ms": 1000,
        "answer_margin_ms": 500,
        "retry": BACKOFF["settings"],
        "circuit_breaker": {
            "enabled": True,
            "failure_threshold": 5,
            "recovery_timeout_ms": 60000,
            "half_open_max_calls": 3,
        },
        "retry_budget": {"max_tokens": 10, "token_ratio": 0.1},
        "bulkhead": {"max_concurrent": 1},
    },
    "role": "origin",
    "draws": [0.5],
    "calls": [
        {
            "start_ms": 0,
            "attempts": [{"duration_ms": 100, "result": "CONNECTION"}, {"duration_ms": 50, "result": "success"}],
            "expect": {
                "result": "success",
                "attempts": 2,
                "attempt_timeouts_ms": [20000, 20000],
                "deadline_headers_ms": [19500, 19500],
                "sleeps_ms": [2250],
                "end_ms": 2400,
                "breaker_state": "closed",
                "breaker_generation": 0,
                "tokens_milli": 9100,
                "draws_used": 1,
            },
        }
    ],
}


def changed(vector: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy with the member at the dotted path set (or, with value ..., removed)."""
    result = copy.deepcopy(vector)
    *parents, last = path.split(".")
    node: Any = result
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return result


def test_correct_vectors_pass() -> None:
    assert run_vector(BACKOFF) == []
    assert run_vector(CALL) == []


def test_a_wrong_expectation_is_named_with_both_values() -> None:
    assert run_vector(changed(BACKOFF, "cases.0.expect.delay_ms", 2251)) == [
        "case 1 (retry 1, u 0.5): delay_ms is 2250, expected 2251"
    ]


def test_integers_are_compared_as_integers() -> None:
    assert run_vector(changed(BACKOFF, "cases.0.expect.delay_ms", 2250.0)) == [
        "case 1 (retry 1, u 0.5): delay_ms is 2250, expected 2250.0"
    ]


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("topic", "retry", "/topic: 'retry' is not one of"),
        ("cases.0.extra", 1, "/cases/0: Additional properties are not allowed ('extra' was unexpected)"),
        ("cases.0.expect.delay", 1, "/cases/0/expect: Additional properties are not allowed ('delay'"),
        ("settings.max_attempts", 0, "/settings/max_attempts: 0 is less than the minimum of 1"),
        ("calls.0.attempts.0.result", "SLOW", "/calls/0/attempts/0/result: 'SLOW' is not valid"),
        ("settings.answer_margin_ms", ..., "/settings: 'answer_margin_ms' is a required property"),
        ("settings.min_deadline_ms", ..., "/settings: 'min_deadline_ms' is a required property"),
    ],
)
def test_a_vector_the_schema_refuses_fails_at_its_pointer(path: str, value: Any, problem: str) -> None:
    vector = CALL if path.startswith(("calls", "settings.answer_margin_ms", "settings.min_deadline_ms")) else BACKOFF
    mismatches = run_vector(changed(vector, path, value))
    assert mismatches
    assert all(mismatch.startswith("malformed vector: /") for mismatch in mismatches)
    assert any(problem in mismatch for mismatch in mismatches), mismatches


def test_an_attempt_the_call_does_not_list_fails_the_vector() -> None:
    [mismatch] = run_vector(changed(CALL, "calls.0.attempts.1", ...))
    assert mismatch == "call 1 (start 0): the kernel ran attempt 2, but the call lists 1"


def test_a_listed_attempt_left_unused_fails_the_vector() -> None:
    extra = {"duration_ms": 1, "result": "success"}
    vector = changed(CALL, "calls.0.attempts", [*CALL["calls"][0]["attempts"], extra])
    assert run_vector(vector) == ["call 1 (start 0): the kernel ran 2 of the 3 listed attempts"]


def test_a_wrong_deadline_header_is_named_with_both_values() -> None:
    assert run_vector(changed(CALL, "calls.0.expect.deadline_headers_ms", [20000, 19500])) == [
        "call 1 (start 0): deadline_headers_ms is [19500, 19500], expected [20000, 19500]"
    ]


def test_running_out_of_draws_fails_the_vector() -> None:
    [mismatch] = run_vector(changed(CALL, "draws", []))
    assert mismatch == "call 1 (start 0): the kernel asked for draw 1, but the vector lists 0"


def test_the_cli_prints_one_line_per_vector_and_exits_2_on_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(BACKOFF), encoding="utf-8")
    bad.write_text(json.dumps(changed(BACKOFF, "cases.0.expect.delay_ms", 1)), encoding="utf-8")
    assert main([str(good), str(bad)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"id": "backoff-example", "pass": True, "mismatches": []},
        {
            "id": "backoff-example",
            "pass": False,
            "mismatches": ["case 1 (retry 1, u 0.5): delay_ms is 2250, expected 1"],
        },
    ]
    assert main([str(good), str(tmp_path / "absent.json")]) == 2


def test_the_cli_runs_as_a_module_over_the_repo_vectors() -> None:
    files = sorted(str(path) for path in CONTRACTS.glob("backoff/*.json"))
    done = subprocess.run(
        [sys.executable, "-m", "checkout_payments.conformance.cli", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == len(files)
    assert all(line["pass"] for line in lines)


def test_the_bulkhead_and_upstream_runners_name_a_wrong_expectation() -> None:
    bulkhead = json.loads((CONTRACTS / "bulkhead" / "bulkhead-admits-up-to-max-concurrent.json").read_text())
    assert run_vector(changed(bulkhead, "steps.2.expect.granted", True)) == [
        "step 3 (acquire c): granted is false, expected true"
    ]
    upstream = json.loads((CONTRACTS / "upstream" / "upstream-reconfigure-keeps-what-did-not-change.json").read_text())
    assert run_vector(changed(upstream, "steps.1.expect.lookup.max_concurrent", 20)) == [
        'step 2 (reconfigure): lookup is {"breaker_state": "closed", "breaker_generation": 0, "tokens_milli": 10000, '
        '"max_concurrent": 5, "in_flight": 0}, expected {"breaker_state": "closed", "breaker_generation": 0, '
        '"tokens_milli": 10000, "max_concurrent": 20, "in_flight": 0}'
    ]


def test_occupied_slots_are_taken_for_the_call_and_given_back_after_it() -> None:
    # Two slots of two taken: the call ends BULKHEAD_FULL; expecting a success names the difference.
    full = changed(changed(CALL, "settings.bulkhead.max_concurrent", 2), "calls.0.occupied", 2)
    mismatches = run_vector(full)
    assert mismatches[:2] == [
        "call 1 (start 0): the kernel ran 0 of the 2 listed attempts",
        'call 1 (start 0): result is "BULKHEAD_FULL", expected "success"',
    ]
    # One of two taken: the call runs, and the slots are free again for the next call.
    one = changed(changed(CALL, "settings.bulkhead.max_concurrent", 2), "calls.0.occupied", 1)
    assert run_vector(one) == []
