// Issue 11 j: one definition of each request limit. openapi.json (which the service validates with)
// must say exactly what @checkout/core's generated API_LIMITS (config/api-limits.json) says.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";

import { API_LIMITS } from "@checkout/core";

import { openapiDocument } from "../http/openapi.js";

type Schema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };

const schemas = (openapiDocument["components"] as { schemas: Record<string, Schema> }).schemas;
const post = (openapiDocument["paths"] as Record<string, Record<string, { parameters: Record<string, unknown>[] }>>)[
  "/orders"
]?.["post"];

describe("openapi.json states the limits of API_LIMITS", () => {
  for (const name of ["CreateOrderRequest", "Order"]) {
    test(`${name}: customer_id and amount_minor limits`, () => {
      const properties = schemas[name]?.properties ?? {};
      assert.equal(properties["customer_id"]?.["maxLength"], API_LIMITS.customerIdMaxLength);
      assert.equal(properties["amount_minor"]?.["maximum"], API_LIMITS.amountMinorMax);
    });
  }

  test("CreateOrderRequest: payment_token length and the one currency list", () => {
    const properties = schemas["CreateOrderRequest"]?.properties ?? {};
    assert.equal(properties["payment_token"]?.["maxLength"], API_LIMITS.paymentTokenMaxLength);
    assert.deepEqual(properties["currency"]?.["enum"], Object.keys(API_LIMITS.currencies).sort());
  });

  test("the Idempotency-Key header: 1 to idempotency_key_max_length visible ASCII characters", () => {
    const header = post?.parameters.find((parameter) => parameter["name"] === "Idempotency-Key");
    assert.equal(header?.["required"], true);
    assert.deepEqual(header?.["schema"], {
      type: "string",
      pattern: `^[\\x21-\\x7E]{1,${API_LIMITS.idempotencyKeyMaxLength}}$`,
    });
  });

  test("the order id the gateway is sent fits order_id_max_length", () => {
    assert.ok(randomUUID().length <= API_LIMITS.orderIdMaxLength);
  });
});
