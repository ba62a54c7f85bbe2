import { readFileSync } from "node:fs";

import { lintConfig, type LintFinding, type TimeoutConfig } from "../generated/index.js";
import { duplicateKeys } from "./duplicateKeys.js";
import { fingerprint } from "./fingerprint.js";
import { CONFIG_ENV, CONFIG_RELATIVE_PATH, resolveConfigPath } from "./resolvePath.js";
import { conformsToSchema, schemaViolations } from "./schemaValidation.js";
import { ConfigError, type Violation } from "./violation.js";

/** A config that passed every step: typed, deeply frozen settings and their provenance. */
export interface LoadedConfig {
  readonly settings: TimeoutConfig;
  /** Lowercase hex SHA-256 of the document's RFC 8785 canonical JSON, `$schema` included. */
  readonly fingerprint: string;
  /** The file it was read from, or the `source` given to {@link parseConfig}. */
  readonly path: string;
  /** Lint findings of severity `warning`; services log them at start. */
  readonly warnings: readonly LintFinding[];
}

/**
 * Reads, validates and lints the config (config/LOADING.md); all or nothing.
 *
 * @param path - explicit file; else `$CHECKOUT_CONFIG`; else `config/timeout.json` in the working
 *   directory or its nearest ancestor.
 * @throws ConfigError listing every violation.
 */
export function loadConfig(path?: string): LoadedConfig {
  const resolved = resolveConfigPath(path);
  if (resolved === undefined) {
    const cwd = process.cwd();
    throw new ConfigError(cwd, [
      {
        pointer: "",
        rule: "read",
        message: `no config file: no path given, ${CONFIG_ENV} unset and no ${CONFIG_RELATIVE_PATH} in ${cwd} or its ancestors`,
      },
    ]);
  }
  return parseConfig(readUtf8(resolved), resolved);
}

/**
 * Parses, validates and lints config text (config/LOADING.md steps 2–5).
 *
 * @param source - names the text in messages and becomes {@link LoadedConfig.path}.
 * @throws ConfigError listing every violation.
 */
export function parseConfig(text: string, source: string): LoadedConfig {
  const document = parseJson(text, source);
  if (!conformsToSchema(document)) {
    throw new ConfigError(source, schemaViolations(document));
  }
  const findings = lintConfig(document);
  const warnings = findings.filter((finding) => finding.severity === "warning");
  const errors: Violation[] = findings
    .filter((finding) => finding.severity === "error")
    .map(({ pointer, message, rule }) => ({ pointer, message, rule }));
  if (errors.length > 0) {
    throw new ConfigError(source, errors, warnings);
  }
  return Object.freeze({
    settings: toSettings(document),
    fingerprint: fingerprintOf(document, source),
    path: source,
    warnings: deepFreeze(warnings),
  });
}

function readUtf8(path: string): string {
  try {
    // fatal: a byte sequence that is not UTF-8 is a read error, not a replacement character.
    return new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    throw new ConfigError(path, [
      { pointer: "", rule: "read", message: `cannot read ${path} as UTF-8: ${reason(error)}` },
    ]);
  }
}

function parseJson(text: string, source: string): unknown {
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(source, [
      { pointer: "", rule: "parse", message: `the document is not valid JSON: ${withLineColumn(reason(error), text)}` },
    ]);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length > 0) {
    throw new ConfigError(
      source,
      duplicates.map((pointer) => ({
        pointer,
        rule: "duplicate-key",
        message:
          `key ${pointer} appears more than once in its object: a JSON parser keeps one of the values silently, ` +
          "and the fingerprint (RFC 8785) assumes unique keys; expected each key once",
      })),
    );
  }
  return document;
}

// V8 before Node 22 reports only "at position N"; the contract asks for line and column.
function withLineColumn(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined || /\bline \d+/.test(message)) {
    return message;
  }
  const before = text.slice(0, Number(position));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line} column ${column})`;
}

function fingerprintOf(document: unknown, source: string): string {
  try {
    return fingerprint(document);
  } catch (error) {
    throw new ConfigError(source, [
      { pointer: "", rule: "parse", message: `the document has no RFC 8785 canonical form: ${reason(error)}` },
    ]);
  }
}

// The settings are the schema's fields only: `$schema` is an editor hint no binding carries.
function toSettings(document: TimeoutConfig): TimeoutConfig {
  const copy: Record<string, unknown> = structuredClone(document) as unknown as Record<string, unknown>;
  delete copy["$schema"];
  return deepFreeze(copy as unknown as TimeoutConfig);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
