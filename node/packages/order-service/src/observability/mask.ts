// Card numbers must never reach a log line (PCI DSS 3.4). Redaction removes the fields we know
// hold secrets; this catches what we don't know about: a card-like digit run in any string.

import { CARD_LIKE_PATTERN, FINGERPRINT_PATTERN } from "@checkout/core";

// The rule is config/vocabulary.json's (`masking`), generated alike into the gateway's Masking.java
// and the Python client's masking.py: 13–19 digits, optionally separated by single spaces or dashes,
// not part of a longer digit run, outside a config fingerprint (a sha256: exactly 64 lowercase hex
// characters, standing alone), whose digit runs look card-like but never are a card number.
const CARD_LIKE = new RegExp(CARD_LIKE_PATTERN, "g");
const FINGERPRINT = new RegExp(FINGERPRINT_PATTERN, "g");

export const MASK = "[MASKED]";

/** Replaces every card-like digit run in `text` with {@link MASK}, outside config fingerprints. */
export function maskCardNumbers(text: string): string {
  let masked = "";
  let from = 0;
  for (const fingerprint of text.matchAll(FINGERPRINT)) {
    masked += text.slice(from, fingerprint.index).replace(CARD_LIKE, MASK) + fingerprint[0];
    from = fingerprint.index + fingerprint[0].length;
  }
  return masked + text.slice(from).replace(CARD_LIKE, MASK);
}

/**
 * A copy of `value` with every card-like run masked in every string, fractions rounded to three
 * decimals (a duration's 15 binary-noise digits look like a card number), and numbers whose digits
 * still hold a card-like run replaced by {@link MASK}. Plain objects and arrays are walked; `Error`s become plain objects first
 * (their message and own fields are walked too); other objects (requests, sockets) are left to
 * their serializers, which are masked separately.
 */
export function maskDeep(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") {
    return maskCardNumbers(value);
  }
  if (typeof value === "number") {
    const shown = Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
    return containsCardLike(String(shown)) ? MASK : shown;
  }
  if (typeof value === "bigint") {
    return containsCardLike(value.toString()) ? MASK : value;
  }
  if (typeof value !== "object" || value === null || seen.has(value)) {
    return value;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    return value.map((item) => maskDeep(item, seen));
  }
  if (value instanceof Error) {
    return maskDeep(errorFields(value), seen);
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    copy[key] = maskDeep(child, seen);
  }
  return copy;
}

function containsCardLike(text: string): boolean {
  return text.replace(CARD_LIKE, "") !== text;
}

function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [key, child] of Object.entries(error)) {
    fields[key] = child;
  }
  if (error.cause !== undefined) {
    fields["cause"] = error.cause;
  }
  return fields;
}
