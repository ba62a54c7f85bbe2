import type { LintFinding } from "../generated/index.js";

/** One reason a config was refused: where (RFC 6901 pointer), what and which rule. */
export interface Violation {
  /** Normalised JSON Pointer of the offending field; `""` is the whole document. */
  readonly pointer: string;
  /** Names the field, the value found and what was expected. */
  readonly message: string;
  /** The schema keyword (`required`, `minimum`, …), `parse`, `read` or a lint rule id. */
  readonly rule: string;
}

/**
 * A config that must not be used: carries every violation found, never a partial config.
 *
 * `warnings` holds the lint warnings when the schema was satisfied and only lint errors refused
 * the document; it is empty when reading, parsing or the schema failed.
 */
export class ConfigError extends Error {
  readonly errorClass = "INVALID_CONFIG";
  readonly source: string;
  readonly violations: readonly Violation[];
  readonly warnings: readonly LintFinding[];

  constructor(source: string, violations: readonly Violation[], warnings: readonly LintFinding[] = []) {
    super(describe(source, violations));
    this.name = "ConfigError";
    this.source = source;
    this.violations = Object.freeze(violations.map((violation) => Object.freeze({ ...violation })));
    this.warnings = Object.freeze([...warnings]);
  }
}

function describe(source: string, violations: readonly Violation[]): string {
  const count = violations.length === 1 ? "1 violation" : `${violations.length} violations`;
  const lines = violations.map((violation) => `  - ${violation.message} [${violation.rule}]`);
  return [`INVALID_CONFIG ${source}: ${count}`, ...lines].join("\n");
}

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}
