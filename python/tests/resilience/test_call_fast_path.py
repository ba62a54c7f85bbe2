"""The loop enters tenacity only when a retry is decided: a first-try end costs no tenacity loop (issue 14)."""

from __future__ import annotations

import asyncio

import pytest
from kernel_support import Kit, UpstreamError

from checkout_payments.resilience import ErrorClass, call


class _EnteredTenacityError(Exception):
    pass


def _refuse(*_: object, **__: object) -> None:
    raise _EnteredTenacityError


@pytest.mark.parametrize("first", ["ok", "DECLINED", UpstreamError(ErrorClass.OVERLOADED)])
def test_a_call_that_ends_after_its_first_attempt_never_builds_a_tenacity_loop(
    monkeypatch: pytest.MonkeyPatch, first: str | Exception
) -> None:
    monkeypatch.setattr(call, "Retrying", _refuse)
    monkeypatch.setattr(call, "AsyncRetrying", _refuse)
    kit = Kit()
    assert kit.sync().call(kit.script((10, first))).attempts == 1
    assert asyncio.run(kit.asynchronous().call(kit.script((10, first)).run_async)).attempts == 1


def test_a_retry_goes_on_in_tenacity_with_the_decided_sleep_first(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    real = call.Retrying

    def spy(*args: object, **kwargs: object) -> object:
        built.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(call, "Retrying", spy)
    kit = Kit()
    script = kit.script(
        (10, UpstreamError(ErrorClass.CONNECTION)), (10, UpstreamError(ErrorClass.CONNECTION)), (10, "ok")
    )
    result = kit.sync().call(script)
    assert (result.error_class, result.attempts, result.sleeps_ms, kit.draws.used) == (None, 3, (2250, 4250), 2)
    assert len(built) == 1
    assert [attempt.number for attempt in script.seen] == [1, 2, 3]
