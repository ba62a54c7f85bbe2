"""`ReloadingConfig`: an opt-in config source that picks up edits of the config file while the process runs.

    source = ReloadingConfig("config/timeout.json", interval_ms=1000)
    client = PaymentClient(url, config=source)     # each call uses the config in force when it starts

When it re-reads, what happens to an invalid file, and why the Lambda does not use it:
docs/PYTHON_CLIENT.md, "Config reload (`ReloadingConfig`)".
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from checkout_payments.client.logs import LOGGER, log_event
from checkout_payments.config import ConfigError, LoadedConfig, Violation, load_config
from checkout_payments.generated.config_lint import LintFinding

Clock = Callable[[], int]


class ReloadingConfig:
    """The config at `path` (None: config/LOADING.md's resolution, redone on every look), re-read on use.

    The first load happens here and raises `ConfigError` like `load_config`: a client never starts on
    an invalid config; lint warnings are allowed at start, and logged (`config_loaded_with_warnings`).
    A reload is stricter: a file with lint warnings is rejected (`config_reload_rejected`, with every
    finding) and the last good config stays in force — a running client never switches to a config
    the lint warns about. Thread-safe; `clock` is monotonic integer ms (injectable for tests).
    `refusals` counts reloads refused for either reason, `reloads` the ones taken up.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        interval_ms: int = 1000,
        clock: Clock | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if interval_ms < 0:
            raise ValueError(f"interval_ms must be >= 0, but was {interval_ms}")
        self._path = path
        self._interval_ms = interval_ms
        self._clock = clock or _monotonic_ms
        self._logger = logger or LOGGER
        self._lock = threading.Lock()
        self._loaded = load_config(path)
        self._looked_at = self._clock()
        # The problem last logged (a file's violations, or its fingerprint with warnings): logged once.
        self._refused: tuple[Violation, ...] | str = ()
        self.reloads = 0
        self.refusals = 0
        if self._loaded.warnings:
            log_event(
                self._logger,
                logging.WARNING,
                "config_loaded_with_warnings",
                path=self._loaded.path,
                fingerprint=self._loaded.fingerprint,
                findings=_findings(self._loaded.warnings),
                message="the config has lint warnings; it is used, but a reload with warnings will be rejected",
            )

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the config in force (without looking at the file again)."""
        return self._loaded.fingerprint

    def current(self) -> LoadedConfig:
        """The config in force, after looking at the file again if `interval_ms` have passed."""
        now = self._clock()
        with self._lock:
            if now - self._looked_at >= self._interval_ms:
                self._looked_at = now
                self._look()
            return self._loaded

    def _look(self) -> None:
        try:
            found = load_config(self._path)
        except ConfigError as refused:
            self._refuse(refused)
            return
        if found.fingerprint == self._loaded.fingerprint:
            self._refused = ()
            return
        if found.warnings:
            self._reject(found)
            return
        self._refused = ()
        previous, self._loaded = self._loaded, found
        self.reloads += 1
        log_event(
            self._logger,
            logging.INFO,
            "config_reloaded",
            path=found.path,
            version=found.settings.version,
            fingerprint=found.fingerprint,
            previous_fingerprint=previous.fingerprint,
        )

    def _refuse(self, refused: ConfigError) -> None:
        # A file stays broken for many looks; its problem is news only the first time.
        if refused.violations == self._refused:
            return
        self._refused = refused.violations
        self.refusals += 1
        log_event(
            self._logger,
            logging.ERROR,
            "config_reload_refused",
            path=refused.source,
            error_class=refused.error_class,
            violations=[{"pointer": v.pointer, "rule": v.rule, "message": v.message} for v in refused.violations],
            kept_fingerprint=self._loaded.fingerprint,
            message=f"the config file is invalid; the last good config ({self._loaded.fingerprint}) stays in force",
        )

    def _reject(self, found: LoadedConfig) -> None:
        if found.fingerprint == self._refused:
            return
        self._refused = found.fingerprint
        self.refusals += 1
        log_event(
            self._logger,
            logging.ERROR,
            "config_reload_rejected",
            path=found.path,
            fingerprint=found.fingerprint,
            findings=_findings(found.warnings),
            kept_fingerprint=self._loaded.fingerprint,
            message=(
                f"the edited config has {len(found.warnings)} lint warning(s); a running client takes up no config "
                f"with warnings, so the last good config ({self._loaded.fingerprint}) stays in force"
            ),
        )


def _findings(findings: tuple[LintFinding, ...]) -> list[dict[str, str]]:
    return [{"pointer": f.pointer, "rule": f.rule, "severity": f.severity, "message": f.message} for f in findings]


def _monotonic_ms() -> int:
    return time.monotonic_ns() // 1_000_000
