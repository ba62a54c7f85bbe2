import {
  DEADLINE_HEADER,
  ERROR_CLASSES,
  ResilienceError,
  TIMED_OUT,
  classifyAnswer,
  verdictOf,
  type AttemptVerdict,
} from "@checkout/core";
import { Agent, request } from "undici";

/** What the order service asks the gateway to charge (`POST /payments`, docs/GATEWAY.md). */
export interface PaymentRequest {
  /** The gateway's Idempotency-Key: the same on every attempt, and how the payment is looked up later. */
  readonly paymentKey: string;
  readonly orderId: string;
  readonly amountMinor: number;
  readonly currency: string;
  /** Held in memory for this one request, never stored or logged. */
  readonly paymentToken: string;
}

/**
 * How long one attempt waits, and the `X-Deadline-Ms` it sends: less than the wait by
 * `payment.answer_margin_ms`, so the gateway's answer has time to travel back (SEMANTICS.md §5).
 */
export interface AttemptTimeouts {
  readonly timeoutMs: number;
  readonly deadlineHeaderMs: number;
}

/** A definitive answer: the provider authorised or declined the charge. */
export interface PaymentAnswer {
  readonly status: "authorised" | "declined";
  readonly chargeId: string | null;
  readonly declineReason: string | null;
}

/** What `GET /payments/{key}` says about a payment; `not_found` means the gateway never took it. */
export type PaymentLookup = "authorised" | "declined" | "failed" | "unknown" | "pending" | "not_found";

const LOOKUP_STATUSES = new Set<string>(["authorised", "declined", "failed", "unknown", "pending"]);

// The request cannot have left this process: nothing was connected (or it was refused before
// sending), so nothing was charged.
const NOT_CONNECTED = new Set([
  "UND_ERR_INVALID_ARG",
  "ERR_INVALID_URL",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * An attempt that ended without a definitive answer, classified at the call site (SEMANTICS.md §6).
 * `maybeCharged` says whether the gateway may have charged: then the payment is unknown and only
 * reconciliation may settle it, never a second charge.
 */
export class GatewayError extends ResilienceError {
  override readonly name = "GatewayError";
  readonly maybeCharged: boolean;
  /** The gateway's HTTP status, `null` when it did not answer. */
  readonly status: number | null;
  /** What the call loop makes of this attempt's end: the class, the body's `retryable`, our own timeout. */
  readonly verdict: AttemptVerdict;

  constructor(verdict: AttemptVerdict, message: string, options: { maybeCharged: boolean; status?: number }) {
    // An error verdict always has a class; INTERNAL only guards against a success passed by mistake.
    const errorClass = verdict.errorClass ?? "INTERNAL";
    // The body's `retryable: false` is the gateway's veto; otherwise the class says.
    super(errorClass, message, verdict.downstreamRetryable === false ? false : ERROR_CLASSES[errorClass].retryable);
    this.verdict = verdict;
    this.maybeCharged = options.maybeCharged;
    this.status = options.status ?? null;
  }

  /** Our own attempt timeout ran out (no answer in time), as opposed to the gateway answering TIMEOUT. */
  get timedOut(): boolean {
    return this.verdict.timedOut;
  }
}

/**
 * The gateway's HTTP API, one attempt per call: the resilience kernel decides about retries.
 *
 * undici's `request` rather than `fetch`: fetch refuses the ports of its "bad port" list and wraps
 * every transport error in one TypeError, while a payment call must tell "never connected" (safe to
 * resend, surely not charged) from "broke after sending" (unknown).
 */
export class GatewayClient {
  readonly #baseUrl: string;
  readonly #agent = new Agent();

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** Closes the kept-alive connections (at shutdown, after the last call). */
  close(): Promise<void> {
    return this.#agent.close();
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** One `POST /payments` attempt that gives up after `timeouts.timeoutMs`. */
  async pay(request: PaymentRequest, timeouts: AttemptTimeouts): Promise<PaymentAnswer> {
    const { status, body, retryAfter } = await this.#exchange(
      "POST",
      "/payments",
      timeouts,
      { "idempotency-key": request.paymentKey },
      {
        order_id: request.orderId,
        amount_minor: request.amountMinor,
        currency: request.currency,
        payment_token: request.paymentToken,
      },
    );
    if (status === 200) {
      const answer = asRecord(body);
      if (answer !== null && (answer["status"] === "authorised" || answer["status"] === "declined")) {
        return {
          status: answer["status"],
          chargeId: typeof answer["charge_id"] === "string" ? answer["charge_id"] : null,
          declineReason: typeof answer["decline_reason"] === "string" ? answer["decline_reason"] : null,
        };
      }
      throw new GatewayError(
        verdictOf("UPSTREAM_UNAVAILABLE"),
        "the gateway answered 200 without an authorised or declined status",
        { maybeCharged: true, status },
      );
    }
    throw errorAnswer(status, body, retryAfter);
  }

  /** One `GET /payments/{key}`: what the gateway (asking the provider if need be) knows of the payment. */
  async lookup(paymentKey: string, timeouts: AttemptTimeouts): Promise<PaymentLookup> {
    const { status, body, retryAfter } = await this.#exchange(
      "GET",
      `/payments/${encodeURIComponent(paymentKey)}`,
      timeouts,
      {},
    );
    const record = asRecord(body);
    if (
      status === 200 &&
      record !== null &&
      typeof record["status"] === "string" &&
      LOOKUP_STATUSES.has(record["status"])
    ) {
      return record["status"] as PaymentLookup;
    }
    // Only the gateway's own NOT_FOUND proves it never took the payment; a bare 404 (a proxy, a
    // wrong path) proves nothing.
    const error = errorAnswer(status, body, retryAfter);
    if (status === 404 && error.errorClass === "NOT_FOUND") {
      return "not_found";
    }
    throw error;
  }

  async #exchange(
    method: "GET" | "POST",
    path: string,
    { timeoutMs, deadlineHeaderMs }: AttemptTimeouts,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; retryAfter: boolean }> {
    let status: number;
    let text: string;
    let retryAfter: boolean;
    try {
      const response = await request(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          accept: "application/json",
          [DEADLINE_HEADER.toLowerCase()]: String(deadlineHeaderMs),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: this.#agent,
      });
      status = response.statusCode;
      retryAfter = response.headers["retry-after"] !== undefined;
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, timeoutMs);
    }
    let parsed: unknown = null;
    try {
      parsed = text === "" ? null : (JSON.parse(text) as unknown);
    } catch {
      parsed = null;
    }
    return { status, body: parsed, retryAfter };
  }
}

