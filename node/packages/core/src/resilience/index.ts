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
export {
  SUCCESS,
  TIMED_OUT,
  classifyAnswer,
  defaultClassifier,
  verdictOf,
  type Attempt,
  type AttemptContext,
  type AttemptVerdict,
  type CallResult,
  type CallSettings,
  type Classifier,
} from "./attempt.js";
export { Bulkhead, BulkheadSlot } from "./bulkhead.js";
export { ResilientCall, type ResilientCallOptions } from "./call.js";
export {
  OPERATIONS,
  Upstream,
  operationPolicy,
  type Operation,
  type OperationPolicy,
  type UpstreamClassifiers,
  type UpstreamOptions,
} from "./upstream.js";
