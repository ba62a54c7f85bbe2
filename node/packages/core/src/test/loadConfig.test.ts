import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, test } from "node:test";

import { CONFIG_ENV, loadConfig } from "../index.js";
import { configErrorOf } from "./assertions.js";
import { CONFIG_PATH, readText, withTempDir } from "./fixtures.js";

const HEX_SHA256 = /^[0-9a-f]{64}$/;

describe("loadConfig", () => {
  const startCwd = process.cwd();
  const startEnv = process.env[CONFIG_ENV];

  afterEach(() => {
    process.chdir(startCwd);
    if (startEnv === undefined) {
      delete process.env[CONFIG_ENV];
    } else {
      process.env[CONFIG_ENV] = startEnv;
    }
  });

  test("loads the shipped config from an explicit path with typed settings and no warnings", () => {
    const loaded = loadConfig(CONFIG_PATH);
    assert.equal(loaded.path, CONFIG_PATH);
    assert.equal(loaded.settings.payment.timeout_ms, 20000);
    assert.equal(loaded.settings.database.pool.max_connections, 50);
    assert.equal(loaded.settings.payment.circuit_breaker.failure_threshold, 5);
    assert.match(loaded.fingerprint, HEX_SHA256);
    assert.deepEqual(loaded.warnings, []);
  });

  test("reads the file named by CHECKOUT_CONFIG when no path is given", () => {
    withTempDir((dir) => {
      const file = path.join(dir, "chosen.json");
      writeFileSync(file, readText(CONFIG_PATH));
      process.env[CONFIG_ENV] = file;
      assert.equal(loadConfig().path, file);
    });
  });

  test("finds config/timeout.json above the working directory when nothing else names a file", () => {
    withTempDir((dir) => {
      delete process.env[CONFIG_ENV];
      mkdirSync(path.join(dir, "config"));
      writeFileSync(path.join(dir, "config", "timeout.json"), readText(CONFIG_PATH));
      const deep = path.join(dir, "service", "src");
      mkdirSync(deep, { recursive: true });
      process.chdir(deep);
      assert.equal(loadConfig().path, path.join(process.cwd(), "..", "..", "config", "timeout.json"));
    });
  });

  test("a CHECKOUT_CONFIG naming a missing file is a read error, not a fall-through to the search", () => {
    withTempDir((dir) => {
      mkdirSync(path.join(dir, "config"));
      writeFileSync(path.join(dir, "config", "timeout.json"), readText(CONFIG_PATH));
      process.chdir(dir);
      process.env[CONFIG_ENV] = path.join(dir, "missing.json");
      const error = configErrorOf(() => loadConfig());
      assert.deepEqual(error.violations.map((v) => [v.pointer, v.rule]), [["", "read"]]);
      assert.match(error.violations[0]?.message ?? "", /missing\.json/);
    });
  });

  test("a missing explicit file is one read violation at the document pointer", () => {
    const error = configErrorOf(() => loadConfig("/nonexistent/checkout/timeout.json"));
    assert.equal(error.errorClass, "INVALID_CONFIG");
    assert.deepEqual(error.violations.map((v) => [v.pointer, v.rule]), [["", "read"]]);
    assert.match(error.violations[0]?.message ?? "", /ENOENT/);
  });

  test("bytes that are not UTF-8 are a read error", () => {
    withTempDir((dir) => {
      const file = path.join(dir, "latin1.json");
      writeFileSync(file, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])); // {"é":1} in Latin-1
      const error = configErrorOf(() => loadConfig(file));
      assert.deepEqual(error.violations.map((v) => [v.pointer, v.rule]), [["", "read"]]);
    });
  });

  test("a directory is a read error", () => {
    withTempDir((dir) => {
      const error = configErrorOf(() => loadConfig(dir));
      assert.deepEqual(error.violations.map((v) => v.rule), ["read"]);
    });
  });

  test("the loaded settings and warnings are deeply frozen", () => {
    const loaded = loadConfig(CONFIG_PATH);
    assert.ok(Object.isFrozen(loaded));
    assert.ok(Object.isFrozen(loaded.settings.payment.retry));
    assert.ok(Object.isFrozen(loaded.warnings));
    assert.throws(() => {
      (loaded.settings.payment.retry as { max_attempts: number }).max_attempts = 99;
    }, TypeError);
  });
});
