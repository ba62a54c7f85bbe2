"""Config cases: wrong types, missing and unknown fields, malformed JSON."""

from __future__ import annotations

from tools.conformance.config_case_kit import (
    BREAKER,
    BUDGET,
    DB_MAX,
    DROP,
    FLEET,
    GW_POOL,
    IDEM,
    LEGACY_HOLD,
    LEGACY_RETRY,
    POOL,
    RETRY,
    Case,
    base_text,
    invalid,
    text_case,
)

SHAPE_CASES: list[Case] = [
    # --- wrong types ---
    invalid(
        "type-string-for-integer",
        "a quoted number is a string, not an integer",
        {"/payment/timeout_ms": "20000"},
        "/payment/timeout_ms",
    ),
    invalid(
        "type-fraction-for-integer",
        "20000.5 is not an integer",
        {"/payment/timeout_ms": 20000.5},
        "/payment/timeout_ms",
    ),
    invalid(
        "type-bool-for-number",
        "true is not a number",
        {f"{RETRY}/backoff_multiplier": True},
        f"{RETRY}/backoff_multiplier",
    ),
    invalid(
        "type-string-for-bool",
        'the string "true" is not a boolean',
        {f"{BREAKER}/enabled": "true"},
        f"{BREAKER}/enabled",
    ),
    invalid(
        "type-null-for-integer",
        "null is no value for deadline_ms",
        {"/payment/deadline_ms": None},
        "/payment/deadline_ms",
    ),
    invalid("type-number-for-string", "a version label is a string", {"/version": 2026}, "/version"),
    invalid(
        "type-number-for-legacy-hold-switch",
        "the replay-only legacy switch is a boolean, not 0 or 1",
        {LEGACY_HOLD: 0},
        LEGACY_HOLD,
    ),
    invalid(
        "type-string-for-legacy-retry-switch",
        'the replay-only retry switch is a boolean, not the string "false"',
        {LEGACY_RETRY: "false"},
        LEGACY_RETRY,
    ),
    invalid("type-array-for-object", "payment must be an object, not an array", {"/payment": []}, "/payment"),
    invalid("type-string-for-nested-object", "retry must be an object", {f"{RETRY}": "fast"}, RETRY),
    invalid(
        "type-string-for-shared-object", "gateway_pool ($ref PoolSettings) must be an object", {GW_POOL: "big"}, GW_POOL
    ),
    invalid(
        "type-fraction-for-replicas",
        "half a replica is no replica count",
        {f"{FLEET}/gateway_replicas": 1.5},
        f"{FLEET}/gateway_replicas",
    ),
    invalid("type-number-for-schema-hint", "$schema, when present, is a string", {"/$schema": 42}, "/$schema"),
    Case("root-array", "the document must be an object", [], errors=("",)),
    Case("root-null", "null is no config", None, errors=("",)),
    text_case("root-string", "a JSON string is no config", '"config/timeout.json"', ""),
    # --- missing fields ---
    Case(
        "empty-object",
        "an empty object misses every top-level section",
        {},
        errors=("/version", "/payment", "/database", "/gateway", "/fleet", "/monitoring", "/order_service", "/lambda"),
    ),
    invalid("missing-top-level-section", "the payment section is required", {"/payment": DROP}, "/payment"),
    invalid(
        "missing-nested-field", "retry without jitter_ms is refused", {f"{RETRY}/jitter_ms": DROP}, f"{RETRY}/jitter_ms"
    ),
    invalid("missing-nested-object", "database without its pool is refused", {"/database/pool": DROP}, POOL),
    invalid("missing-gateway-pool", "database without the gateway's pool is refused", {GW_POOL: DROP}, GW_POOL),
    invalid(
        "missing-shared-object-field",
        "the gateway pool is held to every required field of PoolSettings",
        {f"{GW_POOL}/idle_timeout_ms": DROP},
        f"{GW_POOL}/idle_timeout_ms",
    ),
    invalid(
        "missing-every-field-of-fleet",
        "an empty fleet misses all four of its fields",
        {FLEET: {}},
        f"{FLEET}/gateway_replicas",
        f"{FLEET}/order_service_replicas",
        DB_MAX,
        f"{FLEET}/database_reserved_connections",
    ),
    invalid("missing-idempotency", "gateway without idempotency is refused", {IDEM: DROP}, IDEM),
    invalid(
        "missing-payment-deadline-floor",
        "payment without min_deadline_ms and answer_margin_ms is refused",
        {"/payment/min_deadline_ms": DROP, "/payment/answer_margin_ms": DROP},
        "/payment/min_deadline_ms",
        "/payment/answer_margin_ms",
    ),
    invalid(
        "missing-every-field-of-object",
        "an empty retry_budget misses both its fields",
        {BUDGET: {}},
        f"{BUDGET}/max_tokens",
        f"{BUDGET}/token_ratio",
    ),
    invalid(
        "missing-legacy-hold-switch",
        "order_service without legacy_hold_connection_during_payment is refused: it is stated, never assumed",
        {LEGACY_HOLD: DROP},
        LEGACY_HOLD,
    ),
    invalid(
        "missing-legacy-retry-switch",
        "order_service without legacy_retry_timeout_as_new_payment is refused: it is stated, never assumed",
        {LEGACY_RETRY: DROP},
        LEGACY_RETRY,
    ),
    invalid(
        "missing-lambda-field",
        "lambda without safety_margin_ms is refused",
        {"/lambda": {}},
        "/lambda/safety_margin_ms",
    ),
    # --- unknown fields ---
    invalid(
        "unknown-root-field", "a misspelt or stray top-level field is refused", {"/timeout_ms": 5000}, "/timeout_ms"
    ),
    invalid("unknown-payment-field", "payment has no field `timeout`", {"/payment/timeout": 5000}, "/payment/timeout"),
    invalid("unknown-retry-field", "retry has no field `jitter`", {f"{RETRY}/jitter": 500}, f"{RETRY}/jitter"),
    invalid(
        "unknown-pool-field",
        "the pool has no min_connections",
        {f"{POOL}/min_connections": 5},
        f"{POOL}/min_connections",
    ),
    invalid(
        "unknown-shared-object-field",
        "the gateway pool ($ref PoolSettings) has no min_connections either",
        {f"{GW_POOL}/min_connections": 5},
        f"{GW_POOL}/min_connections",
    ),
    invalid(
        "unknown-idempotency-field",
        "idempotency has no ttl_ms",
        {f"{IDEM}/ttl_ms": 1},
        f"{IDEM}/ttl_ms",
    ),
    invalid(
        "unknown-field-pointer-escaped",
        "unknown names with / and ~ are escaped in pointers (RFC 6901)",
        {"/a~1b": 1, "/x~0y": 2},
        "/a~1b",
        "/x~0y",
    ),
    invalid(
        "unknown-object-reported-once",
        "an unknown object is one violation, not one per member",
        {"/extra": {"timeout_ms": 1}},
        "/extra",
    ),
    # --- malformed JSON ---
    text_case("malformed-truncated", "a document cut short is not JSON", '{"version": ', ""),
    text_case(
        "malformed-trailing-comma",
        "a trailing comma is not JSON",
        base_text('"safety_margin_ms": 2000', '"safety_margin_ms": 2000,'),
        "",
    ),
    text_case("malformed-empty-text", "an empty file is not JSON", "", ""),
    text_case(
        "malformed-nan-literal", "NaN is not a JSON value", base_text('"token_ratio": 0.1', '"token_ratio": NaN'), ""
    ),
    text_case(
        "malformed-comment",
        "JSON has no comments",
        base_text('"version": "2026.11.28-incident-fix",', '"version": "2026.11.28-incident-fix", // fix'),
        "",
    ),
    # --- duplicate keys: refused at the duplicate's pointer, before the schema sees the document ---
    text_case(
        "duplicate-key-nested",
        "a timeout given twice reads 20000 to a reviewer while a parser keeps 5000",
        base_text('"timeout_ms": 20000,', '"timeout_ms": 20000,\n    "timeout_ms": 5000,'),
        "/payment/timeout_ms",
    ),
    text_case(
        "duplicate-key-same-value",
        "a key repeated with the same value is still refused: RFC 8785 has no form for it",
        base_text(
            '"version": "2026.11.28-incident-fix",',
            '"version": "2026.11.28-incident-fix",\n  "version": "2026.11.28-incident-fix",',
        ),
        "/version",
    ),
    text_case(
        "duplicate-key-object",
        "a whole section given twice is refused at the section, and only there",
        base_text('"lambda": {', '"lambda": {"safety_margin_ms": 1},\n  "lambda": {'),
        "/lambda",
    ),
    text_case(
        "duplicate-key-pointer-escaped",
        "a duplicate unknown key is refused as a duplicate, its pointer escaped (~1 for /, ~0 for ~)",
        base_text('"lambda": {', '"a/b~c": 1,\n  "a/b~c": 2,\n  "lambda": {'),
        "/a~1b~0c",
    ),
    text_case(
        "duplicate-key-in-each-of-two-objects",
        "every duplicate is listed, not just the first",
        base_text('"max_tokens": 10,', '"max_tokens": 10,\n      "max_tokens": 10,').replace(
            '"safety_margin_ms": 2000', '"safety_margin_ms": 2000,\n    "safety_margin_ms": 2000'
        ),
        "/payment/retry_budget/max_tokens",
        "/lambda/safety_margin_ms",
    ),
]
