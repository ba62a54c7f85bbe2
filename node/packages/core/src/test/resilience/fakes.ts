// A fake clock, scripted draws and the incident settings, for tests where time is the subject.
import type { CircuitBreakerSettings, RetryBudgetSettings, RetrySettings } from "../../index.js";
import {
  CircuitBreaker,
  ResilientCall,
  RetryBudget,
  type CallSettings,
  type Classifier,
  type Role,
  type Transition,
} from "../../index.js";

/** config/timeout.json's payment retry, breaker and budget (the incident fix). */
export const RETRY: RetrySettings = {
  max_attempts: 3,
  base_delay_ms: 2000,
  backoff_multiplier: 2,
  jitter_ms: 500,
  max_delay_ms: 8000,
};
export const BREAKER: CircuitBreakerSettings = {
  enabled: true,
  failure_threshold: 5,
  recovery_timeout_ms: 60000,
  half_open_max_calls: 3,
};
export const BUDGET: RetryBudgetSettings = { max_tokens: 10, token_ratio: 0.1 };
export const CALL: CallSettings = {
  timeout_ms: 20000,
  deadline_ms: 70000,
  provider_expected_p99_ms: 19000,
  min_deadline_ms: 1000,
  answer_margin_ms: 500,
  retry: RETRY,
};

/** A clock that only moves when told to: by an attempt's duration or a sleep. */
export class FakeClock {
  ms: number;
  readonly slept: number[] = [];

  constructor(start = 0) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  readonly sleep = (ms: number): Promise<void> => {
    this.slept.push(ms);
    this.ms += ms;
    return Promise.resolve();
  };
}

/** An error an attempt throws; the test classifier reads its class and body's retryable. */
export class UpstreamError extends Error {
  constructor(
    readonly errorClass: "TIMEOUT" | "CONNECTION" | "UPSTREAM_UNAVAILABLE" | "OVERLOADED" | "DECLINED",
    readonly bodyRetryable: boolean | null = null,
  ) {
    super(errorClass);
  }
}

export const classifyUpstream: Classifier<string> = (settled) => {
  if (settled.ok) {
    return { kind: "success" };
  }
  const error = settled.error;
  if (!(error instanceof UpstreamError)) {
    return { kind: "error", errorClass: "INTERNAL", downstreamRetryable: null };
  }
  if (error.errorClass === "DECLINED") {
    return { kind: "declined" };
  }
  return { kind: "error", errorClass: error.errorClass, downstreamRetryable: error.bodyRetryable };
};

/** A call wired to a fake clock, a queue of draws and fresh (or given) breaker and budget. */
export function fakeCall(
  options: {
    clock?: FakeClock;
    draws?: number[];
    role?: Role;
    settings?: CallSettings;
    breaker?: CircuitBreaker;
    budget?: RetryBudget;
    transitions?: Transition[];
  } = {},
): { call: ResilientCall<string>; clock: FakeClock; breaker: CircuitBreaker; budget: RetryBudget; draws: number[] } {
  const clock = options.clock ?? new FakeClock();
  const draws = options.draws ?? [];
  const transitions = options.transitions;
  const breaker =
    options.breaker ?? new CircuitBreaker(BREAKER, transitions === undefined ? undefined : (t) => transitions.push(t));
  const budget = options.budget ?? new RetryBudget(BUDGET);
  const call = new ResilientCall<string>({
    settings: options.settings ?? CALL,
    role: options.role ?? "origin",
    breaker,
    budget,
    classifier: classifyUpstream,
    now: clock.now,
    random: () => {
      const draw = draws.shift();
      if (draw === undefined) {
        throw new Error("no draw left");
      }
      return draw;
    },
    sleep: clock.sleep,
  });
  return { call, clock, breaker, budget, draws };
}
