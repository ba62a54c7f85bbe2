"""`load_config` and `parse_config`: config/LOADING.md step for step, all or nothing."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkout_payments.config.errors import ConfigError, Violation
from checkout_payments.config.fingerprint import fingerprint
from checkout_payments.config.schema_check import schema_violations
from checkout_payments.generated import LintFinding, TimeoutConfig, lint_config

ENV_VAR = "CHECKOUT_CONFIG"
DEFAULT_RELATIVE = Path("config") / "timeout.json"
EDITOR_HINT = "$schema"
DUPLICATE_KEY = "duplicate-key"


@dataclass(frozen=True)
class LoadedConfig:
    """A config that passed every step: typed settings, fingerprint, where it came from, lint warnings."""

    settings: TimeoutConfig
    fingerprint: str
    path: str
    warnings: tuple[LintFinding, ...]


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Resolve, read and parse the config; raises `ConfigError` listing every violation."""
    resolved = resolve_path(path)
    try:
        text = resolved.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(resolved), (Violation("", f"cannot read {resolved}: {error}", "read"),)) from error
    return parse_config(text, str(resolved))


def resolve_path(path: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """The explicit path, else $CHECKOUT_CONFIG, else config/timeout.json in cwd or its nearest ancestor.

    An empty CHECKOUT_CONFIG counts as unset. Relative paths are taken from the current directory.
    """
    start = (cwd or Path.cwd()).resolve()
    if path is not None:
        return start / path
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return start / from_env
    for directory in (start, *start.parents):
        candidate = directory / DEFAULT_RELATIVE
        if candidate.is_file():
            return candidate
    message = f"no config given: {ENV_VAR} is unset and no {DEFAULT_RELATIVE} in {start} or any parent directory"
    raise ConfigError(str(start / DEFAULT_RELATIVE), (Violation("", message, "read"),))


def parse_config(text: str, source: str = "<text>") -> LoadedConfig:
    """Steps 2–5 over a document's text; `source` only names it in messages and in `LoadedConfig.path`."""
    document = _parse(text, source)
    violations = schema_violations(document)
    if violations:
        raise ConfigError(source, violations)
    settings = TimeoutConfig.model_validate(_settings_part(document))
    findings = lint_config(settings)
    warnings = tuple(f for f in findings if f.severity == "warning")
    errors = tuple(Violation(f.pointer, f.message, f.rule) for f in findings if f.severity == "error")
    if errors:
        raise ConfigError(source, errors, warnings)
    return LoadedConfig(settings, fingerprint(document), source, warnings)


def _parse(text: str, source: str) -> Any:
    try:
        tree = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_Members)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        message = f"{source} is not JSON: {error.msg} at {where}"
    except ValueError as error:
        message = f"{source} is not JSON: {error}"
    else:
        duplicates: list[str] = []
        document = _objects(tree, "", duplicates)
        if duplicates:
            raise ConfigError(source, tuple(Violation(p, _duplicate_message(p), DUPLICATE_KEY) for p in duplicates))
        return document
    raise ConfigError(source, (Violation("", message, "parse"),))


class _Members(list[tuple[str, Any]]):
    """A JSON object as parsed: its members in order, a repeated key kept."""


def _objects(node: Any, pointer: str, duplicates: list[str]) -> Any:
    """`node` with its objects as dicts; each key repeated in its object goes to `duplicates`, as a pointer."""
    if isinstance(node, list) and not isinstance(node, _Members):
        return [_objects(item, f"{pointer}/{index}", duplicates) for index, item in enumerate(node)]
    if not isinstance(node, _Members):
        return node
    members: dict[str, Any] = {}
    for key, value in node:
        child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        if key in members and child not in duplicates:
            duplicates.append(child)
        members[key] = _objects(value, child, duplicates)
    return members


def _duplicate_message(pointer: str) -> str:
    return (
        f"key {pointer} appears more than once in its object: a JSON parser keeps one of the values silently, "
        "and the fingerprint (RFC 8785) assumes unique keys; expected each key once"
    )


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON (and the Node and Java parsers) does not.
    raise ValueError(f"{name} is not a JSON value")


def _settings_part(document: dict[str, Any]) -> dict[str, Any]:
    # `$schema` is an editor hint: it is fingerprinted with the document but is no setting.
    return {key: value for key, value in document.items() if key != EDITOR_HINT}
