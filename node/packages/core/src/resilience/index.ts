// The resilience kernel (config/SEMANTICS.md): pure, no I/O, no timers, no global clock or RNG.
export { ERROR_CLASSES, OUTCOMES, RETRIED_BY, ROLES, isErrorClass, isRetried } from "./taxonomy.js";
export type { ErrorClass, ErrorClassInfo, Outcome, Role } from "./taxonomy.js";
export {
  CircuitOpenError,
  DeadlineExceededError,
  HalfOpenLimitError,
  ResilienceError,
  RetryBudgetExhaustedError,
} from "./errors.js";
export { backoffDelayMs } from "./backoff.js";
export { BREAKER_STATES, CircuitBreaker, Permit, type BreakerState, type Transition } from "./breaker.js";
export { RetryBudget } from "./budget.js";
export {
  DEADLINE_HEADER,
  attemptCapMs,
  attemptStarts,
  attemptTimeoutMs,
  deadlineFromHeader,
  deadlineHeaderMs,
  sleepAllowed,
} from "./deadline.js";
export { ResilientCall, defaultClassifier } from "./call.js";
export type {
  Attempt,
  AttemptContext,
  AttemptVerdict,
  CallResult,
  CallSettings,
  Classifier,
  ResilientCallOptions,
  Settled,
} from "./call.js";
