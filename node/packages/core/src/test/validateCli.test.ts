import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { CONFIG_PATH, PACKAGE_ROOT, PRE_INCIDENT_PATH, readText, shippedWith, withTempDir } from "./fixtures.js";

const CLI = path.join(PACKAGE_ROOT, "dist", "config", "validateCli.js");

function runCli(files: readonly string[]): { status: number | null; lines: unknown[]; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...files], { encoding: "utf8" });
  const lines = result.stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as unknown);
  return { status: result.status, lines, stderr: result.stderr };
}

function writeCase(dir: string, id: string, body: Record<string, unknown>): string {
  const file = path.join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify({ id, description: id, ...body }));
  return file;
}

describe("validateCli", () => {
  test("prints one verdict line per case, in order, and exits 0", () => {
    withTempDir((dir) => {
      const files = [
        writeCase(dir, "shipped", { document: JSON.parse(readText(CONFIG_PATH)) }),
        writeCase(dir, "pre-incident", { document: JSON.parse(readText(PRE_INCIDENT_PATH)) }),
        writeCase(dir, "zero-timeout", { document: JSON.parse(shippedWith(["/payment/timeout_ms", 0])) }),
        writeCase(dir, "malformed", { document_text: "{" }),
      ];
      const { status, lines } = runCli(files);
      assert.equal(status, 0);
      const [shipped, ...rest] = lines as Record<string, unknown>[];
      assert.deepEqual(Object.keys(shipped ?? {}), ["id", "valid", "errors", "warnings", "fingerprint"]);
      assert.match(String(shipped?.["fingerprint"]), /^[0-9a-f]{64}$/);
      assert.deepEqual(rest, [
        {
          id: "pre-incident",
          valid: false,
          errors: ["/payment/timeout_ms"],
          warnings: ["/payment/circuit_breaker/enabled", "/payment/retry/backoff_multiplier", "/payment/retry/jitter_ms"],
          fingerprint: null,
        },
        { id: "zero-timeout", valid: false, errors: ["/payment/timeout_ms"], warnings: [], fingerprint: null },
        { id: "malformed", valid: false, errors: [""], warnings: [], fingerprint: null },
      ]);
    });
  });

  test("document_text is loaded as is and fingerprints like the same document", () => {
    withTempDir((dir) => {
      const text = readText(CONFIG_PATH).replace('"timeout_ms": 20000', '"timeout_ms": 20000.0');
      const { lines } = runCli([
        writeCase(dir, "as-text", { document_text: text }),
        writeCase(dir, "as-document", { document: JSON.parse(readText(CONFIG_PATH)) }),
      ]);
      const [asText, asDocument] = lines as { valid: boolean; fingerprint: string }[];
      assert.equal(asText?.valid, true);
      assert.equal(asText?.fingerprint, asDocument?.fingerprint);
    });
  });

  test("a case file that cannot be read is reported on stderr, the rest still run, exit 2", () => {
    withTempDir((dir) => {
      const broken = path.join(dir, "broken.json");
      writeFileSync(broken, '{"id": "broken"}');
      const { status, lines, stderr } = runCli([
        path.join(dir, "absent.json"),
        broken,
        writeCase(dir, "fine", { document: JSON.parse(readText(CONFIG_PATH)) }),
      ]);
      assert.equal(status, 2);
      assert.deepEqual((lines as { id: string }[]).map((line) => line.id), ["fine"]);
      assert.match(stderr, /absent\.json/);
      assert.match(stderr, /exactly one of "document" and "document_text"/);
    });
  });

  test("no case file at all is a usage error", () => {
    const { status, stderr } = runCli([]);
    assert.equal(status, 2);
    assert.match(stderr, /usage/);
  });
});
