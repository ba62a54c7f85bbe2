// Runs one conformance vector of tests/contracts/{backoff,breaker,budget,deadline,classification,call}/
// (format: tests/contracts/vector.schema.json, execution: tests/contracts/VECTORS.md) against this
// kernel. A vector is data: the runner only feeds it to the real kernel and compares.
import { isDeepStrictEqual } from "node:util";

import type { CircuitBreakerSettings } from "../generated/index.js";
import { backoffDelayMs } from "./backoff.js";
import { CircuitBreaker, type Permit, type Transition } from "./breaker.js";
import { RetryBudget } from "./budget.js";
import { ResilientCall, type AttemptVerdict } from "./call.js";
import { attemptTimeoutMs, deadlineFromHeader, sleepAllowed } from "./deadline.js";
import { CircuitOpenError, ResilienceError } from "./errors.js";
import {
  ERROR_CLASSES,
  isErrorClass,
  isRetried,
  OUTCOMES,
  ROLES,
  type ErrorClass,
  type Outcome,
  type Role,
} from "./taxonomy.js";

/** The six topic folders, in the order SEMANTICS.md defines them. */
export const VECTOR_TOPICS = Object.freeze([
  "backoff",
  "breaker",
  "budget",
  "deadline",
  "classification",
  "call",
] as const);

export type VectorTopic = (typeof VECTOR_TOPICS)[number];

/** A vector whose shape this runner cannot execute. */
export class VectorFormatError extends Error {
  override readonly name = "VectorFormatError";
}

type Fields = Readonly<Record<string, unknown>>;

// Every object of a vector is closed: a runner fails on a field it does not know rather than skip it.
const TOPIC_FIELDS: Readonly<Record<VectorTopic, readonly string[]>> = {
  backoff: ["settings", "cases"],
  breaker: ["settings", "steps"],
  budget: ["settings", "steps"],
  deadline: ["settings", "cases"],
  classification: ["cases"],
  call: ["settings", "role", "draws", "calls"],
};
const RETRY_FIELDS = ["max_attempts", "base_delay_ms", "backoff_multiplier", "jitter_ms", "max_delay_ms"] as const;
const BUDGET_FIELDS = ["max_tokens", "token_ratio"] as const;
const DEADLINE_CASE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  attempt_timeout: ["op", "now_ms", "deadline_at_ms", "expect"],
  from_header: ["op", "arrival_ms", "header", "expect"],
  sleep_allowed: ["op", "now_ms", "delay_ms", "deadline_at_ms", "expect"],
};
const CLASSIFICATION_CASE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  describe: ["op", "error_class", "expect"],
  retried: ["op", "error_class", "role", "downstream_retryable", "expect"],
};

/** The mismatches between the kernel and the vector's expectations; empty when it passes. */
export async function runVector(vector: unknown): Promise<string[]> {
  try {
    const fields = object(vector, "vector");
    const topic = fields["topic"];
    if (typeof topic === "string" && Object.hasOwn(TOPIC_FIELDS, topic)) {
      object(vector, "vector", ["id", "description", "topic", ...TOPIC_FIELDS[topic as VectorTopic]]);
    }
    switch (topic) {
      case "backoff":
        return runBackoff(fields);
      case "breaker":
        return runBreaker(fields);
      case "budget":
        return runBudget(fields);
      case "deadline":
        return runDeadline(fields);
      case "classification":
        return runClassification(fields);
      case "call":
        return await runCall(fields);
      default:
        throw new VectorFormatError(`unknown topic ${JSON.stringify(topic)}`);
    }
  } catch (error) {
    if (error instanceof VectorFormatError) {
      return [`malformed vector: ${error.message}`];
    }
    // A kernel that throws on a vector fails that vector; the runner goes on with the next one.
    return [`the kernel threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`];
  }
}

function runBackoff(vector: Fields): string[] {
  const settings = numbers(vector["settings"], "settings", RETRY_FIELDS);
  return array(vector["cases"], "cases").flatMap((item, index) => {
    const where = `cases[${index}]`;
    const testCase = object(item, where, ["retry", "u", "expect"]);
    const delay = backoffDelayMs(
      integer(testCase["retry"], `${where}.retry`),
      settings,
      number(testCase["u"], `${where}.u`),
    );
    return compare(where, testCase["expect"], { delay_ms: delay });
  });
}

