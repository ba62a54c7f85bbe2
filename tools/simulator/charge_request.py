"""The body of `POST /v1/charges`, and the digest that tells a replay from a different payload."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

IDEMPOTENCY_KEY_MAX = 255


class ChargeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    order_id: Annotated[str, Field(min_length=1, max_length=255)]
    amount_minor: Annotated[int, Field(gt=0)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    payment_token: Annotated[str, Field(min_length=1, max_length=255)]

    def digest(self) -> str:
        """The ledger keeps this digest, never the token itself."""
        canonical = json.dumps(self.model_dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_key_problem(key: str | None) -> str | None:
    if key is None or key == "":
        return "header Idempotency-Key is required"
    if len(key) > IDEMPOTENCY_KEY_MAX:
        return f"header Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX} characters, but was {len(key)}"
    if not all("!" <= char <= "~" for char in key):
        return "header Idempotency-Key must be printable ASCII without spaces"
    return None
