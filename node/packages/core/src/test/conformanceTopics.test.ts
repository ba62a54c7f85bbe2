// The runner's topics come from vector.schema.json; the bulkhead and upstream runners report a
// wrong expectation where it is.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { vectorFiles } from "../conformance/files.js";
import { vectorTopics } from "../conformance/schema.js";
import { runVector } from "../conformance/vectors.js";
import { REPO_ROOT, readText, withTempDir } from "./fixtures.js";

const SCHEMA = JSON.parse(readText(path.join(REPO_ROOT, "tests", "contracts", "vector.schema.json"))) as {
  properties: { topic: { enum: string[] } };
  $defs: { upstream_vector: { examples: Record<string, unknown>[] } };
};

describe("vector topics", () => {
  test("are the schema's topic enum, new topics included, and pick the folders of any directory in that order", () => {
    assert.deepEqual(vectorTopics(), SCHEMA.properties.topic.enum);
    assert.ok(vectorTopics().includes("bulkhead") && vectorTopics().includes("upstream"));
    withTempDir((dir) => {
      for (const folder of ["upstream", "backoff", "bulkhead", "config", "notes"]) {
        mkdirSync(path.join(dir, folder));
        writeFileSync(path.join(dir, folder, `${folder}-a.json`), "{}");
      }
      assert.deepEqual(
        vectorFiles(dir).map((file) => path.relative(dir, file)),
        ["backoff/backoff-a.json", "bulkhead/bulkhead-a.json", "upstream/upstream-a.json"],
      );
    });
  });
});

describe("bulkhead and upstream runners", () => {
  test("a bulkhead vector names the step and the field that differ", async () => {
    const vector = {
      id: "bulkhead-wrong",
      description: "expects a third slot that max_concurrent 2 does not grant",
      topic: "bulkhead",
      settings: { max_concurrent: 2 },
      steps: [
        { acquire: "a", expect: { granted: true, in_flight: 1 } },
        { acquire: "b", expect: { granted: true, in_flight: 2 } },
        { acquire: "c", expect: { granted: true, in_flight: 3 } },
        { release: "a", expect: { applied: true, in_flight: 1 } },
        { release: "a", expect: { applied: false, in_flight: 1 } },
      ],
    };
    assert.deepEqual(await runVector(vector), [
      "steps[2]: granted expected true, got false",
      "steps[2]: in_flight expected 3, got 2",
    ]);
  });

  test("the schema's upstream example passes; a reconfigure step compares both operations' state", async () => {
    const example = SCHEMA.$defs.upstream_vector.examples[0] as Record<string, unknown> & { settings: object };
    assert.deepEqual(await runVector(example), []);
    const state = { breaker_state: "closed", breaker_generation: 0, tokens_milli: 10000, in_flight: 0 };
    const expected = { ...state, max_concurrent: 100 };
    const reload = {
      ...example,
      id: "upstream-reload",
      steps: [
        {
          reconfigure: { ...example.settings, bulkhead: { max_concurrent: 7 } },
          expect: { charge: expected, lookup: { ...state, max_concurrent: 20 } },
        },
      ],
    };
    const actual = { breaker_state: "closed", breaker_generation: 0, tokens_milli: 10000, max_concurrent: 7, in_flight: 0 };
    assert.deepEqual(await runVector(reload), [
      `steps[0]: charge expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    ]);
  });
});