function runBreaker(vector: Fields): string[] {
  const settings = breakerSettings(vector["settings"], "settings");
  const events: Transition[] = [];
  const breaker = new CircuitBreaker(settings, (transition) => events.push(transition));
  const permits = new Map<string, Permit>();
  return array(vector["steps"], "steps").flatMap((item, index) => {
    const where = `steps[${index}]`;
    const step = object(item, where);
    const action = ["allow", "record", "call"].filter((key) => key in step);
    object(step, where, ["at_ms", ...action.slice(0, 1), "expect"]);
    const at = integer(step["at_ms"], `${where}.at_ms`);
    events.length = 0;
    let actual: Record<string, unknown>;
    if ("record" in step) {
      const record = object(step["record"], `${where}.record`, ["permit", "outcome"]);
      const label = string(record["permit"], `${where}.record.permit`);
      const permit = permits.get(label);
      if (permit === undefined) {
        throw new VectorFormatError(
          `${where} records permit ${JSON.stringify(label)} that no earlier step was granted`,
        );
      }
      actual = { applied: permit.record(outcome(record["outcome"], `${where}.record.outcome`), at) };
    } else if ("allow" in step) {
      const label = object(step["allow"], `${where}.allow`, ["as"])["as"];
      actual = admission(breaker, at, (permit) => {
        if (label !== undefined) {
          permits.set(string(label, `${where}.allow.as`), permit);
        }
      });
    } else if ("call" in step) {
      const callOutcome = outcome(step["call"], `${where}.call`);
      actual = admission(breaker, at, (permit) => ({ applied: permit.record(callOutcome, at) }));
    } else {
      throw new VectorFormatError(`${where} has none of allow, record and call`);
    }
    return compare(where, step["expect"], { ...actual, ...observe(breaker, events) });
  });
}

function admission(
  breaker: CircuitBreaker,
  at: number,
  onAdmitted: (permit: Permit) => Record<string, unknown> | void,
): Record<string, unknown> {
  try {
    const permit = breaker.allow(at);
    return { admitted: true, ...onAdmitted(permit) };
  } catch (error) {
    if (error instanceof CircuitOpenError) {
      return { admitted: false, error: error.errorClass, retry_after_ms: error.retryAfterMs };
    }
    if (error instanceof ResilienceError) {
      return { admitted: false, error: error.errorClass };
    }
    throw error;
  }
}

function observe(breaker: CircuitBreaker, events: readonly Transition[]): Record<string, unknown> {
  return {
    state: breaker.state,
    generation: breaker.generation,
    events: events.map((event) => ({
      from: event.fromState,
      to: event.toState,
      generation: event.generation,
      at_ms: event.atMs,
    })),
  };
}

function runBudget(vector: Fields): string[] {
  const budget = new RetryBudget(numbers(vector["settings"], "settings", BUDGET_FIELDS));
  return array(vector["steps"], "steps").flatMap((item, index) => {
    const where = `steps[${index}]`;
    const step = object(item, where, ["op", "expect"]);
    const op = step["op"];
    if (op !== "check") {
      budget.record(outcome(op, `${where}.op`));
    }
    return compare(where, step["expect"], { tokens_milli: budget.tokensMilli, allow_retry: budget.allowRetry() });
  });
}

function runDeadline(vector: Fields): string[] {
  const settings = numbers(vector["settings"], "settings", ["timeout_ms", "deadline_ms"] as const);
  return array(vector["cases"], "cases").flatMap((item, index) => {
    const where = `cases[${index}]`;
    const testCase = object(item, where);
    object(testCase, where, knownFields(DEADLINE_CASE_FIELDS, testCase["op"], `${where}.op`, "deadline"));
    const field = (name: string): number => integer(testCase[name], `${where}.${name}`);
    let actual: Record<string, unknown>;
    switch (testCase["op"]) {
      case "attempt_timeout":
        actual = orError(() => ({
          timeout_ms: attemptTimeoutMs(field("now_ms"), field("deadline_at_ms"), settings.timeout_ms),
        }));
        break;
      case "from_header": {
        const header = testCase["header"];
        if (header !== null && typeof header !== "string") {
          throw new VectorFormatError(`${where}.header must be a string or null`);
        }
        actual = orError(() => ({
          deadline_at_ms: deadlineFromHeader(field("arrival_ms"), header, settings.deadline_ms),
        }));
        break;
      }
      case "sleep_allowed":
        actual = { allowed: sleepAllowed(field("now_ms"), field("delay_ms"), field("deadline_at_ms")) };
        break;
      default:
        throw new VectorFormatError(`${where}.op: no deadline operation`);
    }
    return compare(where, testCase["expect"], actual);
  });
}

