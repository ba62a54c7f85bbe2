import { readFileSync } from "node:fs";

import { parseConfig } from "./loadConfig.js";
import { ConfigError } from "./violation.js";

/** One case of tests/contracts/config/ (format: its README.md), reduced to what the loader needs. */
export interface ConfigCase {
  readonly id: string;
  /** `document_text` as is, or `document` re-serialised by JSON.stringify. */
  readonly text: string;
}

/** The one JSON line the validator CLI prints per case (config/LOADING.md). */
export interface Verdict {
  readonly id: string;
  readonly valid: boolean;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly fingerprint: string | null;
}

/** A case file that cannot be run; the CLI reports it and exits 2. */
export class CaseFileError extends Error {
  override readonly name = "CaseFileError";
}

export function readCase(file: string): ConfigCase {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CaseFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return toCase(parsed, file);
}

export function toCase(parsed: unknown, file: string): ConfigCase {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CaseFileError(`${file}: a case is a JSON object, found ${JSON.stringify(parsed)}`);
  }
  const fields = parsed as Record<string, unknown>;
  const id = fields["id"];
  if (typeof id !== "string" || id === "") {
    throw new CaseFileError(`${file}: "id" must be a non-empty string, found ${JSON.stringify(id)}`);
  }
  const hasDocument = "document" in fields;
  const documentText = fields["document_text"];
  if (hasDocument === (documentText !== undefined)) {
    throw new CaseFileError(`${file}: case ${id} needs exactly one of "document" and "document_text"`);
  }
  if (documentText !== undefined && typeof documentText !== "string") {
    throw new CaseFileError(`${file}: case ${id} "document_text" must be a string`);
  }
  return { id, text: documentText ?? JSON.stringify(fields["document"]) };
}

export function verdict(configCase: ConfigCase): Verdict {
  try {
    const loaded = parseConfig(configCase.text, configCase.id);
    const warnings = pointerSet(loaded.warnings.map((finding) => finding.pointer));
    return { id: configCase.id, valid: true, errors: [], warnings, fingerprint: loaded.fingerprint };
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    return {
      id: configCase.id,
      valid: false,
      errors: pointerSet(error.violations.map((violation) => violation.pointer)),
      warnings: pointerSet(error.warnings.map((finding) => finding.pointer)),
      fingerprint: null,
    };
  }
}

function pointerSet(pointers: readonly string[]): string[] {
  return [...new Set(pointers)].sort();
}
