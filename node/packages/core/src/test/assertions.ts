import assert from "node:assert/strict";

import { ConfigError } from "../index.js";

/** The ConfigError `action` throws; fails the test when it returns or throws anything else. */
export function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a ConfigError, but the config was accepted");
}

/** The sorted, de-duplicated pointers of an error's violations. */
export function pointersOf(error: ConfigError): string[] {
  return [...new Set(error.violations.map((violation) => violation.pointer))].sort();
}
