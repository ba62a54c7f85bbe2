// The error taxonomy of config/SEMANTICS.md §6 and the roles of §7 are generated from
// config/taxonomy.json (tools/codegen); this file adds the retry-at-one-layer rule of §7.
import { RETRIED_BY, type ErrorClass, type Role } from "../generated/taxonomy.js";

export { ERROR_CLASSES, OUTCOMES, RETRIED_BY, ROLES, isErrorClass } from "../generated/taxonomy.js";
export type { ErrorClass, ErrorClassInfo, Outcome, Role } from "../generated/taxonomy.js";

/**
 * Whether a call site of this role retries an attempt that ended with `errorClass` (§7).
 *
 * `downstreamRetryable` is the `retryable` of the error answer's body, `null` when there was none:
 * `false` vetoes any retry, `true` never widens the role's classes.
 */
export function isRetried(errorClass: ErrorClass, role: Role, downstreamRetryable: boolean | null): boolean {
  return downstreamRetryable !== false && RETRIED_BY[role].has(errorClass);
}
