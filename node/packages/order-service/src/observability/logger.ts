import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger } from "pino";

import { maskCardNumbers, maskDeep } from "./mask.js";

/** Fields that may hold a payment token wherever they appear (up to three levels deep). */
export const REDACTED_PATHS: readonly string[] = Object.freeze([
  "payment_token",
  "*.payment_token",
  "*.*.payment_token",
  "*.*.*.payment_token",
  "req.headers.authorization",
]);

export interface LoggerOptions {
  readonly level?: string;
  /** Where JSON lines go; stderr by default, written synchronously so nothing is lost at exit (stdout carries only the `listening` line). */
  readonly destination?: DestinationStream;
}

/**
 * The service's pino logger: JSON lines, ISO time (an epoch-ms `time` is itself a 13-digit run),
 * known secret fields redacted, and every string of every line — message, fields, serialized
 * errors and requests — passed through the card-number mask.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "order-service" },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: "[REDACTED]" },
      formatters: {
        log: maskLogObject,
      },
      serializers: {
        msg: (message: unknown) => (typeof message === "string" ? maskCardNumbers(message) : maskDeep(message)),
        // pino's serialized error has a prototype of its own; spread it so maskDeep walks it.
        err: (error: Error) => maskDeep({ ...stdSerializers.err(error) }),
        req: (request: { method?: string; url?: string; ip?: string }) =>
          maskDeep({ method: request.method, url: request.url, remoteAddress: request.ip }),
        res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
      },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

// An Error under `err` is kept for pino's error serializer (type, cause chain), which is masked;
// everything else is masked here.
function maskLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    masked[key] = key === "err" && value instanceof Error ? value : maskDeep(value);
  }
  return masked;
}
