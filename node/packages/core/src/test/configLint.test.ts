import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { lintConfig, worstCaseCallMs, type TimeoutConfig } from "../index.js";
import { PRE_INCIDENT_PATH, readText, shippedDocument, shippedWith, type Edit } from "./fixtures.js";

// The lint runs on schema-valid settings; these documents are valid by construction.
function settingsOf(text: string): TimeoutConfig {
  return JSON.parse(text) as TimeoutConfig;
}

const shipped = (): TimeoutConfig => shippedDocument() as unknown as TimeoutConfig;

function retry(fields: Record<string, number>): TimeoutConfig {
  return settingsOf(shippedWith(...Object.entries(fields).map(([k, v]) => [`/payment/retry/${k}`, v] as const)));
}

describe("lintConfig", () => {
  test("the shipped config has no findings", () => {
    assert.deepEqual(lintConfig(shipped()), []);
  });

  test("the pre-incident config fails the p99 rule with the values filled into the message", () => {
    const findings = lintConfig(settingsOf(readText(PRE_INCIDENT_PATH)));
    const errors = findings.filter((f) => f.severity === "error");
    assert.deepEqual(errors, [
      {
        rule: "payment-timeout-covers-p99",
        severity: "error",
        pointer: "/payment/timeout_ms",
        message:
          "payment timeout_ms is 5000 ms, below the provider's expected p99 latency of 19000 ms, so legitimate " +
          "payments will time out; expected timeout_ms >= provider_expected_p99_ms",
      },
    ]);
  });

  const cases: readonly (readonly [rule: string, pointer: string, edits: readonly Edit[]])[] = [
    ["payment-deadline-covers-retries", "/payment/deadline_ms", [["/payment/deadline_ms", 66999]]],
    ["retry-jitter-within-base", "/payment/retry/jitter_ms", [["/payment/retry/base_delay_ms", 400]]],
    ["retry-max-delay-covers-base", "/payment/retry/max_delay_ms", [["/payment/retry/max_delay_ms", 1999]]],
    ["pool-acquire-within-deadline", "/database/pool/acquire_timeout_ms", [["/database/pool/acquire_timeout_ms", 70000]]],
    ["monitoring-warn-below-critical", "/monitoring/pool_utilization_warn", [["/monitoring/pool_utilization_warn", 0.9]]],
    ["circuit-breaker-enabled", "/payment/circuit_breaker/enabled", [["/payment/circuit_breaker/enabled", false]]],
    ["retry-backoff-grows", "/payment/retry/backoff_multiplier", [["/payment/retry/backoff_multiplier", 1]]],
    ["retry-jitter-present", "/payment/retry/jitter_ms", [["/payment/retry/jitter_ms", 0]]],
  ];
  for (const [rule, pointer, edits] of cases) {
    test(`${rule} fires alone at ${pointer} when broken`, () => {
      const findings = lintConfig(settingsOf(shippedWith(...edits)));
      assert.deepEqual(findings.map((f) => [f.rule, f.pointer]), [[rule, pointer]]);
    });
  }

  test("the deadline rule holds at exactly the worst case and names it when it fails", () => {
    assert.deepEqual(lintConfig(settingsOf(shippedWith(["/payment/deadline_ms", 67000]))), []);
    const [finding] = lintConfig(settingsOf(shippedWith(["/payment/deadline_ms", 66999], ["/database/pool/acquire_timeout_ms", 1000])));
    assert.match(finding?.message ?? "", /deadline_ms is 66999 ms, shorter than the worst case of one payment call \(67000 ms/);
  });

  test("a single attempt needs neither growing backoff nor jitter", () => {
    const single = settingsOf(shippedWith(
      ["/payment/retry/max_attempts", 1],
      ["/payment/retry/backoff_multiplier", 1],
      ["/payment/retry/jitter_ms", 0],
    ));
    assert.deepEqual(lintConfig(single), []);
  });
});

describe("worstCaseCallMs", () => {
  test("of the shipped config: three 20 s attempts plus backoffs of 2 s and 4 s, each with 500 ms jitter", () => {
    assert.equal(worstCaseCallMs(shipped()), 3 * 20000 + (2000 + 500) + (4000 + 500));
  });

  test("caps every backoff after the first at max_delay_ms", () => {
    const settings = retry({ max_attempts: 5, base_delay_ms: 2000, backoff_multiplier: 2, jitter_ms: 100, max_delay_ms: 5000 });
    assert.equal(worstCaseCallMs(settings), 5 * 20000 + (2000 + 4000 + 5000 + 5000) + 4 * 100);
  });

  test("floors each product before the next multiplication", () => {
    const settings = retry({ max_attempts: 4, base_delay_ms: 1001, backoff_multiplier: 1.5, jitter_ms: 0, max_delay_ms: 100000 });
    assert.equal(worstCaseCallMs(settings), 4 * 20000 + 1001 + 1501 + 2251);
  });

  test("one attempt is just the timeout", () => {
    assert.equal(worstCaseCallMs(retry({ max_attempts: 1 })), 20000);
  });
});
