import { API_LIMITS, escapePointerToken } from "@checkout/core";

import { componentValidators, type ErrorObject } from "./openapi.js";
import { invalidRequest, type ErrorDetail } from "./serviceError.js";

/** A valid `POST /orders` body. */
export interface CreateOrderRequest {
  readonly customer_id: string;
  readonly amount_minor: number;
  readonly currency: string;
  readonly payment_token: string;
}

const validators = componentValidators();
const createOrder = validators("CreateOrderRequest");
// Values at these pointers are never echoed back or logged (the whole body may hold the token).
const SECRET_POINTERS = new Set(["", "/payment_token"]);
const IDEMPOTENCY_KEY = new RegExp(`^[\\x21-\\x7E]{1,${API_LIMITS.idempotencyKeyMaxLength}}$`);
const IDEMPOTENCY_KEY_RULE =
  `1 to ${API_LIMITS.idempotencyKeyMaxLength} visible ASCII characters (0x21-0x7E), sent once, that the client ` +
  "chooses for this order and repeats on every retry of it (e.g. a UUID)";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The body against the OpenAPI `CreateOrderRequest` schema, whose limits are @checkout/core's
 * API_LIMITS (config/api-limits.json, the same at every hop; a test holds openapi.json to them).
 */
export function parseCreateOrder(body: unknown): CreateOrderRequest {
  if (!createOrder(body)) {
    throw invalidRequest((createOrder.errors ?? []).map(toDetail));
  }
  return body as CreateOrderRequest;
}

/**
 * The required Idempotency-Key header (issue 11 a): without one, a retry after a lost answer or a
 * 503 would be a second order and a second charge, so a request without it is refused.
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string {
  if (header === undefined) {
    throw invalidRequest([{ pointer: "/headers/Idempotency-Key", message: `is required: ${IDEMPOTENCY_KEY_RULE}` }]);
  }
  if (typeof header !== "string" || !IDEMPOTENCY_KEY.test(header)) {
    const shown = typeof header === "string" ? `, but was ${preview(header)}` : ", but was sent more than once";
    throw invalidRequest([{ pointer: "/headers/Idempotency-Key", message: `must be ${IDEMPOTENCY_KEY_RULE}${shown}` }]);
  }
  return header;
}

/** An order id from the path: a lowercase UUID. */
export function parseOrderId(id: string): string {
  if (!UUID.test(id)) {
    throw invalidRequest([{ pointer: "/path/id", message: `must be a lowercase UUID, but was ${preview(id)}` }]);
  }
  return id;
}

// The normalised pointers of config/LOADING.md: a missing or an unknown field is named itself.
function toDetail(error: ErrorObject): ErrorDetail {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") {
    const missing = String(params["missingProperty"]);
    return { pointer: `${error.instancePath}/${escapePointerToken(missing)}`, message: "is required" };
  }
  if (error.keyword === "additionalProperties") {
    const extra = String(params["additionalProperty"]);
    return { pointer: `${error.instancePath}/${escapePointerToken(extra)}`, message: "is not a field of this request" };
  }
  const found = SECRET_POINTERS.has(error.instancePath) ? "" : `, but was ${preview(error.data)}`;
  if (error.keyword === "enum" && error.instancePath === "/currency") {
    const count = Object.keys(API_LIMITS.currencies).length;
    return {
      pointer: error.instancePath,
      message: `must be one of the ${count} ISO 4217 codes of config/api-limits.json (e.g. EUR)${found}`,
    };
  }
  return { pointer: error.instancePath, message: `${error.message ?? "is invalid"}${found}` };
}

function preview(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
