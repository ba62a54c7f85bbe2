// An upstream of SEMANTICS.md §11: one policy, breaker, retry budget and bulkhead per operation, all
// built from the config's `payment` section, and a reload that keeps what did not change.
import type {
  BulkheadSettings,
  CircuitBreakerSettings,
  PaymentSettings,
  RetryBudgetSettings,
} from "../generated/index.js";
import type { CallSettings, Classifier } from "./attempt.js";
import { CircuitBreaker, type Transition } from "./breaker.js";
import { RetryBudget } from "./budget.js";
import { Bulkhead } from "./bulkhead.js";
import { ResilientCall } from "./call.js";
import type { Role } from "./taxonomy.js";

/** An upstream's operations: `charge` (`POST /payments`) and `lookup` (`GET /payments/{key}`). */
export type Operation = "charge" | "lookup";

export const OPERATIONS: readonly Operation[] = Object.freeze(["charge", "lookup"]);

/** What one operation's call, breaker, budget and bulkhead are built from. */
export interface OperationPolicy {
  readonly settings: CallSettings;
  readonly circuitBreaker: CircuitBreakerSettings;
  readonly retryBudget: RetryBudgetSettings;
  readonly bulkhead: BulkheadSettings;
}

/**
 * The policy of `operation` in `payment`: the charge's is `payment`'s own fields, the lookup's is
 * `payment.lookup`'s; `min_deadline_ms` and `answer_margin_ms` belong to the hop and are shared.
 */
export function operationPolicy(payment: PaymentSettings, operation: Operation): OperationPolicy {
  const own = operation === "charge" ? payment : payment.lookup;
  return {
    settings: Object.freeze({
      timeout_ms: own.timeout_ms,
      deadline_ms: own.deadline_ms,
      provider_expected_p99_ms: own.provider_expected_p99_ms,
      min_deadline_ms: payment.min_deadline_ms,
      answer_margin_ms: payment.answer_margin_ms,
      retry: own.retry,
    }),
    circuitBreaker: own.circuit_breaker,
    retryBudget: own.retry_budget,
    bulkhead: own.bulkhead,
  };
}

/** An upstream's classifiers, one per operation (their values may differ in type). */
export interface UpstreamClassifiers<C, L> {
  readonly charge: Classifier<C>;
  readonly lookup: Classifier<L>;
}

export interface UpstreamOptions<C, L> {
  readonly payment: PaymentSettings;
  /** The call site's role (§7), the same for both operations. */
  readonly role: Role;
  readonly classifiers: UpstreamClassifiers<C, L>;
  /** Monotonic clock, integer ms. */
  readonly clock: () => number;
  /** One draw in [0, 1) per computed backoff delay, shared by both operations. */
  readonly random: () => number;
  /** A backoff sleep; told which operation sleeps, for a retry count per operation (`(ms) => …` will do). */
  readonly sleep: (ms: number, operation: Operation) => Promise<void>;
  /** Every transition of either operation's breaker, with the operation it belongs to. */
  readonly onTransition?: (operation: Operation, transition: Transition) => void;
}

/**
 * What a service holds per upstream it calls: per operation the current `ResilientCall`. A lookup
 * storm opens only the lookup breaker and spends only the lookup budget; a charge never waits for, or
 * is refused because of, lookups. `Upstream<T>` types both operations alike; `Upstream<C, L>` lets
 * the charge and the lookup return different answers.
 */
export class Upstream<C, L = C> {
  readonly #options: UpstreamOptions<C, L>;
  #payment: PaymentSettings;
  #charge: ResilientCall<C>;
  #lookup: ResilientCall<L>;

  constructor(options: UpstreamOptions<C, L>) {
    this.#options = options;
    this.#payment = options.payment;
    this.#charge = this.#build("charge", options.payment, options.classifiers.charge, undefined);
    this.#lookup = this.#build("lookup", options.payment, options.classifiers.lookup, undefined);
  }

  /** The settings the current calls were built from. */
  get payment(): PaymentSettings {
    return this.#payment;
  }

  get role(): Role {
    return this.#options.role;
  }

  /** The charge's current call; a call started on it keeps it to its end, reload or not. */
  get charge(): ResilientCall<C> {
    return this.#charge;
  }

  /** The lookup's current call. */
  get lookup(): ResilientCall<L> {
    return this.#lookup;
  }

  operation(name: "charge"): ResilientCall<C>;
  operation(name: "lookup"): ResilientCall<L>;
  operation(name: Operation): ResilientCall<C> | ResilientCall<L>;
  operation(name: Operation): ResilientCall<C> | ResilientCall<L> {
    return name === "charge" ? this.#charge : this.#lookup;
  }

  /**
   * A reload of a valid config (§11), per operation: a breaker (budget) whose settings are unchanged
   * is kept, state and generation (tokens) included, so an unrelated edit neither closes an open
   * breaker nor refills an empty bucket; a changed one is replaced by a fresh one. The bulkhead is
   * resized in place, so attempts in flight keep their slots. The new calls replace the old ones in
   * one synchronous step: a call in progress finishes with the policy it started with.
   */
  reconfigure(payment: PaymentSettings): void {
    const { classifiers } = this.#options;
    const charge = this.#build("charge", payment, classifiers.charge, this.#charge);
    const lookup = this.#build("lookup", payment, classifiers.lookup, this.#lookup);
    this.#payment = payment;
    this.#charge = charge;
    this.#lookup = lookup;
  }

  #build<V>(
    operation: Operation,
    payment: PaymentSettings,
    classifier: Classifier<V>,
    previous: ResilientCall<V> | undefined,
  ): ResilientCall<V> {
    const { role, clock, random, sleep, onTransition } = this.#options;
    const policy = operationPolicy(payment, operation);
    const breaker =
      previous !== undefined && sameFields(previous.breaker.settings, policy.circuitBreaker)
        ? previous.breaker
        : new CircuitBreaker(policy.circuitBreaker, (transition) => onTransition?.(operation, transition));
    const budget =
      previous !== undefined && sameFields(previous.budget.settings, policy.retryBudget)
        ? previous.budget
        : new RetryBudget(policy.retryBudget);
    const bulkhead = previous?.bulkhead ?? new Bulkhead(policy.bulkhead);
    bulkhead.resize(policy.bulkhead);
    return new ResilientCall<V>({
      settings: policy.settings,
      role,
      breaker,
      budget,
      bulkhead,
      classifier,
      clock,
      random,
      sleep: (ms) => sleep(ms, operation),
    });
  }
}

// The breaker's and the budget's settings are flat records of numbers and booleans.
function sameFields(a: object, b: object): boolean {
  const left = a as Readonly<Record<string, unknown>>;
  const right = b as Readonly<Record<string, unknown>>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}
