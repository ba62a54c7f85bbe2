import { createHash } from "node:crypto";

import canonicalize from "canonicalize";

/**
 * Lowercase hex SHA-256 of the RFC 8785 (JCS) canonical JSON of a parsed document.
 *
 * JCS fixes key order and number form (`2.0` → `2`), so Python, Node and Java agree on it.
 * Throws when the document has no canonical form (NaN, Infinity, a lone surrogate).
 */
export function fingerprint(document: unknown): string {
  const canonical = canonicalize(document);
  if (canonical === undefined) {
    throw new TypeError("a document of undefined has no canonical JSON");
  }
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
