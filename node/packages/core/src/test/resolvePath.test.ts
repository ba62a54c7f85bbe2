import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { CONFIG_ENV, resolveConfigPath } from "../index.js";
import { withTempDir } from "./fixtures.js";

function plantConfig(root: string): string {
  const file = path.join(root, "config", "timeout.json");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "{}");
  return file;
}

describe("resolveConfigPath", () => {
  test("an explicit path wins over the environment and the search, resolved against the cwd", () => {
    withTempDir((dir) => {
      plantConfig(dir);
      const resolved = resolveConfigPath("elsewhere/mine.json", { env: { [CONFIG_ENV]: "/env.json" }, cwd: dir });
      assert.equal(resolved, path.join(dir, "elsewhere", "mine.json"));
    });
  });

  test("CHECKOUT_CONFIG wins over the search from the cwd", () => {
    withTempDir((dir) => {
      plantConfig(dir);
      const resolved = resolveConfigPath(undefined, { env: { [CONFIG_ENV]: "from-env.json" }, cwd: dir });
      assert.equal(resolved, path.join(dir, "from-env.json"));
    });
  });

  test("an empty CHECKOUT_CONFIG counts as unset", () => {
    withTempDir((dir) => {
      const planted = plantConfig(dir);
      assert.equal(resolveConfigPath(undefined, { env: { [CONFIG_ENV]: "" }, cwd: dir }), planted);
    });
  });

  test("the search finds config/timeout.json in the cwd itself", () => {
    withTempDir((dir) => {
      const planted = plantConfig(dir);
      assert.equal(resolveConfigPath(undefined, { env: {}, cwd: dir }), planted);
    });
  });

  test("the search walks up to the nearest ancestor that has config/timeout.json", () => {
    withTempDir((dir) => {
      plantConfig(dir);
      const nearer = plantConfig(path.join(dir, "a"));
      const deep = path.join(dir, "a", "b", "c");
      mkdirSync(deep, { recursive: true });
      assert.equal(resolveConfigPath(undefined, { env: {}, cwd: deep }), nearer);
    });
  });

  test("a directory named config/timeout.json is not a config file", () => {
    withTempDir((dir) => {
      const planted = plantConfig(dir);
      const inner = path.join(dir, "inner");
      mkdirSync(path.join(inner, "config", "timeout.json"), { recursive: true });
      assert.equal(resolveConfigPath(undefined, { env: {}, cwd: inner }), planted);
    });
  });

  test("no rule naming a file gives undefined", () => {
    withTempDir((dir) => {
      assert.equal(resolveConfigPath(undefined, { env: {}, cwd: dir }), undefined);
    });
  });
});
