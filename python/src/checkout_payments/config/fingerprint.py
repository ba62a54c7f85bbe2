"""The fingerprint every binding prints on /health: the same value in all three languages."""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785


def fingerprint(document: Any) -> str:
    """Lowercase hex SHA-256 of the document's RFC 8785 (JCS) canonical JSON."""
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()