function transportError(error: unknown, timeoutMs: number): GatewayError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new GatewayError(TIMED_OUT, `the gateway did not answer within ${timeoutMs} ms`, { maybeCharged: true });
  }
  const code = (error as { code?: unknown } | null)?.code;
  const detail = typeof code === "string" ? code : error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && NOT_CONNECTED.has(code)) {
    return new GatewayError(verdictOf("CONNECTION"), `could not connect to the gateway (${detail})`, {
      maybeCharged: false,
    });
  }
  return new GatewayError(verdictOf("CONNECTION"), `the connection to the gateway broke before an answer (${detail})`, {
    maybeCharged: true,
  });
}

/**
 * An error answer, classified as SEMANTICS.md §6 "At a call site" says (the kernel's `classifyAnswer`:
 * the body's `error.class` when that class has a breaker outcome, else the status). The body's `status`
 * (`unknown`/`failed`) says whether the gateway may have charged; without one, a 5xx, an in-flight
 * conflict or an answer we cannot read may have.
 */
function errorAnswer(status: number, body: unknown, retryAfter: boolean): GatewayError {
  const error = asRecord(asRecord(body)?.["error"]);
  const bodyClass = error?.["class"];
  const bodyRetryable = error?.["retryable"];
  const verdict = classifyAnswer(
    status,
    typeof bodyClass === "string" ? bodyClass : null,
    typeof bodyRetryable === "boolean" ? bodyRetryable : null,
    retryAfter,
  );
  const errorClass = verdict.errorClass;
  const paymentStatus = asRecord(body)?.["status"];
  const maybeCharged =
    paymentStatus === "unknown" ||
    (paymentStatus !== "failed" &&
      (errorClass === "IDEMPOTENCY_CONFLICT" ||
        errorClass === "TIMEOUT" ||
        errorClass === "CONNECTION" ||
        errorClass === "UPSTREAM_UNAVAILABLE" ||
        errorClass === "INTERNAL"));
  const message = typeof error?.["message"] === "string" ? error["message"] : `the gateway answered ${status}`;
  return new GatewayError(verdict, `gateway ${status}: ${message}`, { maybeCharged, status });
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
