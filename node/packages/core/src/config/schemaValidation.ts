import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";

import { timeoutSchema, type TimeoutConfig } from "../generated/index.js";
import { escapePointerToken, type Violation } from "./violation.js";

const PREVIEW_CHARS = 80;

let compiled: ValidateFunction<TimeoutConfig> | undefined;

// Compiled on first use: ajv generates code per schema, a cost a caller that never loads a
// config should not pay at import time.
function validator(): ValidateFunction<TimeoutConfig> {
  compiled ??= new Ajv2020({ strict: true, allErrors: true, verbose: true }).compile<TimeoutConfig>(timeoutSchema);
  return compiled;
}

/** Narrows `document` to the settings type when the embedded schema accepts it. */
export function conformsToSchema(document: unknown): document is TimeoutConfig {
  return validator()(document);
}

/** Every schema violation of `document` at its normalised pointer (config/LOADING.md step 3). */
export function schemaViolations(document: unknown): Violation[] {
  const validate = validator();
  if (validate(document)) {
    return [];
  }
  return (validate.errors ?? []).map(toViolation);
}

function toViolation(error: ErrorObject): Violation {
  switch (error.keyword) {
    case "required": {
      const missing = String(error.params["missingProperty"]);
      const pointer = `${error.instancePath}/${escapePointerToken(missing)}`;
      return {
        pointer,
        rule: "required",
        message: `${pointer} is missing; ${where(error.instancePath)} requires the field "${missing}"`,
      };
    }
    case "additionalProperties": {
      const unknown = String(error.params["additionalProperty"]);
      const pointer = `${error.instancePath}/${escapePointerToken(unknown)}`;
      const value = (error.data as Record<string, unknown>)[unknown];
      return {
        pointer,
        rule: "additionalProperties",
        message: `${pointer} is not a known field (found ${preview(value)}); expected only ${knownFields(error)}`,
      };
    }
    default:
      return {
        pointer: error.instancePath,
        rule: error.keyword,
        message: `${where(error.instancePath)} ${error.message ?? "is invalid"}, found ${preview(error.data)}`,
      };
  }
}

function where(pointer: string): string {
  return pointer === "" ? "the document" : pointer;
}

function knownFields(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const names = Object.keys(properties ?? {});
  return names.length === 0 ? "no fields" : names.join(", ");
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= PREVIEW_CHARS ? text : `${text.slice(0, PREVIEW_CHARS - 1)}…`;
}
