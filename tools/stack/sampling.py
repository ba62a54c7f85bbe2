"""A background sampler of the running stack, shared by the demo's and the fault campaign's watchers."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

import httpx


class BackgroundSampler:
    """`with Sampler(…) as sampler:` calls `sample(http)` every `every_s` on a daemon thread until the block ends.

    Subclasses keep what they saw under `self._lock`, which `sample` and their readers share.
    """

    def __init__(self, name: str, every_s: float, http_timeout_s: float) -> None:
        self._every_s = every_s
        self._http_timeout_s = http_timeout_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        # A sample in flight ends within its HTTP timeout; the thread is a daemon either way.
        self._thread.join(self._http_timeout_s * 4 + self._every_s)

    def sample(self, http: httpx.Client) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        with httpx.Client(timeout=self._http_timeout_s) as http:
            while not self._stop.wait(self._every_s):
                self.sample(http)
