// Exact comparison of what the kernel did with a vector's `expect`: every member both ways.
import { isDeepStrictEqual } from "node:util";

export type Json = Readonly<Record<string, unknown>>;

/** One mismatch per member that differs, is missing, or is there when the vector does not expect it. */
export function compare(where: string, expected: unknown, actual: Json): string[] {
  const want = expected as Json;
  return [...new Set([...Object.keys(want), ...Object.keys(actual)])]
    .filter((key) => !isDeepStrictEqual(want[key], actual[key]))
    .map((key) => `${where}: ${key} expected ${show(want[key])}, got ${show(actual[key])}`);
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}
