// The call topic of tests/contracts/VECTORS.md: calls one after another through the real
// ResilientCall, with a fake clock that only the scripted attempts and the backoff sleeps move, a
// scripted upstream and one queue of draws; the breaker and the budget are shared by the calls.
// The vector already passed vector.schema.json (vectors.ts).
import type { PaymentSettings } from "../generated/index.js";
import {
  CircuitBreaker,
  ResilientCall,
  RetryBudget,
  type AttemptVerdict,
  type ErrorClass,
  type Role,
} from "../resilience/index.js";
import { compare, type Json } from "./compare.js";

interface Answer {
  readonly result: "success" | ErrorClass;
  readonly retryable?: boolean;
}

interface ScriptedCall {
  readonly start_ms: number;
  readonly deadline_at_ms?: number;
  readonly attempts: readonly (Answer & { readonly duration_ms: number })[];
  readonly expect: Json;
}

const TIMED_OUT: Answer = { result: "TIMEOUT" };

function verdictOf(answer: Answer): AttemptVerdict {
  if (answer.result === "success") {
    return { kind: "success" };
  }
  if (answer.result === "DECLINED") {
    return { kind: "declined" };
  }
  return { kind: "error", errorClass: answer.result, downstreamRetryable: answer.retryable ?? null };
}

/** The mismatches of a call vector; empty when every call meets its expectation. */
export async function runCall(vector: Json): Promise<string[]> {
  const settings = vector["settings"] as PaymentSettings;
  const draws = vector["draws"] as readonly number[];
  const mismatches: string[] = [];
  let clock = 0;
  let drawsUsed = 0;
  const breaker = new CircuitBreaker(settings.circuit_breaker);
  const budget = new RetryBudget(settings.retry_budget);
  const call = new ResilientCall<Answer>({
    settings,
    role: vector["role"] as Role,
    breaker,
    budget,
    classifier: (settled) =>
      settled.ok ? verdictOf(settled.value) : { kind: "error", errorClass: "INTERNAL", downstreamRetryable: null },
    now: () => clock,
    random: () => {
      drawsUsed += 1;
      const draw = draws[drawsUsed - 1];
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

  for (const [index, scripted] of (vector["calls"] as readonly ScriptedCall[]).entries()) {
    const where = `calls[${index}]`;
    const script = scripted.attempts;
    clock = scripted.start_ms;
    const timeouts: number[] = [];
    const headers: number[] = [];
    const result = await call.run(({ attempt, timeoutMs, deadlineHeaderMs }) => {
      const step = script[attempt - 1];
      if (step === undefined) {
        mismatches.push(`${where}: attempt ${attempt} ran but the vector scripts only ${script.length}`);
        return Promise.reject(new Error("unscripted attempt"));
      }
      timeouts.push(timeoutMs);
      headers.push(deadlineHeaderMs);
      // An answer must arrive strictly before the timeout; otherwise the attempt runs out of time,
      // reported as an HTTP client would: TIMEOUT once the whole timeout has passed.
      const answered = step.duration_ms < timeoutMs;
      clock += answered ? step.duration_ms : timeoutMs;
      return Promise.resolve(answered ? step : TIMED_OUT);
    }, scripted.deadline_at_ms);
    if (result.attempts < script.length) {
      mismatches.push(`${where}: the vector scripts ${script.length} attempts but only ${result.attempts} ran`);
    }
    mismatches.push(
      ...compare(where, scripted.expect, {
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
