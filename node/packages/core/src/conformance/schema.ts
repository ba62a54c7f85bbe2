// tests/contracts/vector.schema.json, the one source of the vector format: a runner validates each
// vector against it and reads the topic list from it (`properties.topic.enum`), so a new topic is
// added in one place and a runner without code for it fails that topic's vectors by name.
import { readFileSync } from "node:fs";

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

export const SCHEMA_URL = new URL("../../../../../tests/contracts/vector.schema.json", import.meta.url);

interface VectorSchema {
  readonly properties: { readonly topic: { readonly enum: readonly string[] } };
}

let schema: VectorSchema | undefined;
let compiled: ValidateFunction | undefined;

function vectorSchema(): VectorSchema {
  schema ??= JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as VectorSchema;
  return schema;
}

/** The topics, in the schema's order: the folder names of a vector directory. */
export function vectorTopics(): readonly string[] {
  return vectorSchema().properties.topic.enum;
}

/** What vector.schema.json says is wrong with `vector`, each at its JSON Pointer. */
export function schemaErrors(vector: unknown): string[] {
  compiled ??= new Ajv2020({ strict: false, allErrors: true }).compile(vectorSchema() as object);
  if (compiled(vector)) {
    return [];
  }
  return (compiled.errors ?? [])
    .filter((e) => e.keyword !== "if")
    .map((e) => {
      const extra = e.keyword === "additionalProperties" ? ` (${String(e.params["additionalProperty"])})` : "";
      return `malformed vector: ${e.instancePath || "/"}: ${e.message ?? e.keyword}${extra}`;
    });
}
