import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { runVector } from "../conformance/vectors.js";
import { PACKAGE_ROOT, withTempDir } from "./fixtures.js";

const CLI = path.join(PACKAGE_ROOT, "dist", "conformance", "cli.js");

const BACKOFF = {
  id: "backoff-first-retry",
  description: "the first retry of the incident config",
  topic: "backoff",
  settings: { max_attempts: 3, base_delay_ms: 2000, backoff_multiplier: 2.0, jitter_ms: 500, max_delay_ms: 8000 },
  cases: [{ retry: 1, u: 0.5, expect: { delay_ms: 2250 } }],
};

function runCli(files: readonly string[]): { status: number | null; lines: unknown[]; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...files], { encoding: "utf8" });
  const lines = result.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);
  return { status: result.status, lines, stderr: result.stderr };
}

function writeVector(dir: string, vector: Record<string, unknown>, name = `${String(vector["id"])}.json`): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(vector));
  return file;
}

describe("conformance cli", () => {
  test("prints one line per vector, in order: passing and failing vectors alike, exit 0", () => {
    withTempDir((dir) => {
      const wrong = { ...BACKOFF, id: "backoff-wrong", cases: [{ retry: 1, u: 0.5, expect: { delay_ms: 2251 } }] };
      const { status, lines } = runCli([writeVector(dir, BACKOFF), writeVector(dir, wrong)]);
      assert.equal(status, 0);
      assert.deepEqual(lines, [
        { id: "backoff-first-retry", pass: true, mismatches: [] },
        { id: "backoff-wrong", pass: false, mismatches: ["cases[0]: delay_ms expected 2251, got 2250"] },
      ]);
    });
  });

  test("a file that cannot be read or has no id is reported on stderr, the rest still run, exit 2", () => {
    withTempDir((dir) => {
      const noId = path.join(dir, "no-id.json");
      writeFileSync(noId, '{"topic": "backoff"}');
      const { status, lines, stderr } = runCli([path.join(dir, "absent.json"), noId, writeVector(dir, BACKOFF)]);
      assert.equal(status, 2);
      assert.deepEqual(lines, [{ id: "backoff-first-retry", pass: true, mismatches: [] }]);
      assert.match(stderr, /absent\.json/);
      assert.match(stderr, /no-id\.json: a vector is a JSON object with a non-empty string "id"/);
    });
  });

  test("no file at all is a usage error", () => {
    const { status, stderr } = runCli([]);
    assert.equal(status, 2);
    assert.match(stderr, /usage/);
  });
});

describe("runVector", () => {
  test("a vector the schema rejects fails at the JSON Pointer of the first wrong field, before any kernel call", async () => {
    assert.deepEqual(await runVector({ ...BACKOFF, topic: "retry" }), [
      "malformed vector: /topic: must be equal to one of the allowed values",
    ]);
    assert.deepEqual(await runVector({ ...BACKOFF, extra: 1 }), [
      "malformed vector: /: must NOT have additional properties (extra)",
    ]);
    assert.deepEqual(await runVector({ ...BACKOFF, cases: [{ retry: 0, u: 0.5, expect: { delay_ms: 2000 } }] }), [
      "malformed vector: /cases/0/retry: must be >= 1",
    ]);
    assert.deepEqual(
      await runVector({ ...BACKOFF, cases: [{ retry: 1, u: 0.5, expect: { delay_ms: 2250, sleeps: 1 } }] }),
      ["malformed vector: /cases/0/expect: must NOT have additional properties (sleeps)"],
    );
  });

  test("a call vector fails when the kernel runs an unscripted attempt or leaves one unused", async () => {
    const call = {
      id: "call-script",
      description: "a script that does not match the loop",
      topic: "call",
      settings: {
        timeout_ms: 20000,
        deadline_ms: 70000,
        provider_expected_p99_ms: 19000,
        min_deadline_ms: 1000,
        answer_margin_ms: 500,
        retry: BACKOFF.settings,
        circuit_breaker: { enabled: true, failure_threshold: 5, recovery_timeout_ms: 60000, half_open_max_calls: 3 },
        retry_budget: { max_tokens: 10, token_ratio: 0.1 },
        bulkhead: { max_concurrent: 100 },
      },
      role: "origin",
      draws: [0.5],
      calls: [
        {
          start_ms: 0,
          attempts: [{ duration_ms: 10, result: "CONNECTION" }],
          expect: {
            result: "CONNECTION",
            attempts: 1,
            attempt_timeouts_ms: [20000],
            deadline_headers_ms: [19500],
            sleeps_ms: [],
            end_ms: 10,
            breaker_state: "closed",
            breaker_generation: 0,
            tokens_milli: 9000,
            draws_used: 0,
          },
        },
        {
          start_ms: 100,
          attempts: [
            { duration_ms: 10, result: "success" },
            { duration_ms: 10, result: "success" },
          ],
          expect: {
            result: "success",
            attempts: 1,
            attempt_timeouts_ms: [20000],
            deadline_headers_ms: [19500],
            sleeps_ms: [],
            end_ms: 110,
            breaker_state: "closed",
            breaker_generation: 0,
            tokens_milli: 9100,
            draws_used: 0,
          },
        },
      ],
    };
    const mismatches = await runVector(call);
    assert.ok(mismatches.includes("calls[0]: attempt 2 ran but the vector scripts only 1"), mismatches.join("\n"));
    assert.ok(mismatches.includes("calls[1]: the vector scripts 2 attempts but only 1 ran"), mismatches.join("\n"));
  });

  test("a call vector names a wrong X-Deadline-Ms with both values", async () => {
    const call = {
      id: "call-header",
      description: "the header expectation forgets the answer margin",
      topic: "call",
      settings: {
        timeout_ms: 20000,
        deadline_ms: 70000,
        provider_expected_p99_ms: 19000,
        min_deadline_ms: 1000,
        answer_margin_ms: 500,
        retry: BACKOFF.settings,
        circuit_breaker: { enabled: true, failure_threshold: 5, recovery_timeout_ms: 60000, half_open_max_calls: 3 },
        retry_budget: { max_tokens: 10, token_ratio: 0.1 },
        bulkhead: { max_concurrent: 100 },
      },
      role: "origin",
      draws: [],
      calls: [
        {
          start_ms: 0,
          attempts: [{ duration_ms: 10, result: "success" }],
          expect: {
            result: "success",
            attempts: 1,
            attempt_timeouts_ms: [20000],
            deadline_headers_ms: [20000],
            sleeps_ms: [],
            end_ms: 10,
            breaker_state: "closed",
            breaker_generation: 0,
            tokens_milli: 10000,
            draws_used: 0,
          },
        },
      ],
    };
    assert.deepEqual(await runVector(call), ["calls[0]: deadline_headers_ms expected [20000], got [19500]"]);
  });
});