function orError(compute: () => Record<string, unknown>): Record<string, unknown> {
  try {
    return compute();
  } catch (error) {
    if (error instanceof ResilienceError) {
      return { error: error.errorClass };
    }
    throw error;
  }
}

function runClassification(vector: Fields): string[] {
  return array(vector["cases"], "cases").flatMap((item, index) => {
    const where = `cases[${index}]`;
    const testCase = object(item, where);
    object(testCase, where, knownFields(CLASSIFICATION_CASE_FIELDS, testCase["op"], `${where}.op`, "classification"));
    const errorClass = errorClassOf(testCase["error_class"], `${where}.error_class`);
    switch (testCase["op"]) {
      case "describe": {
        const info = ERROR_CLASSES[errorClass];
        return compare(where, testCase["expect"], {
          breaker: info.breaker,
          retryable: info.retryable,
          http_status: info.httpStatus,
        });
      }
      case "retried": {
        const role = roleOf(testCase["role"], `${where}.role`);
        const downstream = testCase["downstream_retryable"];
        if (downstream !== null && typeof downstream !== "boolean") {
          throw new VectorFormatError(`${where}.downstream_retryable must be a boolean or null`);
        }
        return compare(where, testCase["expect"], { retried: isRetried(errorClass, role, downstream) });
      }
      default:
        throw new VectorFormatError(`${where}.op: no classification operation`);
    }
  });
}

/** The upstream's script for one attempt, and what it answers (VECTORS.md, attempt simulation). */
interface ScriptedAnswer {
  readonly result: "success" | ErrorClass;
  readonly downstreamRetryable: boolean | null;
}

// Calls of one vector share the clock, the draws, the breaker and the budget; each call runs through
// the real ResilientCall with a fake clock, a sleep that advances it and a scripted upstream.
async function runCall(vector: Fields): Promise<string[]> {
  const settings = object(vector["settings"], "settings", [
    "timeout_ms",
    "deadline_ms",
    "retry",
    "circuit_breaker",
    "retry_budget",
  ]);
  const role = roleOf(vector["role"], "role");
  const draws = array(vector["draws"], "draws").map((draw, index) => number(draw, `draws[${index}]`));
  const mismatches: string[] = [];
  let clock = 0;
  let drawsUsed = 0;
  const breaker = new CircuitBreaker(breakerSettings(settings["circuit_breaker"], "settings.circuit_breaker"));
  const budget = new RetryBudget(numbers(settings["retry_budget"], "settings.retry_budget", BUDGET_FIELDS));
  const call = new ResilientCall<ScriptedAnswer>({
    settings: {
      timeout_ms: integer(settings["timeout_ms"], "settings.timeout_ms"),
      deadline_ms: integer(settings["deadline_ms"], "settings.deadline_ms"),
      retry: numbers(settings["retry"], "settings.retry", RETRY_FIELDS),
    },
    role,
    breaker,
    budget,
    classifier: (settled) => (settled.ok ? verdictOf(settled.value) : INTERNAL),
    now: () => clock,
    random: () => {
      const draw = draws[drawsUsed];
      drawsUsed += 1;
      if (draw === undefined) {
        mismatches.push(`draw ${drawsUsed} was taken but the vector lists only ${draws.length}`);
        return 0;
      }
      return draw;
    },
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  });

  for (const [index, item] of array(vector["calls"], "calls").entries()) {
    const where = `calls[${index}]`;
    const scripted = object(item, where, ["start_ms", "deadline_at_ms", "attempts", "expect"]);
    const script = array(scripted["attempts"], `${where}.attempts`).map((attempt, k) =>
      scriptedAttempt(attempt, `${where}.attempts[${k}]`),
    );
    clock = integer(scripted["start_ms"], `${where}.start_ms`);
    const deadlineAt = scripted["deadline_at_ms"];
    const result = await call.run(
      ({ attempt, timeoutMs }) => {
        const step = script[attempt - 1];
        if (step === undefined) {
          mismatches.push(`${where}: attempt ${attempt} ran but the vector scripts only ${script.length}`);
          return Promise.reject(new Error("unscripted attempt"));
        }
        // An answer must arrive strictly before the timeout; otherwise the timeout fires first.
        if (step.durationMs >= timeoutMs) {
          clock += timeoutMs;
          return Promise.resolve(TIMED_OUT);
        }
        clock += step.durationMs;
        return Promise.resolve(step.answer);
      },
      deadlineAt === undefined ? undefined : integer(deadlineAt, `${where}.deadline_at_ms`),
    );
    if (result.attempts < script.length) {
      mismatches.push(`${where}: the vector scripts ${script.length} attempts but only ${result.attempts} ran`);
    }
    mismatches.push(
      ...compare(where, scripted["expect"], {
        result: result.result,
        attempts: result.attempts,
        sleeps_ms: result.sleepsMs,
        end_ms: clock,
        breaker_state: breaker.state,
        breaker_generation: breaker.generation,
        tokens_milli: budget.tokensMilli,
        draws_used: drawsUsed,
      }),
    );
  }
  return mismatches;
}

