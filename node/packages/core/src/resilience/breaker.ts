import type { CircuitBreakerSettings } from "../generated/index.js";
import { CircuitOpenError, HalfOpenLimitError } from "./errors.js";
import type { Outcome } from "./taxonomy.js";

/** The breaker's states, by their wire/label names. */
export type BreakerState = "closed" | "open" | "half_open";

export const BREAKER_STATES: readonly BreakerState[] = Object.freeze(["closed", "open", "half_open"]);

/** The event every state change emits: the state left, the state entered, the generation after it. */
export interface Transition {
  readonly fromState: BreakerState;
  readonly toState: BreakerState;
  readonly generation: number;
  readonly atMs: number;
}

// Per-state data and nothing else (SEMANTICS.md §3): opened_at exists only while open, the trial
// counts only while half-open. Never mutated: a change replaces the object.
type StateData =
  | { readonly state: "closed"; readonly consecutiveFailures: number }
  | { readonly state: "open"; readonly openedAt: number }
  | { readonly state: "half_open"; readonly admitted: number; readonly successes: number };

const CLOSED_CLEAN: StateData = Object.freeze({ state: "closed", consecutiveFailures: 0 });

/** The right to make one call, granted by `allow`; records its result once. */
export class Permit {
  /** The breaker's generation when the permit was granted; a result from another one is stale. */
  readonly generation: number;
  #apply: ((outcome: Outcome, now: number) => boolean) | undefined;

  constructor(generation: number, apply: (outcome: Outcome, now: number) => boolean) {
    this.generation = generation;
    this.#apply = apply;
  }

  /** Records the call's outcome; returns whether it was applied (`false` when stale, repeated or disabled). */
  record(outcome: Outcome, now: number): boolean {
    const apply = this.#apply;
    if (apply === undefined) {
      return false;
    }
    this.#apply = undefined;
    return apply(outcome, now);
  }
}

/**
 * The circuit breaker of SEMANTICS.md §3. Time is a parameter: state changes only when `allow` or
 * `record` is called, never on a timer. Every method runs to completion without awaiting, so no
 * state is torn between concurrent calls.
 */
export class CircuitBreaker {
  readonly settings: CircuitBreakerSettings;
  readonly #onTransition: ((transition: Transition) => void) | undefined;
  #data: StateData = CLOSED_CLEAN;
  #generation = 0;

  constructor(settings: CircuitBreakerSettings, onTransition?: (transition: Transition) => void) {
    this.settings = settings;
    this.#onTransition = onTransition;
  }

  get state(): BreakerState {
    return this.#data.state;
  }

  /** Starts at 0; every transition increments it. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * A permit for one call at `now`, or throws `CircuitOpenError` (with `retryAfterMs`) while open
   * and `HalfOpenLimitError` when every half-open trial slot is taken. An open breaker whose
   * recovery timeout has passed turns half-open here.
   */
  allow(now: number): Permit {
    const generation = this.#generation;
    if (!this.settings.enabled) {
      return new Permit(generation, disabledRecord);
    }
    let data = this.#data;
    if (data.state === "open") {
      const elapsed = now - data.openedAt;
      if (elapsed < this.settings.recovery_timeout_ms) {
        throw new CircuitOpenError(this.settings.recovery_timeout_ms - elapsed);
      }
      this.#transition("half_open", now);
      data = this.#data;
    }
    if (data.state === "half_open") {
      if (data.admitted >= this.settings.half_open_max_calls) {
        throw new HalfOpenLimitError(this.settings.half_open_max_calls);
      }
      this.#data = { state: "half_open", admitted: data.admitted + 1, successes: data.successes };
    }
    const granted = this.#generation;
    return new Permit(granted, (outcome, at) => this.#record(granted, outcome, at));
  }

  #record(generation: number, outcome: Outcome, now: number): boolean {
    if (generation !== this.#generation) {
      return false;
    }
    const data = this.#data;
    if (data.state === "closed") {
      if (outcome === "success") {
        if (data.consecutiveFailures !== 0) {
          this.#data = CLOSED_CLEAN;
        }
      } else if (outcome === "failure") {
        const consecutiveFailures = data.consecutiveFailures + 1;
        if (consecutiveFailures >= this.settings.failure_threshold) {
          this.#transition("open", now);
        } else {
          this.#data = { state: "closed", consecutiveFailures };
        }
      }
    } else if (data.state === "half_open") {
      if (outcome === "success") {
        const successes = data.successes + 1;
        if (successes >= this.settings.half_open_max_calls) {
          this.#transition("closed", now);
        } else {
          this.#data = { state: "half_open", admitted: data.admitted, successes };
        }
      } else if (outcome === "failure") {
        this.#transition("open", now);
      } else {
        // The trial proved nothing: its slot goes back, or a breaker whose trials are all
        // declined would never close.
        this.#data = { state: "half_open", admitted: data.admitted - 1, successes: data.successes };
      }
    }
    // open: no permit of the current generation exists, so nothing reaches here.
    return true;
  }

  /** The one door for every state change: fresh data, the next generation, the event. */
  #transition(to: BreakerState, now: number): void {
    const from = this.#data.state;
    this.#data =
      to === "open"
        ? { state: "open", openedAt: now }
        : to === "half_open"
          ? { state: "half_open", admitted: 0, successes: 0 }
          : CLOSED_CLEAN;
    this.#generation += 1;
    this.#onTransition?.({ fromState: from, toState: to, generation: this.#generation, atMs: now });
  }
}

// A disabled breaker admits everything and records nothing.
function disabledRecord(): boolean {
  return false;
}
