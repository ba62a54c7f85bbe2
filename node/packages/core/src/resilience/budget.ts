import type { RetryBudgetSettings } from "../generated/index.js";
import type { Outcome } from "./taxonomy.js";

/**
 * The retry budget of SEMANTICS.md §4: a token bucket in integer milli-tokens, after gRPC retry
 * throttling. One per upstream, shared by every call to it, like the breaker.
 */
export class RetryBudget {
  readonly settings: RetryBudgetSettings;
  readonly maxMilli: number;
  /** Milli-tokens a success returns: `token_ratio × 1000` rounded half away from zero. */
  readonly ratioMilli: number;
  #tokensMilli: number;

  constructor(settings: RetryBudgetSettings) {
    this.settings = settings;
    this.maxMilli = settings.max_tokens * 1000;
    // Math.round rounds halves up, which is away from zero for a ratio > 0; rounding (not ceil or
    // trunc) absorbs the double error of e.g. 0.007 × 1000 = 7.000000000000001.
    this.ratioMilli = Math.round(settings.token_ratio * 1000);
    this.#tokensMilli = this.maxMilli;
  }

  get tokensMilli(): number {
    return this.#tokensMilli;
  }

  /** A failure takes one token, a success returns `ratioMilli`, an ignored outcome leaves the bucket alone. */
  record(outcome: Outcome): void {
    if (outcome === "failure") {
      this.#tokensMilli = Math.max(0, this.#tokensMilli - 1000);
    } else if (outcome === "success") {
      this.#tokensMilli = Math.min(this.maxMilli, this.#tokensMilli + this.ratioMilli);
    }
  }

  /** Retries are allowed while strictly more than half the bucket is left. */
  allowRetry(): boolean {
    return this.#tokensMilli * 2 > this.maxMilli;
  }
}
