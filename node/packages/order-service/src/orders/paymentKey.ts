import { createHash } from "node:crypto";

/**
 * The namespace of the payment keys: a fixed random UUID, so `paymentKeyOf` is a name-based UUID
 * (RFC 9562 version 5) that any language computes the same way — Python:
 * `f"order-{uuid.uuid5(uuid.UUID(PAYMENT_KEY_NAMESPACE), key)}"` (the replay bench does).
 */
export const PAYMENT_KEY_NAMESPACE = "bea58df6-1866-4973-921d-2a0d090beab5";

const NAMESPACE_BYTES = Buffer.from(PAYMENT_KEY_NAMESPACE.replaceAll("-", ""), "hex");

/**
 * The Idempotency-Key the gateway knows an order's payment by, derived from the client's
 * Idempotency-Key: `order-<UUIDv5 of the client's key>`. One client key names one order (the
 * unique constraint), so it names one payment; and the same client key gives the same payment key
 * on every run, so the provider simulator — which draws each charge's fate from its key — meets an
 * order with the same fate under every config the replay bench compares (docs/REPLAY.md).
 */
export function paymentKeyOf(idempotencyKey: string): string {
  const hash = createHash("sha1").update(NAMESPACE_BYTES).update(idempotencyKey, "utf8").digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = hash.subarray(0, 16).toString("hex");
  return `order-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * LEGACY, only for `order_service.legacy_retry_timeout_as_new_payment` (the incident replay): the
 * key of attempt `attempt` (1-based) when each attempt is a new payment — the order's own key for
 * the first, then `<key>-retry-<n>`. Derived rather than random, so a replay is reproducible and
 * paired across configs; new to the gateway and the provider all the same, as the incident's
 * key-less retries were.
 */
export function legacyAttemptKey(paymentKey: string, attempt: number): string {
  return attempt === 1 ? paymentKey : `${paymentKey}-retry-${attempt}`;
}
