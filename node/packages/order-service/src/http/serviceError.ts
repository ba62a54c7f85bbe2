import { ERROR_CLASSES, ResilienceError, type ErrorClass } from "@checkout/core";

import { maskCardNumbers } from "../observability/mask.js";

/** One entry of an error body's `details`: where in the request, and what was wrong there. */
export interface ErrorDetail {
  /** JSON Pointer into the body (`/amount_minor`), or `/headers/<name>` and `/path/<name>` for the rest. */
  readonly pointer: string;
  readonly message: string;
}

/** The error body every service of the repo answers with (SEMANTICS.md §6). */
export interface ErrorBody {
  readonly error: {
    readonly class: ErrorClass;
    readonly message: string;
    readonly retryable: boolean;
    readonly details?: readonly ErrorDetail[];
  };
}

/**
 * An error this service answers with: a class of the shared taxonomy, the HTTP status (the class's
 * own unless the class has several, e.g. 413 or 422) and the request fields it is about.
 */
export class ServiceError extends ResilienceError {
  override readonly name: string = "ServiceError";
  readonly status: number;
  readonly details: readonly ErrorDetail[];
  /** Response headers the answer carries (e.g. `retry-after`), lowercase names. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    errorClass: ErrorClass,
    message: string,
    options: {
      status?: number;
      details?: readonly ErrorDetail[];
      retryable?: boolean;
      cause?: unknown;
      headers?: Readonly<Record<string, string>>;
    } = {},
  ) {
    super(errorClass, message, options.retryable ?? ERROR_CLASSES[errorClass].retryable);
    this.status = options.status ?? ERROR_CLASSES[errorClass].httpStatus ?? 500;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
    if (options.cause !== undefined) {
      this.cause = options.cause;
    }
  }

  /** The message without the `CLASS: ` prefix the kernel's errors carry. */
  get detailMessage(): string {
    const prefix = `${this.errorClass}: `;
    return this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message;
  }

  /**
   * The answer's body. Every text in it passes the log's card-number mask: a message may quote what
   * the client sent (a card number sent as `amount_minor`, a path, a JSON parser's excerpt of the
   * body), and an answer must not echo card data any more than a log line may.
   */
  body(): ErrorBody {
    return {
      error: {
        class: this.errorClass,
        message: maskCardNumbers(this.detailMessage),
        retryable: this.retryable,
        ...(this.details.length > 0
          ? {
              details: this.details.map((detail) => ({
                pointer: maskCardNumbers(detail.pointer),
                message: maskCardNumbers(detail.message),
              })),
            }
          : {}),
      },
    };
  }
}

export function invalidRequest(details: readonly ErrorDetail[], status = 400): ServiceError {
  const summary = details.map((detail) => `${detail.pointer || "the body"}: ${detail.message}`).join("; ");
  return new ServiceError("INVALID_REQUEST", summary, { status, details });
}
