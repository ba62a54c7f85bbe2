import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createLogger } from "../observability/logger.js";
import { MASK, maskCardNumbers, maskDeep } from "../observability/mask.js";

const CARD_LIKE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/;
// A sha256 config fingerprint whose digits include a 19-digit run: card-like on its own.
const FINGERPRINT = "e3b0c4fa9876543210987654321afbf4c8996fb92427ae41e4649b934ca49599";

function capture(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

describe("card-number masking", () => {
  test("13 to 19 digits, with or without spaces or dashes, are masked; shorter and longer runs are not", () => {
    assert.equal(maskCardNumbers("card 4111111111111111 ok"), `card ${MASK} ok`);
    assert.equal(maskCardNumbers("4111 1111 1111 1111"), MASK);
    assert.equal(maskCardNumbers("4111-1111-1111-1111"), MASK);
    assert.equal(maskCardNumbers("amex 3782 822463 10005."), `amex ${MASK}.`);
    assert.equal(maskCardNumbers("4222222222222"), MASK, "13 digits");
    assert.equal(maskCardNumbers("order 123456789012"), "order 123456789012", "12 digits are no card");
    assert.equal(maskCardNumbers("12345678901234567890"), "12345678901234567890", "20 digits are no card");
  });

  test("a config fingerprint is left whole; a card number next to it, or glued onto it, is still masked", () => {
    assert.match(FINGERPRINT, CARD_LIKE, "the constructed fingerprint holds a card-like run");
    assert.equal(maskCardNumbers(FINGERPRINT), FINGERPRINT);
    assert.equal(maskCardNumbers(`sha256:${FINGERPRINT}`), `sha256:${FINGERPRINT}`);
    assert.equal(maskCardNumbers(`${FINGERPRINT} 4111 1111 1111 1111`), `${FINGERPRINT} ${MASK}`);
    assert.equal(maskCardNumbers(`card 4111111111111111 config ${FINGERPRINT}`), `card ${MASK} config ${FINGERPRINT}`);
    // An 81-character hex run is no sha256: a PAN glued onto one is masked.
    assert.doesNotMatch(maskCardNumbers(`${FINGERPRINT}f4111111111111111`), /4111111111111111/);
    assert.doesNotMatch(maskCardNumbers(`x${FINGERPRINT}`), /9876543210987654321/, "not standing alone");
    assert.doesNotMatch(maskCardNumbers(FINGERPRINT.slice(1)), /9876543210987654321/, "63 characters");
  });

  test("maskDeep walks objects, arrays and errors, and rounds fractions whose digits look like a card", () => {
    const masked = maskDeep({
      a: ["4111111111111111", { b: "x 5555 5555 5555 4444 y" }],
      n: 4111111111111111,
      duration: 17.398885000000064,
      error: new Error("card 4000056655665556 refused"),
    }) as Record<string, unknown>;
    assert.deepEqual(masked["a"], [MASK, { b: `x ${MASK} y` }]);
    assert.equal(masked["n"], MASK);
    assert.equal(masked["duration"], 17.399);
    assert.equal((masked["error"] as { message: string }).message, `card ${MASK} refused`);
  });
});

describe("the service logger", () => {
  test("redacts payment_token fields at any depth and masks card numbers in messages, fields and errors", () => {
    const { logger, lines } = capture();
    logger.info({ payment_token: "tok_plain_secret", body: { payment_token: "tok_nested_secret" } }, "paying");
    logger.warn("declined card 4111 1111 1111 1111 for order");
    logger.error(
      { err: Object.assign(new Error("insert failed: 5555555555554444"), { detail: "Key (x)=(4000056655665556)" }) },
      "db",
    );
    logger.info({ customer: "4000-0566-5566-5556" }, "created");
    const all = lines.join("");
    assert.ok(!all.includes("tok_plain_secret") && !all.includes("tok_nested_secret"));
    assert.ok(all.includes("[REDACTED]"));
    assert.doesNotMatch(all, CARD_LIKE);
    const error = JSON.parse(lines[2] ?? "{}") as { err: { type: string; message: string; detail: string } };
    assert.deepEqual(
      [error.err.type, error.err.message, error.err.detail],
      ["Error", `insert failed: ${MASK}`, `Key (x)=(${MASK})`],
    );
  });

  test("a fingerprint field keeps its value; a card number in the same line is masked", () => {
    const { logger, lines } = capture();
    logger.info({ config: { fingerprint: FINGERPRINT }, note: "card 4111111111111111" }, `loaded ${FINGERPRINT}`);
    const line = JSON.parse(lines[0] ?? "{}") as { config: { fingerprint: string }; note: string; msg: string };
    assert.deepEqual(
      [line.config.fingerprint, line.note, line.msg],
      [FINGERPRINT, `card ${MASK}`, `loaded ${FINGERPRINT}`],
    );
    assert.ok(!(lines[0] ?? "").includes("4111111111111111"));
  });

  test("times are ISO strings: an epoch-ms time would itself be a 13-digit run", () => {
    const { logger, lines } = capture();
    logger.info("hello");
    const line = JSON.parse(lines[0] ?? "{}") as { time: unknown; service: unknown };
    assert.match(String(line.time), /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(line.service, "order-service");
    assert.doesNotMatch(lines[0] ?? "", CARD_LIKE);
  });
});
