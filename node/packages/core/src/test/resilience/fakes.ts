// A fake clock, scripted draws and the incident settings, for tests where time is the subject.
import type { BulkheadSettings, CircuitBreakerSettings, RetryBudgetSettings, RetrySettings } from "../../index.js";
import {
  Bulkhead,
  CircuitBreaker,
  ResilientCall,
  RetryBudget,
  SUCCESS,
  verdictOf,
  type CallSettings,
  type Classifier,
  type Role,
  type Transition,
} from "../../index.js";

/** config/timeout.json's payment retry, breaker, budget and bulkhead (the incident fix). */
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
export const BULKHEAD: BulkheadSettings = { max_concurrent: 200 };
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

  /** Called at the start of every sleep: what other calls do meanwhile. */
  onSleep: (() => void) | undefined;

  readonly sleep = (ms: number): Promise<void> => {
    this.onSleep?.();
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

/** Reads an `UpstreamError`'s class and body; anything else an attempt throws is a bug, rethrown. */
export const classifyUpstream: Classifier<string> = {
  classifyResult: () => SUCCESS,
  classifyError: (error) => (error instanceof UpstreamError ? verdictOf(error.errorClass, error.bodyRetryable) : null),
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
    bulkhead?: Bulkhead;
    transitions?: Transition[];
  } = {},
): {
  call: ResilientCall<string>;
  clock: FakeClock;
  breaker: CircuitBreaker;
  budget: RetryBudget;
  bulkhead: Bulkhead;
  draws: number[];
} {
  const clock = options.clock ?? new FakeClock();
  const draws = options.draws ?? [];
  const transitions = options.transitions;
  const breaker =
    options.breaker ?? new CircuitBreaker(BREAKER, transitions === undefined ? undefined : (t) => transitions.push(t));
  const budget = options.budget ?? new RetryBudget(BUDGET);
  const bulkhead = options.bulkhead ?? new Bulkhead(BULKHEAD);
  const call = new ResilientCall<string>({
    settings: options.settings ?? CALL,
    role: options.role ?? "origin",
    breaker,
    budget,
    bulkhead,
    classifier: classifyUpstream,
    clock: clock.now,
    random: () => {
      const draw = draws.shift();
      if (draw === undefined) {
        throw new Error("no draw left");
      }
      return draw;
    },
    sleep: clock.sleep,
  });
  return { call, clock, breaker, budget, bulkhead, draws };
}
