// Every conformance vector of the six resilience topics, one subtest each, through the same
// runner the vector CLI uses. CONFORMANCE_VECTORS_DIR points it at another directory.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";

import { readVector, vectorFiles, vectorsDir } from "../conformance/files.js";
import { runVector } from "../conformance/vectors.js";

const dir = vectorsDir();
const files = dir === undefined ? [] : vectorFiles(dir);

describe(`resilience vectors in ${dir ?? "(not found)"}`, () => {
  test("the vector directory exists and holds vectors", () => {
    assert.ok(dir !== undefined, "no tests/contracts above the working directory and no CONFORMANCE_VECTORS_DIR");
    assert.ok(files.length > 0, `no vector files under ${dir}`);
  });

  for (const file of files) {
    const { id, vector } = readVector(file);
    test(`${path.basename(path.dirname(file))}/${id}`, async () => {
      assert.deepEqual(await runVector(vector), []);
    });
  }
});
