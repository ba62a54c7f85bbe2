"""Step 3 of config/LOADING.md: every schema violation, at its normalised JSON Pointer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from checkout_payments.config.errors import Violation
from checkout_payments.generated import SCHEMA_TEXT

_COMPARISONS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_TEXT))


def schema_violations(document: Any) -> tuple[Violation, ...]:
    """All violations of the embedded schema, de-duplicated and sorted by pointer, then rule."""
    found: dict[tuple[str, str], Violation] = {}
    for error in _validator().iter_errors(document):
        for violation in _normalise(error):
            found.setdefault((violation.pointer, violation.rule), violation)
    return tuple(found[key] for key in sorted(found))


def pointer_of(path: Iterable[str | int]) -> str:
    """RFC 6901: `~` → `~0`, `/` → `~1`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _normalise(error: ValidationError) -> Iterator[Violation]:
    keyword = str(error.validator)
    at = pointer_of(error.absolute_path)
    instance = error.instance
    if keyword == "required" and isinstance(instance, dict) and isinstance(error.validator_value, list):
        # jsonschema reports one error per missing name without naming it apart from the message,
        # so the missing names are recomputed here (and de-duplicated by the caller).
        for name in error.validator_value:
            if name not in instance:
                yield Violation(
                    pointer_of([*error.absolute_path, name]),
                    f"{pointer_of([*error.absolute_path, name])} is missing: a required field of {_where(at)}",
                    keyword,
                )
    elif keyword == "additionalProperties" and isinstance(instance, dict):
        known = sorted(error.schema.get("properties", {}) if isinstance(error.schema, dict) else ())
        for name in instance:
            if name not in known:
                pointer = pointer_of([*error.absolute_path, name])
                yield Violation(
                    pointer,
                    f"{pointer} is not a field of {_where(at)} (value {_show(instance[name])}); "
                    f"expected only {', '.join(known)}",
                    keyword,
                )
    else:
        yield Violation(at, f"{_where(at)} is {_show(instance)}, expected {_expected(error)}", keyword)


def _expected(error: ValidationError) -> str:
    keyword = str(error.validator)
    value = error.validator_value
    if keyword == "type":
        return f"{'an' if str(value)[0] in 'aeiou' else 'a'} {value}"
    if keyword in _COMPARISONS:
        return f"a number {_COMPARISONS[keyword]} {_show(value)}"
    if keyword == "minLength":
        return f"a string of at least {value} character{'s' if value != 1 else ''}"
    if keyword == "maxLength":
        return f"a string of at most {value} characters"
    if keyword == "pattern":
        return f"a string matching {value}"
    return f"a value that satisfies {keyword} ({error.message})"


def _where(pointer: str) -> str:
    return pointer or "the document"


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
