import { ResilienceError } from "@checkout/core";
import type { FastifyError } from "fastify";

import { ServiceError } from "./serviceError.js";

/** Requests larger than this answer 413. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Any error a request ended with, as the service answers it: typed errors keep their class;
 * fastify's own 4xx (body too large, not JSON, wrong media type) become INVALID_REQUEST with their
 * status; anything else is INTERNAL — a bug, never the client's fault.
 */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) {
    return error;
  }
  if (error instanceof ResilienceError) {
    const details =
      error.errorClass === "INVALID_REQUEST" ? [{ pointer: "/headers/X-Deadline-Ms", message: detailOf(error) }] : [];
    return new ServiceError(error.errorClass, detailOf(error), { details, cause: error });
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (
    typeof fastifyError.code === "string" &&
    fastifyError.code.startsWith("FST_") &&
    status !== undefined &&
    status >= 400 &&
    status < 500
  ) {
    const message =
      status === 413
        ? `the body is larger than ${BODY_LIMIT_BYTES} bytes`
        : (fastifyError.message ?? "the request is invalid");
    return new ServiceError("INVALID_REQUEST", message, { status, details: [{ pointer: "", message }], cause: error });
  }
  return new ServiceError("INTERNAL", "an unexpected error; it was logged", { cause: error });
}

function detailOf(error: ResilienceError): string {
  const prefix = `${error.errorClass}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
