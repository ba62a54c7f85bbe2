// Strict reading and exact comparison of vector JSON for the vector runners (tests/contracts/VECTORS.md):
// a runner fails on a field it does not know rather than skip it, and compares every expected field.
import { isDeepStrictEqual } from "node:util";

import type { CircuitBreakerSettings } from "../generated/index.js";
import { isErrorClass, OUTCOMES, ROLES, type ErrorClass, type Outcome, type Role } from "./taxonomy.js";

/** A vector whose shape this runner cannot execute. */
export class VectorFormatError extends Error {
  override readonly name = "VectorFormatError";
}

export type Fields = Readonly<Record<string, unknown>>;

export const RETRY_FIELDS = [
  "max_attempts",
  "base_delay_ms",
  "backoff_multiplier",
  "jitter_ms",
  "max_delay_ms",
] as const;
export const BUDGET_FIELDS = ["max_tokens", "token_ratio"] as const;

// Compares every member of the expectation with the actual value of the same name, and reports
// actual members the expectation leaves out (the schema makes each expectation complete).
export function compare(where: string, expect: unknown, actual: Record<string, unknown>): string[] {
  const expected = object(expect, `${where}.expect`);
  const mismatches: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[key];
    const got = actual[key];
    if (!isDeepStrictEqual(want, got)) {
      mismatches.push(`${where}: ${key} expected ${show(want)}, got ${show(got)}`);
    }
  }
  return mismatches;
}

export function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** `value` as an object; with `known`, one that has no other member. */
export function object(value: unknown, where: string, known?: readonly string[]): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new VectorFormatError(`${where} must be an object`);
  }
  const unknown = known === undefined ? [] : Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new VectorFormatError(`${where} has unknown member(s) ${unknown.join(", ")}`);
  }
  return value as Fields;
}

export function array(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new VectorFormatError(`${where} must be an array`);
  }
  return value;
}

export function number(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VectorFormatError(`${where} must be a number`);
  }
  return value;
}

export function integer(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new VectorFormatError(`${where} must be an integer`);
  }
  return value as number;
}

export function string(value: unknown, where: string): string {
  if (typeof value !== "string") {
    throw new VectorFormatError(`${where} must be a string`);
  }
  return value;
}

export function outcome(value: unknown, where: string): Outcome {
  if (!OUTCOMES.includes(value as Outcome)) {
    throw new VectorFormatError(`${where} must be one of ${OUTCOMES.join(", ")}`);
  }
  return value as Outcome;
}

export function knownFields(
  table: Readonly<Record<string, readonly string[]>>,
  op: unknown,
  where: string,
  topic: string,
): readonly string[] {
  const known = typeof op === "string" && Object.hasOwn(table, op) ? table[op] : undefined;
  if (known === undefined) {
    throw new VectorFormatError(`${where} ${JSON.stringify(op)} is not a ${topic} operation`);
  }
  return known;
}

export function roleOf(value: unknown, where: string): Role {
  if (!ROLES.includes(value as Role)) {
    throw new VectorFormatError(`${where} must be one of ${ROLES.join(", ")}`);
  }
  return value as Role;
}

export function errorClassOf(value: unknown, where: string): ErrorClass {
  if (!isErrorClass(value)) {
    throw new VectorFormatError(`${where} ${JSON.stringify(value)} is not an error class`);
  }
  return value;
}

export function numbers<const K extends string>(
  value: unknown,
  where: string,
  keys: readonly K[],
  others: readonly string[] = [],
): Record<K, number> {
  const fields = object(value, where, [...keys, ...others]);
  return Object.fromEntries(keys.map((key) => [key, number(fields[key], `${where}.${key}`)])) as Record<K, number>;
}

export function breakerSettings(value: unknown, where: string): CircuitBreakerSettings {
  const fields = object(value, where);
  const enabled = fields["enabled"];
  if (typeof enabled !== "boolean") {
    throw new VectorFormatError(`${where}.enabled must be a boolean`);
  }
  return {
    enabled,
    ...numbers(fields, where, ["failure_threshold", "recovery_timeout_ms", "half_open_max_calls"] as const, [
      "enabled",
    ]),
  };
}

/** A scripted attempt's result: `success` or an error class. */
export function isScriptedResult(value: unknown): value is "success" | ErrorClass {
  return value === "success" || isErrorClass(value);
}
