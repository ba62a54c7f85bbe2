"""Strict reading and exact comparison of vector JSON, for the vector runners (tests/contracts/VECTORS.md).

A runner fails on an unknown topic, op or field rather than skipping it, and compares every field of
an `expect` exactly: integers as integers, lists in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

COMMON = frozenset({"id", "description", "topic"})


class VectorError(Exception):
    """The vector is not one this runner can execute: an unknown topic, op or field, or a broken reference."""


def same(actual: Any, expected: Any) -> bool:
    """JSON equality that tells 1 from 1.0 and from true."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(same(actual[k], expected[k]) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return type(actual) is type(expected) and actual == expected


def compare(where: str, actual: Mapping[str, Any], expected: Any) -> list[str]:
    if not isinstance(expected, dict):
        raise VectorError(f"{where}: expect is not an object")
    mismatches = []
    for key in [*expected, *(k for k in actual if k not in expected)]:
        if key not in actual:
            raise VectorError(f"{where}: unknown expect field {key!r}")
        if key not in expected:
            mismatches.append(f"{where}: {key} is {show(actual[key])}, which the vector does not expect")
        elif not same(actual[key], expected[key]):
            mismatches.append(f"{where}: {key} is {show(actual[key])}, expected {show(expected[key])}")
    return mismatches


def show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def fields(obj: Any, where: str, required: frozenset[str], optional: frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise VectorError(f"{where} is not an object")
    missing = required - obj.keys()
    unknown = obj.keys() - required - optional
    if missing or unknown:
        listed = [f"missing {', '.join(sorted(missing))}"] if missing else []
        listed += [f"unknown {', '.join(sorted(unknown))}"] if unknown else []
        raise VectorError(f"{where}: {'; '.join(listed)}")
    return obj


def settings(model: Callable[..., Any], value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise VectorError(f"{where} is not an object")
    try:
        return model(**value)
    except ValidationError as error:
        raise VectorError(f"{where}: {error}") from error


def enum(kind: Callable[[Any], Any], value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError as error:
        raise VectorError(f"{where}: {error}") from error


def items(vector: Mapping[str, Any], key: str) -> list[Any]:
    listed = vector[key]
    if not isinstance(listed, list) or not listed:
        raise VectorError(f"{key} is not a non-empty list")
    return listed
