// Runs one conformance vector of tests/contracts/{backoff,breaker,budget,deadline,classification,call}/
// (format: tests/contracts/vector.schema.json, execution: tests/contracts/VECTORS.md) against this
// kernel. A vector is data: the runner only feeds it to the real kernel and compares.
import { backoffDelayMs } from "./backoff.js";
import { CircuitBreaker, type Permit, type Transition } from "./breaker.js";
import { RetryBudget } from "./budget.js";
import { attemptCapMs, attemptTimeoutMs, deadlineFromHeader, sleepAllowed } from "./deadline.js";
import { CircuitOpenError, ResilienceError } from "./errors.js";
import { ERROR_CLASSES, isRetried } from "./taxonomy.js";
import { runCall } from "./vectorCall.js";
import {
  array,
  breakerSettings,
  BUDGET_FIELDS,
  compare,
  errorClassOf,
  type Fields,
  integer,
  knownFields,
  number,
  numbers,
  object,
  outcome,
  RETRY_FIELDS,
  roleOf,
  string,
  VectorFormatError,
} from "./vectorJson.js";

export { VectorFormatError } from "./vectorJson.js";

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

// Every object of a vector is closed: a runner fails on a field it does not know rather than skip it.
const TOPIC_FIELDS: Readonly<Record<VectorTopic, readonly string[]>> = {
  backoff: ["settings", "cases"],
  breaker: ["settings", "steps"],
  budget: ["settings", "steps"],
  deadline: ["settings", "cases"],
  classification: ["cases"],
  call: ["settings", "role", "draws", "calls"],
};
const DEADLINE_CASE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  attempt_timeout: ["op", "role", "now_ms", "deadline_at_ms", "expect"],
  from_header: ["op", "arrival_ms", "header", "expect"],
  sleep_allowed: ["op", "role", "now_ms", "delay_ms", "deadline_at_ms", "expect"],
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
  const settings = numbers(vector["settings"], "settings", [
    "timeout_ms",
    "deadline_ms",
    "min_deadline_ms",
    "answer_margin_ms",
  ] as const);
  return array(vector["cases"], "cases").flatMap((item, index) => {
    const where = `cases[${index}]`;
    const testCase = object(item, where);
    object(testCase, where, knownFields(DEADLINE_CASE_FIELDS, testCase["op"], `${where}.op`, "deadline"));
    const field = (name: string): number => integer(testCase[name], `${where}.${name}`);
    // The cap of the case's role (default origin): timeout_ms, or deadline_ms for a relay.
    const cap = (): number => {
      const role = testCase["role"] === undefined ? "origin" : roleOf(testCase["role"], `${where}.role`);
      return attemptCapMs(role, settings.timeout_ms, settings.deadline_ms);
    };
    const margin = settings.answer_margin_ms;
    const floor = settings.min_deadline_ms;
    let actual: Record<string, unknown>;
    switch (testCase["op"]) {
      case "attempt_timeout": {
        const capMs = cap();
        actual = orError(() => ({
          timeout_ms: attemptTimeoutMs(field("now_ms"), field("deadline_at_ms"), capMs, margin, floor),
        }));
        break;
      }
      case "from_header": {
        const header = testCase["header"];
        if (header !== null && typeof header !== "string") {
          throw new VectorFormatError(`${where}.header must be a string or null`);
        }
        actual = orError(() => ({
          deadline_at_ms: deadlineFromHeader(
            field("arrival_ms"),
            header,
            settings.deadline_ms,
            settings.min_deadline_ms,
          ),
        }));
        break;
      }
      case "sleep_allowed":
        actual = {
          allowed: sleepAllowed(field("now_ms"), field("delay_ms"), field("deadline_at_ms"), cap(), margin, floor),
        };
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
