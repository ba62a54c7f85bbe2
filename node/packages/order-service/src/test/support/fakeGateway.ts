// A real HTTP server standing in for the payment gateway (docs/GATEWAY.md's API), with a script of
// what each POST /payments does: answer (after a delay), hang, or drop the connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export type Behaviour =
  /** Answers `status` with `body` after `delayMs`, and after `after` settled when given. */
  | {
      readonly kind: "answer";
      readonly status: number;
      readonly body: unknown;
      readonly delayMs?: number;
      readonly after?: Promise<unknown>;
      readonly headers?: Record<string, string>;
    }
  /** Never answers: the caller's timeout ends it. */
  | { readonly kind: "hang" }
  /** Reads the request, waits `delayMs`, then destroys the socket without a byte of answer. */
  | { readonly kind: "drop"; readonly delayMs?: number };

/** What the gateway says later (`GET /payments/{key}`) about a payment it received. */
export type Recorded = "authorised" | "declined" | "failed" | "unknown" | "pending";

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: unknown;
}

export interface ScriptStep {
  readonly behaviour: Behaviour;
  /** What GET /payments/{key} answers for this payment afterwards; nothing recorded → 404. */
  readonly records?: Recorded;
}

export function authorised(delayMs = 0): ScriptStep {
  return { behaviour: answer(200, "authorised", delayMs), records: "authorised" };
}

export function declined(delayMs = 0): ScriptStep {
  return { behaviour: answer(200, "declined", delayMs), records: "declined" };
}

export function errorAnswer(
  status: number,
  errorClass: string,
  paymentStatus: "unknown" | "failed",
  retryable = false,
): ScriptStep {
  return {
    behaviour: {
      kind: "answer",
      status,
      body: { error: { class: errorClass, message: `scripted ${errorClass}`, retryable }, status: paymentStatus },
    },
    ...(paymentStatus === "unknown" ? { records: "unknown" as const } : {}),
  };
}

function answer(status: number, paymentStatus: "authorised" | "declined", delayMs: number): Behaviour {
  return {
    kind: "answer",
    status,
    delayMs,
    body: {
      status: paymentStatus,
      charge_id: "ch_test",
      attempts: 1,
      ...(paymentStatus === "declined" ? { decline_reason: "insufficient_funds" } : {}),
    },
  };
}

export class FakeGateway {
  readonly requests: SeenRequest[] = [];
  /** Payments by Idempotency-Key, as GET /payments/{key} reports them. */
  readonly payments = new Map<string, Recorded>();
  /** POSTs per Idempotency-Key that ran a script step (a replay of a recorded answer is not one). */
  readonly charges = new Map<string, number>();
  /** Keys whose GET /payments/{key} never answers (the caller's timeout ends it). */
  readonly hangingLookups = new Set<string>();
  /** Requests being handled right now (not yet answered, dropped or abandoned). */
  inflight = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #script: ScriptStep[] = [];
  #default: ScriptStep = authorised();
  #url = "";

  private constructor() {
    this.#server = createServer((request, response) => {
      void this.#handle(request, response);
    });
    this.#server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  static async start(): Promise<FakeGateway> {
    const gateway = new FakeGateway();
    await new Promise<void>((resolve) => gateway.#server.listen(0, "127.0.0.1", resolve));
    const address = gateway.#server.address();
    if (address === null || typeof address !== "object") {
      throw new Error("the fake gateway has no address");
    }
    gateway.#url = `http://127.0.0.1:${address.port}`;
    return gateway;
  }

  get url(): string {
    return this.#url;
  }

  /** The next POSTs do these, in order; after them, `fallback` (authorise by default). */
  script(steps: readonly ScriptStep[], fallback?: ScriptStep): void {
    this.#script.push(...steps);
    if (fallback !== undefined) {
      this.#default = fallback;
    }
  }

  /** POSTs that ran a script step, over every key. */
  chargeCount(): number {
    return [...this.charges.values()].reduce((sum, count) => sum + count, 0);
  }

  paymentRequests(): SeenRequest[] {
    return this.requests.filter((request) => request.method === "POST" && request.path === "/payments");
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const path = request.url ?? "/";
    this.requests.push({
      method: request.method ?? "",
      path,
      headers: request.headers,
      body: text === "" ? null : JSON.parse(text),
    });

    if (request.method === "GET" && path.startsWith("/payments/")) {
      const key = decodeURIComponent(path.slice("/payments/".length));
      if (this.hangingLookups.has(key)) {
        return;
      }
      const status = this.payments.get(key);
      if (status === undefined) {
        send(response, 404, { error: { class: "NOT_FOUND", message: `no payment ${key}`, retryable: false } });
      } else {
        send(response, 200, { idempotency_key: key, status });
      }
      return;
    }
    if (request.method !== "POST" || path !== "/payments") {
      // What a proxy or a wrong base URL answers: a 404 that is not the gateway's.
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
      return;
    }
    const key = String(request.headers["idempotency-key"]);
    const recorded = this.payments.get(key);
    if (recorded === "authorised" || recorded === "declined") {
      // As the gateway does: a key with a final record is answered from it, nothing is charged again.
      send(response, 200, { status: recorded, charge_id: "ch_test", attempts: 1 }, { "idempotent-replayed": "true" });
      return;
    }
    this.charges.set(key, (this.charges.get(key) ?? 0) + 1);
    const step = this.#script.shift() ?? this.#default;
    if (step.records !== undefined) {
      this.payments.set(key, step.records);
    }
    const behaviour = step.behaviour;
    this.inflight += 1;
    response.on("close", () => {
      this.inflight -= 1;
    });
    if (behaviour.kind === "hang") {
      return;
    }
    await delay(behaviour.delayMs ?? 0);
    if (behaviour.kind === "answer" && behaviour.after !== undefined) {
      await behaviour.after;
    }
    if (behaviour.kind === "drop") {
      request.socket.destroy();
      return;
    }
    if (!response.destroyed) {
      send(response, behaviour.status, behaviour.body, behaviour.headers);
    }
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
