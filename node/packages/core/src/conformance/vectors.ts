// Runs one vector of tests/contracts/VECTORS.md through the real kernel. The vector is validated
// against tests/contracts/vector.schema.json first; one that passes is trusted for its shape, so
// this module only turns it into kernel calls and compares what came back exactly.
import type { CircuitBreakerSettings, RetryBudgetSettings, RetrySettings } from "../generated/index.js";
import {
  attemptCapMs,
  attemptTimeoutMs,
  backoffDelayMs,
  CircuitBreaker,
  CircuitOpenError,
  deadlineFromHeader,
  ERROR_CLASSES,
  isRetried,
  ResilienceError,
  RetryBudget,
  sleepAllowed,
  type ErrorClass,
  type Outcome,
  type Permit,
  type Role,
  type Transition,
} from "../resilience/index.js";
import { runCall } from "./call.js";
import { compare, type Json } from "./compare.js";
import { schemaErrors } from "./schema.js";
import { runBulkhead, runUpstream } from "./upstream.js";

/** The mismatches between the kernel and the vector; empty when it passes. */
export async function runVector(vector: unknown): Promise<string[]> {
  const errors = schemaErrors(vector);
  if (errors.length > 0) {
    return errors;
  }
  const fields = vector as Json;
  const topic = fields["topic"] as string;
  const runner = RUNNERS[topic];
  if (runner === undefined) {
    // vector.schema.json knows the topic and this runner does not: the vector fails, by name.
    return [`no runner for topic ${JSON.stringify(topic)} of vector.schema.json`];
  }
  try {
    return await runner(fields);
  } catch (error) {
    // A kernel that throws on a vector fails that vector; the runner goes on with the next one.
    return [`the kernel threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`];
  }
}

interface Case extends Json {
  readonly expect: Json;
}

function cases<T extends Case>(vector: Json, key: string): readonly T[] {
  return vector[key] as readonly T[];
}

function backoff(vector: Json): string[] {
  const settings = vector["settings"] as RetrySettings;
  return cases<Case & { retry: number; u: number }>(vector, "cases").flatMap((c, i) =>
    compare(`cases[${i}]`, c.expect, { delay_ms: backoffDelayMs(c.retry, settings, c.u) }),
  );
}

function budget(vector: Json): string[] {
  const kernel = new RetryBudget(vector["settings"] as RetryBudgetSettings);
  return cases<Case & { op: Outcome | "check" }>(vector, "steps").flatMap((step, i) => {
    if (step.op !== "check") {
      kernel.record(step.op);
    }
    return compare(`steps[${i}]`, step.expect, { tokens_milli: kernel.tokensMilli, allow_retry: kernel.allowRetry() });
  });
}

function orError(compute: () => Json): Json {
  try {
    return compute();
  } catch (error) {
    if (error instanceof ResilienceError) {
      return { error: error.errorClass };
    }
    throw error;
  }
}

type DeadlineCase = Case & {
  op: "attempt_timeout" | "from_header" | "sleep_allowed";
  role?: Role;
  now_ms: number;
  deadline_at_ms: number;
  delay_ms: number;
  arrival_ms: number;
  header: string | null;
};

function deadline(vector: Json): string[] {
  const s = vector["settings"] as Record<"timeout_ms" | "deadline_ms" | "min_deadline_ms" | "answer_margin_ms", number>;
  const margin = s.answer_margin_ms;
  const floor = s.min_deadline_ms;
  return cases<DeadlineCase>(vector, "cases").flatMap((c, i) => {
    const cap = attemptCapMs(c.role ?? "origin", s.timeout_ms, s.deadline_ms);
    const actual: Json =
      c.op === "attempt_timeout"
        ? orError(() => ({ timeout_ms: attemptTimeoutMs(c.now_ms, c.deadline_at_ms, cap, margin, floor) }))
        : c.op === "from_header"
          ? orError(() => ({ deadline_at_ms: deadlineFromHeader(c.arrival_ms, c.header, s.deadline_ms, floor) }))
          : { allowed: sleepAllowed(c.now_ms, c.delay_ms, c.deadline_at_ms, cap, margin, floor) };
    return compare(`cases[${i}]`, c.expect, actual);
  });
}

type ClassificationCase = Case & {
  op: "describe" | "retried";
  error_class: ErrorClass;
  role: Role;
  downstream_retryable: boolean | null;
};

function classification(vector: Json): string[] {
  return cases<ClassificationCase>(vector, "cases").flatMap((c, i) => {
    const info = ERROR_CLASSES[c.error_class];
    const actual: Json =
      c.op === "describe"
        ? { breaker: info.breaker, retryable: info.retryable, http_status: info.httpStatus }
        : { retried: isRetried(c.error_class, c.role, c.downstream_retryable) };
    return compare(`cases[${i}]`, c.expect, actual);
  });
}

type BreakerStep = Case & {
  at_ms: number;
  allow?: { as?: string };
  record?: { permit: string; outcome: Outcome };
  call?: Outcome;
};

function breaker(vector: Json): string[] {
  const events: Transition[] = [];
  const kernel = new CircuitBreaker(vector["settings"] as CircuitBreakerSettings, (event) => events.push(event));
  const permits = new Map<string, Permit>();
  const admit = (at: number, admitted: (permit: Permit) => Json): Json => {
    try {
      return { admitted: true, ...admitted(kernel.allow(at)) };
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        return { admitted: false, error: error.errorClass, retry_after_ms: error.retryAfterMs };
      }
      if (error instanceof ResilienceError) {
        return { admitted: false, error: error.errorClass };
      }
      throw error;
    }
  };
  return cases<BreakerStep>(vector, "steps").flatMap((step, i) => {
    const at = step.at_ms;
    events.length = 0;
    let actual: Json;
    if (step.record !== undefined) {
      const permit = permits.get(step.record.permit);
      if (permit === undefined) {
        return [`steps[${i}]: records permit ${JSON.stringify(step.record.permit)} that no earlier step was granted`];
      }
      actual = { applied: permit.record(step.record.outcome, at) };
    } else if (step.allow !== undefined) {
      const label = step.allow.as;
      actual = admit(at, (permit) => {
        if (label !== undefined) {
          permits.set(label, permit);
        }
        return {};
      });
    } else {
      const outcome = step.call as Outcome;
      actual = admit(at, (permit) => ({ applied: permit.record(outcome, at) }));
    }
    return compare(`steps[${i}]`, step.expect, {
      ...actual,
      state: kernel.state,
      generation: kernel.generation,
      events: events.map((e) => ({ from: e.fromState, to: e.toState, generation: e.generation, at_ms: e.atMs })),
    });
  });
}

// One runner per topic of vector.schema.json; the topic list itself is the schema's.
const RUNNERS: Readonly<Record<string, (vector: Json) => string[] | Promise<string[]>>> = {
  backoff,
  breaker,
  budget,
  deadline,
  classification,
  call: runCall,
  bulkhead: runBulkhead,
  upstream: runUpstream,
};
