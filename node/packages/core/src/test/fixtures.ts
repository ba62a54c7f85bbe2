// Paths and documents shared by the tests; the repo's own config files are the fixtures.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The repository root: the nearest ancestor of this file that holds the config schema. */
export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

/** This package's directory (tests run from dist/test, sources sit in src/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export const CONFIG_PATH = path.join(REPO_ROOT, "config", "timeout.json");
export const SCHEMA_PATH = path.join(REPO_ROOT, "config", "timeout.schema.json");
export const PRE_INCIDENT_PATH = path.join(REPO_ROOT, "config", "examples", "pre-incident.json");

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "config", "timeout.schema.json"))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no config/timeout.schema.json above ${start}`);
    }
  }
}

export function readText(file: string): string {
  return readFileSync(file, "utf8");
}

/** A fresh, mutable copy of config/timeout.json. */
export function shippedDocument(): Record<string, Json> {
  return JSON.parse(readText(CONFIG_PATH)) as Record<string, Json>;
}

/** A value to put at a pointer; `undefined` deletes the member. */
export type Edit = readonly [pointer: string, value: Json | undefined];

/** The shipped config with each edit applied, as JSON text. */
export function shippedWith(...edits: readonly Edit[]): string {
  const document = shippedDocument();
  for (const [pointer, value] of edits) {
    setAt(document, pointer, value);
  }
  return JSON.stringify(document);
}

/** Sets (or, for `undefined`, deletes) the member at an RFC 6901 pointer of `document`. */
export function setAt(document: Record<string, Json>, pointer: string, value: Json | undefined): void {
  const tokens = pointer.split("/").slice(1).map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = tokens.pop();
  if (last === undefined) {
    throw new Error("the root cannot be replaced");
  }
  let parent: Record<string, Json> = document;
  for (const token of tokens) {
    const child = parent[token];
    if (typeof child !== "object" || child === null || Array.isArray(child)) {
      throw new Error(`${pointer}: ${token} is not an object`);
    }
    parent = child;
  }
  if (value === undefined) {
    delete parent[last];
  } else {
    parent[last] = value;
  }
}

/** Runs `body` in a fresh temporary directory that is removed afterwards. */
export function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), "checkout-core-test-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
