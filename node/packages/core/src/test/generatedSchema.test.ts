import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { SCHEMA_SHA256, timeoutSchema } from "../index.js";
import { PACKAGE_ROOT, REPO_ROOT, SCHEMA_PATH, readText } from "./fixtures.js";

const GENERATED_DIR = path.join(PACKAGE_ROOT, "src", "generated");

describe("generated binding", () => {
  test("the embedded schema equals config/timeout.schema.json", () => {
    assert.deepEqual(timeoutSchema, JSON.parse(readText(SCHEMA_PATH)));
  });

  test("SCHEMA_SHA256 is the hash of the schema file's text", () => {
    assert.equal(SCHEMA_SHA256, createHash("sha256").update(readText(SCHEMA_PATH), "utf8").digest("hex"));
  });

  test("every generated file starts with the do-not-edit header and the schema hash", () => {
    const files = readdirSync(GENERATED_DIR).filter((name) => name.endsWith(".ts")).sort();
    assert.deepEqual(files, [
      "apiLimits.ts",
      "configLint.ts",
      "index.ts",
      "taxonomy.ts",
      "timeoutConfig.ts",
      "timeoutSchema.ts",
      "vocabulary.ts",
    ]);
    const ownSource = new Set(["apiLimits.ts", "taxonomy.ts", "vocabulary.ts"]);
    for (const file of files.filter((name) => !ownSource.has(name))) {
      const head = readText(path.join(GENERATED_DIR, file)).split("\n").slice(0, 3);
      assert.deepEqual(head, [
        "// generated from config/timeout.schema.json — do not edit",
        "// regenerate: nox -s codegen",
        `// schema-sha256: ${SCHEMA_SHA256}`,
      ], file);
    }
  });

  test("the taxonomy file names its own source and that file's hash", () => {
    const head = readText(path.join(GENERATED_DIR, "taxonomy.ts")).split("\n").slice(0, 3);
    const taxonomy = readText(path.join(REPO_ROOT, "config", "taxonomy.json"));
    assert.deepEqual(head, [
      "// generated from config/taxonomy.json — do not edit",
      "// regenerate: nox -s codegen",
      `// taxonomy-sha256: ${createHash("sha256").update(taxonomy, "utf8").digest("hex")}`,
    ]);
  });

  test("the vocabulary file names its own source and that file's hash", () => {
    const head = readText(path.join(GENERATED_DIR, "vocabulary.ts")).split("\n").slice(0, 3);
    const vocabulary = readText(path.join(REPO_ROOT, "config", "vocabulary.json"));
    assert.deepEqual(head, [
      "// generated from config/vocabulary.json — do not edit",
      "// regenerate: nox -s codegen",
      `// vocabulary-sha256: ${createHash("sha256").update(vocabulary, "utf8").digest("hex")}`,
    ]);
  });

  test("the API limits file names its own source and that file's hash", () => {
    const head = readText(path.join(GENERATED_DIR, "apiLimits.ts")).split("\n").slice(0, 3);
    const limits = readText(path.join(REPO_ROOT, "config", "api-limits.json"));
    assert.deepEqual(head, [
      "// generated from config/api-limits.json — do not edit",
      "// regenerate: nox -s codegen",
      `// api-limits-sha256: ${createHash("sha256").update(limits, "utf8").digest("hex")}`,
    ]);
  });
});
