import { ResilienceError } from "@checkout/core";

import { ServiceError } from "../http/serviceError.js";

// node-postgres reports these without a SQLSTATE: the pool's wait for a free connection ran out,
// or the socket went away under a client.
const POOL_WAIT_TIMEOUT = "timeout exceeded when trying to connect";
const CONNECTION_MESSAGES = [
  "Connection terminated",
  "connection timeout",
  "Client has encountered a connection error",
  "Client was closed and is not queryable",
  "Cannot use a pool after calling end on the pool",
];
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections: the server is going
// away, starting up or full — the connection, not the statement, failed.
const CONNECTION_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * The class of the shared taxonomy (SEMANTICS.md §6) for anything the database or the pool threw.
 *
 * A constraint violation other than a unique one (class 23: not-null, check, foreign key) and a
 * data exception (class 22: e.g. 22021, a U+0000 that PostgreSQL text cannot hold) are
 * INVALID_REQUEST: the service validates every field before it writes, so the only way there is a
 * value the schema allows and the table does not — answering 400 tells the client not to repeat it,
 * where a 5xx would invite a retry that fails the same way.
 */
export function classifyDbError(error: unknown): ServiceError {
  if (error instanceof ServiceError) {
    return error;
  }
  if (error instanceof ResilienceError) {
    return new ServiceError(error.errorClass, error.message, { retryable: error.retryable, cause: error });
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (message === POOL_WAIT_TIMEOUT) {
    return new ServiceError("POOL_ACQUIRE_TIMEOUT", "no database connection became free in time", { cause: error });
  }
  if (code !== undefined) {
    if (code === "23505") {
      return new ServiceError("ALREADY_EXISTS", `a unique constraint refused the row (${constraintOf(error)})`, {
        cause: error,
      });
    }
    if (code.startsWith("23")) {
      return new ServiceError(
        "INVALID_REQUEST",
        `the database refused the row (SQLSTATE ${code}, ${constraintOf(error)})`,
        {
          cause: error,
        },
      );
    }
    if (code.startsWith("22")) {
      // Data exceptions (22021 a NUL PostgreSQL text cannot hold, 22001 too long, 22P02 bad syntax …):
      // the value itself is wrong, so repeating the request fails the same way.
      return new ServiceError("INVALID_REQUEST", `the database refused a value (SQLSTATE ${code})`, {
        cause: error,
      });
    }
    if (code === "57014") {
      return new ServiceError("DB_STATEMENT_TIMEOUT", "a database statement was cancelled by its timeout", {
        cause: error,
      });
    }
    if (code === "40001" || code === "40P01") {
      return new ServiceError("DB_SERIALIZATION", `the transaction lost a serialization race (SQLSTATE ${code})`, {
        cause: error,
      });
    }
    if (code.startsWith("08") || CONNECTION_SQLSTATES.has(code) || SOCKET_CODES.has(code)) {
      return new ServiceError("DB_CONNECTION", `the database connection failed (${code})`, { cause: error });
    }
  }
  if (CONNECTION_MESSAGES.some((fragment) => message.includes(fragment))) {
    return new ServiceError("DB_CONNECTION", `the database connection failed: ${message}`, { cause: error });
  }
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node's happy-eyeballs connect reports every address it tried; they failed alike.
    return classifyDbError(error.errors[0]);
  }
  return new ServiceError("INTERNAL", `unexpected database error: ${message}`, { cause: error });
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

function constraintOf(error: unknown): string {
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === "string" ? `constraint ${constraint}` : "no constraint named";
}

/** Whether a database error says the unique constraint `name` refused the row. */
export function isUniqueViolation(error: ServiceError, name: string): boolean {
  return (
    error.errorClass === "ALREADY_EXISTS" && (error.cause as { constraint?: unknown } | undefined)?.constraint === name
  );
}
