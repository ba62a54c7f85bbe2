import { escapePointerToken } from "@checkout/core";

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
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
// Values at these pointers are never echoed back or logged (the whole body may hold the token).
const SECRET_POINTERS = new Set(["", "/payment_token"]);
const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The body against the OpenAPI `CreateOrderRequest` schema, then the currency against ISO 4217. */
export function parseCreateOrder(body: unknown): CreateOrderRequest {
  if (!createOrder(body)) {
    throw invalidRequest((createOrder.errors ?? []).map(toDetail));
  }
  const request = body as CreateOrderRequest;
  if (!KNOWN_CURRENCIES.has(request.currency)) {
    throw invalidRequest([
      {
        pointer: "/currency",
        message: `must be an ISO 4217 currency code, but was ${JSON.stringify(request.currency)}`,
      },
    ]);
  }
  return request;
}

/** The optional Idempotency-Key header: 1–255 printable ASCII characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) {
    return undefined;
  }
  if (typeof header !== "string" || !IDEMPOTENCY_KEY.test(header)) {
    throw invalidRequest([
      { pointer: "/headers/idempotency-key", message: "must be 1 to 255 printable ASCII characters, sent once" },
    ]);
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
  return { pointer: error.instancePath, message: `${error.message ?? "is invalid"}${found}` };
}

function preview(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
