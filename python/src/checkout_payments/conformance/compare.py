"""Exact comparison of what the kernel did with a vector's `expect`: integers as integers, lists in order."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Json = dict[str, Any]


def same(actual: Any, expected: Any) -> bool:
    """JSON equality that tells 1 from 1.0 and from true."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(same(actual[k], v) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(map(same, actual, expected))
    return type(actual) is type(expected) and actual == expected


def compare(where: str, actual: Mapping[str, Any], expected: Json) -> list[str]:
    """One mismatch per field that differs, is missing, or is there when the vector does not expect it."""
    mismatches = []
    for key in [*expected, *(k for k in actual if k not in expected)]:
        if key not in actual or key not in expected or not same(actual[key], expected[key]):
            got = json.dumps(actual[key]) if key in actual else "absent"
            want = json.dumps(expected[key]) if key in expected else "absent"
            mismatches.append(f"{where}: {key} is {got}, expected {want}")
    return mismatches