const INTERNAL: AttemptVerdict = { kind: "error", errorClass: "INTERNAL", downstreamRetryable: null };
const TIMED_OUT: ScriptedAnswer = { result: "TIMEOUT", downstreamRetryable: null };

function scriptedAttempt(
  value: unknown,
  where: string,
): { readonly durationMs: number; readonly answer: ScriptedAnswer } {
  const step = object(value, where, ["duration_ms", "result", "retryable"]);
  const durationMs = integer(step["duration_ms"], `${where}.duration_ms`);
  const result = step["result"];
  if (result !== "success" && !isErrorClass(result)) {
    throw new VectorFormatError(`${where}.result ${JSON.stringify(result)} is neither success nor an error class`);
  }
  const retryable = step["retryable"];
  if (retryable !== undefined && typeof retryable !== "boolean") {
    throw new VectorFormatError(`${where}.retryable must be a boolean`);
  }
  return { durationMs, answer: { result, downstreamRetryable: retryable ?? null } };
}

function verdictOf(answer: ScriptedAnswer): AttemptVerdict {
  if (answer.result === "success") {
    return { kind: "success" };
  }
  if (answer.result === "DECLINED") {
    return { kind: "declined" };
  }
  return { kind: "error", errorClass: answer.result, downstreamRetryable: answer.downstreamRetryable };
}

// Compares every member of the expectation with the actual value of the same name, and reports
// actual members the expectation leaves out (the schema makes each expectation complete).
function compare(where: string, expect: unknown, actual: Record<string, unknown>): string[] {
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

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/** `value` as an object; with `known`, one that has no other member. */
function object(value: unknown, where: string, known?: readonly string[]): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new VectorFormatError(`${where} must be an object`);
  }
  const unknown = known === undefined ? [] : Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new VectorFormatError(`${where} has unknown member(s) ${unknown.join(", ")}`);
  }
  return value as Fields;
}

function array(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new VectorFormatError(`${where} must be an array`);
  }
  return value;
}

function number(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new VectorFormatError(`${where} must be a number`);
  }
  return value;
}

function integer(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new VectorFormatError(`${where} must be an integer`);
  }
  return value as number;
}

function string(value: unknown, where: string): string {
  if (typeof value !== "string") {
    throw new VectorFormatError(`${where} must be a string`);
  }
  return value;
}

function outcome(value: unknown, where: string): Outcome {
  if (!OUTCOMES.includes(value as Outcome)) {
    throw new VectorFormatError(`${where} must be one of ${OUTCOMES.join(", ")}`);
  }
  return value as Outcome;
}

function knownFields(
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

function roleOf(value: unknown, where: string): Role {
  if (!ROLES.includes(value as Role)) {
    throw new VectorFormatError(`${where} must be one of ${ROLES.join(", ")}`);
  }
  return value as Role;
}

function errorClassOf(value: unknown, where: string): ErrorClass {
  if (!isErrorClass(value)) {
    throw new VectorFormatError(`${where} ${JSON.stringify(value)} is not an error class`);
  }
  return value;
}

function numbers<const K extends string>(
  value: unknown,
  where: string,
  keys: readonly K[],
  others: readonly string[] = [],
): Record<K, number> {
  const fields = object(value, where, [...keys, ...others]);
  return Object.fromEntries(keys.map((key) => [key, number(fields[key], `${where}.${key}`)])) as Record<K, number>;
}

function breakerSettings(value: unknown, where: string): CircuitBreakerSettings {
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
