import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { fingerprint, parseConfig } from "../index.js";
import { CONFIG_PATH, readText, shippedDocument } from "./fixtures.js";

describe("fingerprint", () => {
  test("matches the shared test vector of every language", () => {
    const document: unknown = JSON.parse('{"b":2.0,"a":[1,0.8,"x"],"c":{"z":true,"y":null}}');
    assert.equal(fingerprint(document), "04c76e44cc40bebffb9eaa1d9d4d8f144c8bda63c562e3ca6e2c24cd1094b7c8");
  });

  test("ignores number spelling and whitespace", () => {
    assert.equal(fingerprint(JSON.parse('{"a":2.0}')), fingerprint(JSON.parse('{ "a" : 2 }')));
    assert.notEqual(fingerprint(JSON.parse('{"a":2}')), fingerprint(JSON.parse('{"a":3}')));
  });

  test("of the shipped config is 64 lowercase hex digits, whatever the key order or spelling", () => {
    const original = parseConfig(readText(CONFIG_PATH), "t").fingerprint;
    assert.match(original, /^[0-9a-f]{64}$/);
    const reordered = Object.fromEntries(Object.entries(shippedDocument()).reverse());
    const respelled = JSON.stringify(reordered, null, 4).replace('"backoff_multiplier": 2', '"backoff_multiplier": 2.000');
    assert.match(respelled, /"backoff_multiplier": 2\.000/);
    assert.equal(parseConfig(respelled, "t").fingerprint, original);
  });

  test("refuses a value with no canonical form", () => {
    assert.throws(() => fingerprint({ a: Number.NaN }), /NaN/);
  });
});
