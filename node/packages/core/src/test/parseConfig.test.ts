import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { fingerprint, parseConfig } from "../index.js";
import { configErrorOf, pointersOf } from "./assertions.js";
import { CONFIG_PATH, PRE_INCIDENT_PATH, readText, shippedDocument, shippedWith } from "./fixtures.js";

describe("parseConfig", () => {
  test("returns the source as the path and strips the $schema editor hint from the settings", () => {
    const loaded = parseConfig(readText(CONFIG_PATH), "inline");
    assert.equal(loaded.path, "inline");
    assert.ok(!("$schema" in loaded.settings));
    assert.equal(loaded.settings.version, "2026.11.28-incident-fix");
  });

  test("malformed JSON is one parse violation at the document pointer, naming line and column", () => {
    const error = configErrorOf(() => parseConfig('{"version": "x",\n  ', "broken.json"));
    assert.deepEqual(error.violations.map((v) => [v.pointer, v.rule]), [["", "parse"]]);
    assert.match(error.violations[0]?.message ?? "", /line 2 column 3/);
    assert.match(error.message, /^INVALID_CONFIG broken\.json: 1 violation/);
  });

  test("a document that is not an object is a type violation at the document pointer", () => {
    const error = configErrorOf(() => parseConfig("[1, 2]", "array.json"));
    assert.deepEqual(error.violations.map((v) => [v.pointer, v.rule]), [["", "type"]]);
  });

  test("a missing field is reported at the parent pointer plus its name", () => {
    const error = configErrorOf(() => parseConfig(shippedWith(["/database/pool/max_connections", undefined]), "t"));
    assert.deepEqual(error.violations, [
      {
        pointer: "/database/pool/max_connections",
        rule: "required",
        message: '/database/pool/max_connections is missing; /database/pool requires the field "max_connections"',
      },
    ]);
  });

  test("unknown fields are rejected at every level, their names escaped per RFC 6901", () => {
    const text = shippedWith(["/extra", true], ["/payment/retry/a~0b~1c", 1]);
    const error = configErrorOf(() => parseConfig(text, "t"));
    assert.deepEqual(pointersOf(error), ["/extra", "/payment/retry/a~0b~1c"]);
    assert.ok(error.violations.every((v) => v.rule === "additionalProperties"));
    assert.match(error.violations[0]?.message ?? "", /expected only/);
  });

  test("a value out of range names the field, the value found and the bound", () => {
    const error = configErrorOf(() => parseConfig(shippedWith(["/payment/timeout_ms", 0]), "t"));
    assert.deepEqual(error.violations, [
      { pointer: "/payment/timeout_ms", rule: "minimum", message: "/payment/timeout_ms must be >= 1, found 0" },
    ]);
  });

  test("every violation is listed, not only the first", () => {
    const text = shippedWith(
      ["/version", ""],
      ["/payment/timeout_ms", -5],
      ["/payment/retry/backoff_multiplier", "2"],
      ["/database/pool/idle_timeout_ms", undefined],
      ["/monitoring/pool_utilization_warn", 0],
      ["/lambda/unknown", 1],
    );
    const error = configErrorOf(() => parseConfig(text, "t"));
    assert.deepEqual(pointersOf(error), [
      "/database/pool/idle_timeout_ms",
      "/lambda/unknown",
      "/monitoring/pool_utilization_warn",
      "/payment/retry/backoff_multiplier",
      "/payment/timeout_ms",
      "/version",
    ]);
    assert.deepEqual(
      error.violations.filter((v) => v.pointer === "/version").map((v) => v.rule),
      ["minLength", "pattern"],
    );
  });

  test("an integer spelled 20000.0 is an integer; 20000.5 is not", () => {
    const spelled = readText(CONFIG_PATH).replace('"timeout_ms": 20000', '"timeout_ms": 20000.0');
    assert.notEqual(spelled, readText(CONFIG_PATH));
    assert.equal(parseConfig(spelled, "t").settings.payment.timeout_ms, 20000);
    const fraction = configErrorOf(() => parseConfig(shippedWith(["/payment/timeout_ms", 20000.5]), "t"));
    assert.deepEqual(fraction.violations.map((v) => [v.pointer, v.rule]), [["/payment/timeout_ms", "type"]]);
  });

  test("schema violations stop before the lint: no lint rule is reported alongside them", () => {
    const text = shippedWith(["/payment/timeout_ms", 5000], ["/payment/circuit_breaker/enabled", "no"]);
    const error = configErrorOf(() => parseConfig(text, "t"));
    assert.deepEqual(error.violations.map((v) => v.rule), ["type"]);
    assert.deepEqual(error.warnings, []);
  });

  test("the pre-incident config is refused by the lint at /payment/timeout_ms, carrying its warnings", () => {
    const error = configErrorOf(() => parseConfig(readText(PRE_INCIDENT_PATH), "pre-incident.json"));
    assert.deepEqual(error.violations.map((v) => [v.pointer, v.rule]), [
      ["/payment/timeout_ms", "payment-timeout-covers-p99"],
    ]);
    assert.match(error.violations[0]?.message ?? "", /5000 ms, below the provider's expected p99 latency of 19000 ms/);
    assert.deepEqual(error.warnings.map((w) => w.pointer).sort(), [
      "/payment/circuit_breaker/enabled",
      "/payment/retry/backoff_multiplier",
      "/payment/retry/jitter_ms",
    ]);
  });

  test("lint warnings alone do not refuse a config; they come back with it", () => {
    const loaded = parseConfig(shippedWith(["/payment/circuit_breaker/enabled", false]), "t");
    assert.deepEqual(loaded.warnings.map((w) => [w.pointer, w.rule, w.severity]), [
      ["/payment/circuit_breaker/enabled", "circuit-breaker-enabled", "warning"],
    ]);
  });

  test("the fingerprint covers $schema: dropping the editor hint changes it", () => {
    const withHint = parseConfig(readText(CONFIG_PATH), "t").fingerprint;
    const document = shippedDocument();
    delete document["$schema"];
    const withoutHint = parseConfig(JSON.stringify(document), "t").fingerprint;
    assert.notEqual(withHint, withoutHint);
    assert.equal(withoutHint, fingerprint(document));
  });
});
