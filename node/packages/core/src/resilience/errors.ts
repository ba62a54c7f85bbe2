import { ERROR_CLASSES, type ErrorClass } from "./taxonomy.js";

/** An error that carries its class of the shared taxonomy (SEMANTICS.md §6). */
export class ResilienceError extends Error {
  override readonly name: string = "ResilienceError";
  readonly errorClass: ErrorClass;
  /** Whether the receiver of this error may retry it; defaults to the class's `retryable`. */
  readonly retryable: boolean;

  constructor(errorClass: ErrorClass, message: string, retryable: boolean = ERROR_CLASSES[errorClass].retryable) {
    super(`${errorClass}: ${message}`);
    this.errorClass = errorClass;
    this.retryable = retryable;
  }

  /** The HTTP status this error answers with, `null` for a class that never reaches HTTP. */
  get httpStatus(): number | null {
    return ERROR_CLASSES[this.errorClass].httpStatus;
  }
}

/** The breaker is open: the upstream was not called. */
export class CircuitOpenError extends ResilienceError {
  override readonly name = "CircuitOpenError";
  /** Milliseconds until the breaker lets half-open trials through. */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super("CIRCUIT_OPEN", `the circuit breaker is open; trial calls are let through in ${retryAfterMs} ms`);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The breaker is half-open and every trial slot is taken: the upstream was not called. */
export class HalfOpenLimitError extends ResilienceError {
  override readonly name = "HalfOpenLimitError";

  constructor(halfOpenMaxCalls: number) {
    super("HALF_OPEN_LIMIT", `all ${halfOpenMaxCalls} half-open trial slots of the circuit breaker are taken`);
  }
}

/** The deadline left no time for (another) attempt, or the header said there was none. */
export class DeadlineExceededError extends ResilienceError {
  override readonly name = "DeadlineExceededError";

  constructor(message: string) {
    super("DEADLINE_EXCEEDED", message);
  }
}

/** The retry budget refused a retry. */
export class RetryBudgetExhaustedError extends ResilienceError {
  override readonly name = "RetryBudgetExhaustedError";

  constructor(tokensMilli: number, maxMilli: number) {
    super(
      "RETRY_BUDGET_EXHAUSTED",
      `the retry budget holds ${tokensMilli} of ${maxMilli} milli-tokens; retries need more than half`,
    );
  }
}
