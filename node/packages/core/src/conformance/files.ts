import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { vectorTopics } from "./schema.js";

/** Names another directory of vectors (one holding the topic folders of vector.schema.json). */
export const VECTORS_DIR_ENV = "CONFORMANCE_VECTORS_DIR";

const REPO_VECTORS = path.join("tests", "contracts");

/**
 * `$CONFORMANCE_VECTORS_DIR`, else the repo's tests/contracts found by walking up from `cwd`;
 * `undefined` when neither exists.
 */
export function vectorsDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string | undefined {
  const fromEnv = env[VECTORS_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    return path.resolve(cwd, fromEnv);
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, REPO_VECTORS);
    if (existsSync(path.join(candidate, "vector.schema.json"))) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/** Every .json file of the schema's topic folders (config/ is not a resilience topic), sorted by topic and name. */
export function vectorFiles(dir: string): string[] {
  return vectorTopics().flatMap((topic) => {
    const folder = path.join(dir, topic);
    if (!existsSync(folder)) {
      return [];
    }
    return readdirSync(folder)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => path.join(folder, name));
  });
}

/** A vector file that cannot be read or has no id. */
export class VectorFileError extends Error {
  override readonly name = "VectorFileError";
}

/** The parsed vector of `file` and its id. */
export function readVector(file: string): { readonly id: string; readonly vector: unknown } {
  let vector: unknown;
  try {
    vector = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new VectorFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const id = typeof vector === "object" && vector !== null ? (vector as Record<string, unknown>)["id"] : undefined;
  if (typeof id !== "string" || id === "") {
    throw new VectorFileError(`${file}: a vector is a JSON object with a non-empty string "id"`);
  }
  return { id, vector };
}
