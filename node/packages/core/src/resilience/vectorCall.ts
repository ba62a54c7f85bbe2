// The call topic of tests/contracts/VECTORS.md: calls one after another through the real ResilientCall,
// with a fake clock that only the scripted attempts and the backoff sleeps move, a scripted upstream
// and one queue of draws; the breaker and the budget are shared by the calls of a vector.
import { CircuitBreaker } from "./breaker.js";
import { RetryBudget } from "./budget.js";
import { ResilientCall, type AttemptVerdict } from "./call.js";
import type { ErrorClass } from "./taxonomy.js";
import {
  array,
  breakerSettings,
  BUDGET_FIELDS,
  compare,
  type Fields,
  integer,
  isScriptedResult,
  number,
  numbers,
  object,
  RETRY_FIELDS,
  roleOf,
  VectorFormatError,
} from "./vectorJson.js";

/** The upstream's script for one attempt, and what it answers (VECTORS.md, attempt simulation). */
interface ScriptedAnswer {
  readonly result: "success" | ErrorClass;
  readonly downstreamRetryable: boolean | null;
}

const SETTINGS_FIELDS = [
  "timeout_ms",
  "deadline_ms",
  "provider_expected_p99_ms",
  "min_deadline_ms",
  "answer_margin_ms",
  "retry",
  "circuit_breaker",
  "retry_budget",
] as const;

/** The mismatches of a call vector; empty when every call meets its expectation. */
export async function runCall(vector: Fields): Promise<string[]> {
  const settings = object(vector["settings"], "settings", SETTINGS_FIELDS);
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
      provider_expected_p99_ms: integer(settings["provider_expected_p99_ms"], "settings.provider_expected_p99_ms"),
      min_deadline_ms: integer(settings["min_deadline_ms"], "settings.min_deadline_ms"),
      answer_margin_ms: integer(settings["answer_margin_ms"], "settings.answer_margin_ms"),
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
    const timeouts: number[] = [];
    const headers: number[] = [];
    const result = await call.run(
      ({ attempt, timeoutMs, deadlineHeaderMs }) => {
        const step = script[attempt - 1];
        if (step === undefined) {
          mismatches.push(`${where}: attempt ${attempt} ran but the vector scripts only ${script.length}`);
          return Promise.reject(new Error("unscripted attempt"));
        }
        timeouts.push(timeoutMs);
        headers.push(deadlineHeaderMs);
        // An answer must arrive strictly before the timeout; otherwise the attempt runs out of time,
        // reported as an HTTP client would: TIMEOUT once the whole timeout has passed.
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
        attempt_timeouts_ms: timeouts,
        deadline_headers_ms: headers,
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
  if (!isScriptedResult(result)) {
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
