// The call topic of tests/contracts/VECTORS.md: calls one after another through the real
// ResilientCall, with a fake clock that only the scripted attempts and the backoff sleeps move, a
// scripted upstream and one queue of draws; the breaker, the budget and the bulkhead are shared by
// the calls. The upstream topic (upstream.ts) plays its call steps with the same pieces.
// The vector already passed vector.schema.json (vectors.ts).
import type {
  BulkheadSettings,
  CircuitBreakerSettings,
  RetryBudgetSettings,
} from "../generated/index.js";
import {
  Bulkhead,
  CircuitBreaker,
  ResilientCall,
  RetryBudget,
  SUCCESS,
  verdictOf,
  type AttemptVerdict,
  type BulkheadSlot,
  type CallSettings,
  type Classifier,
  type ErrorClass,
  type Role,
} from "../resilience/index.js";
import { compare, type Json } from "./compare.js";

/** What a scripted upstream answers an attempt with. */
export interface Answer {
  readonly result: "success" | ErrorClass;
  readonly retryable?: boolean;
}

/** One call step of a call or upstream vector. */
export interface ScriptedCall {
  readonly start_ms: number;
  readonly deadline_at_ms?: number;
  readonly occupied?: number;
  readonly attempts: readonly (Answer & { readonly duration_ms: number })[];
  readonly expect: Json;
}

// An attempt that runs out of time, reported as an HTTP client would: TIMEOUT once its whole
// timeout has passed (the kernel's evidence rule reads the elapsed time).
const RAN_OUT: Answer = { result: "TIMEOUT" };
// An attempt the vector does not script: already a mismatch, it ends the call rather than the run.
const UNSCRIPTED: Answer = { result: "INTERNAL" };

/** The scripted upstream's classifier: every attempt returns its answer. */
export const SCRIPTED: Classifier<Answer> = Object.freeze({
  classifyResult: (answer: Answer): AttemptVerdict =>
    answer.result === "success" ? SUCCESS : verdictOf(answer.result, answer.retryable ?? null),
  classifyError: (): AttemptVerdict | null => null,
});

/** The fake clock and the draw queue a vector's calls share, and the mismatches they found. */
export class FakeWorld {
  clock = 0;
  drawsUsed = 0;
  readonly mismatches: string[] = [];
  readonly #draws: readonly number[];

  constructor(draws: readonly number[]) {
    this.#draws = draws;
  }

  readonly now = (): number => this.clock;

  readonly random = (): number => {
    this.drawsUsed += 1;
    const draw = this.#draws[this.drawsUsed - 1];
    if (draw === undefined) {
      this.mismatches.push(`draw ${this.drawsUsed} was taken but the vector lists only ${this.#draws.length}`);
      return 0;
    }
    return draw;
  };

  readonly sleep = (ms: number): Promise<void> => {
    this.clock += ms;
    return Promise.resolve();
  };
}

/**
 * Plays one call step on `call` (VECTORS.md, attempt simulation), holding `occupied` slots of its
 * bulkhead for the call's duration, and compares the step's `expect` with what happened.
 */
export async function playCall(
  world: FakeWorld,
  call: ResilientCall<Answer>,
  scripted: ScriptedCall,
  where: string,
): Promise<void> {
  const script = scripted.attempts;
  world.clock = scripted.start_ms;
  const held: BulkheadSlot[] = [];
  for (let i = 0; i < (scripted.occupied ?? 0); i++) {
    const slot = call.bulkhead.tryAcquire();
    if (slot === null) {
      world.mismatches.push(`${where}: occupied ${scripted.occupied} but the bulkhead had only ${i} slots free`);
      break;
    }
    held.push(slot);
  }
  const timeouts: number[] = [];
  const headers: number[] = [];
  const result = await call.call(({ number, timeoutMs, deadlineHeaderMs }) => {
    const step = script[number - 1];
    if (step === undefined) {
      world.mismatches.push(`${where}: attempt ${number} ran but the vector scripts only ${script.length}`);
      return Promise.resolve(UNSCRIPTED);
    }
    timeouts.push(timeoutMs);
    headers.push(deadlineHeaderMs);
    // An answer must arrive strictly before the timeout; otherwise the attempt runs out of time.
    const answered = step.duration_ms < timeoutMs;
    world.clock += answered ? step.duration_ms : timeoutMs;
    return Promise.resolve(answered ? step : RAN_OUT);
  }, scripted.deadline_at_ms);
  for (const slot of held) {
    slot.release();
  }
  if (result.attempts < script.length) {
    world.mismatches.push(`${where}: the vector scripts ${script.length} attempts but only ${result.attempts} ran`);
  }
  world.mismatches.push(
    ...compare(where, scripted.expect, {
      result: result.outcome,
      attempts: result.attempts,
      attempt_timeouts_ms: timeouts,
      deadline_headers_ms: headers,
      sleeps_ms: result.sleepsMs,
      end_ms: world.clock,
      breaker_state: call.breaker.state,
      breaker_generation: call.breaker.generation,
      tokens_milli: call.budget.tokensMilli,
      draws_used: world.drawsUsed,
    }),
  );
}

type CallVectorSettings = CallSettings & {
  readonly circuit_breaker: CircuitBreakerSettings;
  readonly retry_budget: RetryBudgetSettings;
  readonly bulkhead: BulkheadSettings;
};

/** The mismatches of a call vector; empty when every call meets its expectation. */
export async function runCall(vector: Json): Promise<string[]> {
  const settings = vector["settings"] as CallVectorSettings;
  const world = new FakeWorld(vector["draws"] as readonly number[]);
  const call = new ResilientCall<Answer>({
    settings,
    role: vector["role"] as Role,
    breaker: new CircuitBreaker(settings.circuit_breaker),
    budget: new RetryBudget(settings.retry_budget),
    bulkhead: new Bulkhead(settings.bulkhead),
    classifier: SCRIPTED,
    clock: world.now,
    random: world.random,
    sleep: world.sleep,
  });
  for (const [index, scripted] of (vector["calls"] as readonly ScriptedCall[]).entries()) {
    await playCall(world, call, scripted, `calls[${index}]`);
  }
  return world.mismatches;
}
