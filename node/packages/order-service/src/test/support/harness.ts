// One real service for a test: a throwaway PostgreSQL database (testDatabase.ts), a shortened copy of
// config/timeout.json, the app from src/app.ts listening on 127.0.0.1, and every log line captured.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadConfig } from "@checkout/core";

import { buildApp, type OrderServiceApp } from "../../app.js";
import { systemClock } from "../../clock.js";
import { ConfigHolder } from "../../config/configHolder.js";
import { Database } from "../../db/database.js";
import { migrate } from "../../db/migrate.js";
import { GatewayClient } from "../../gateway/gatewayClient.js";
import { createLogger } from "../../observability/logger.js";
import type { FakeGateway } from "./fakeGateway.js";
import { createTestDatabase, type TestDatabase } from "./testDatabase.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A value to set at a JSON Pointer of the config. */
export type Edit = readonly [pointer: string, value: Json];

export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
export const SHIPPED_CONFIG = path.join(REPO_ROOT, "config", "timeout.json");

/**
 * config/timeout.json with every duration shortened so a test waits milliseconds, not seconds: a
 * 300 ms attempt timeout (a lookup's attempt 600 ms), 20 ms backoff, a 5-connection pool that gives
 * up after 300 ms, a pool check every 50 ms. The reconciler runs only when a test asks (interval 1 h) unless edited.
 */
export const SHORT: readonly Edit[] = [
  ["/version", "test-short"],
  ["/payment/timeout_ms", 300],
  ["/payment/deadline_ms", 2000],
  ["/payment/provider_expected_p99_ms", 250],
  ["/payment/min_deadline_ms", 100],
  ["/payment/answer_margin_ms", 50],
  ["/payment/retry/base_delay_ms", 20],
  ["/payment/retry/jitter_ms", 10],
  ["/payment/retry/max_delay_ms", 40],
  ["/payment/circuit_breaker/recovery_timeout_ms", 500],
  ["/payment/circuit_breaker/half_open_max_calls", 1],
  // The lookup's own policy (a relay's lookup attempt gets the whole lookup deadline).
  ["/payment/lookup/timeout_ms", 300],
  ["/payment/lookup/deadline_ms", 600],
  ["/payment/lookup/provider_expected_p99_ms", 250],
  ["/payment/lookup/retry/base_delay_ms", 20],
  ["/payment/lookup/retry/jitter_ms", 10],
  ["/payment/lookup/retry/max_delay_ms", 40],
  ["/payment/lookup/circuit_breaker/recovery_timeout_ms", 500],
  ["/payment/lookup/circuit_breaker/half_open_max_calls", 1],
  ["/database/pool/max_connections", 5],
  ["/database/pool/acquire_timeout_ms", 300],
  ["/database/pool/idle_timeout_ms", 1000],
  ["/monitoring/pool_check_interval_ms", 50],
  ["/monitoring/pool_utilization_warn", 0.6],
  ["/monitoring/pool_utilization_critical", 0.8],
  ["/order_service/reconcile_interval_ms", 3_600_000],
];

/**
 * Room for a loaded machine where a test needs a payment to succeed after a scripted delay: a 2 s
 * attempt timeout instead of 300 ms (the tests that wait for a timeout keep the short one).
 */
export const ROOMY_TIMEOUTS: readonly Edit[] = [
  ["/payment/timeout_ms", 2000],
  ["/payment/provider_expected_p99_ms", 1000],
  ["/payment/deadline_ms", 8000],
];

/** The shipped config with `edits` applied, as JSON text. */
export function configText(edits: readonly Edit[]): string {
  const document = JSON.parse(readFileSync(SHIPPED_CONFIG, "utf8")) as { [key: string]: Json };
  for (const [pointer, value] of edits) {
    const tokens = pointer.split("/").slice(1);
    const last = tokens.pop() as string;
    let parent = document;
    for (const token of tokens) {
      parent = parent[token] as { [key: string]: Json };
    }
    parent[last] = value;
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}

// A test process the runner stops (timeout, Ctrl-C) still runs its exit hooks: the embedded
// server gets its SIGINT and the temp dirs go.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => process.exit(128 + (signal === "SIGTERM" ? 15 : 2)));
}

const tempDirs: string[] = [];
process.on("exit", () => {
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh directory under the OS temp dir, removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "order-service-test-"));
  tempDirs.push(dir);
  return dir;
}

/** Writes a shortened config (plus `edits`) to `file`, or to a fresh temp dir; returns its path. */
export function writeConfig(edits: readonly Edit[] = [], file?: string): string {
  const target = file ?? path.join(tempDir(), "timeout.json");
  writeFileSync(target, configText([...SHORT, ...edits]));
  return target;
}

/** One throwaway database per test file (on CHECKOUT_PG_URL's server, else an embedded one). */
export function startDatabase(): Promise<TestDatabase> {
  return createTestDatabase();
}

export interface Service {
  readonly app: OrderServiceApp;
  readonly database: Database;
  readonly config: ConfigHolder;
  readonly configPath: string;
  readonly url: string;
  /** Every log line written so far, as text. */
  readonly logs: string[];
  /** The log lines parsed. */
  records(): Record<string, unknown>[];
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** The database (a test's own, or a DatabaseLink in front of it). */
  readonly db: { readonly url: string };
  readonly gateway: FakeGateway | string;
  readonly edits?: readonly Edit[];
  /** An existing config file to use instead of a fresh shortened copy. */
  readonly configPath?: string;
  readonly random?: () => number;
  readonly logLevel?: string;
}

/** Starts the app against `db` (orders table emptied) and the gateway; stop it with `close`. */
export async function startService(options: ServiceOptions): Promise<Service> {
  const logs: string[] = [];
  const logger = createLogger({
    level: options.logLevel ?? "debug",
    destination: { write: (line: string) => void logs.push(line) },
  });
  const configPath = options.configPath ?? writeConfig(options.edits);
  const loaded = loadConfig(configPath);
  const database = new Database(options.db.url, loaded.settings.database.pool, logger);
  await migrate(database);
  await database.query("TRUNCATE orders");
  const config = new ConfigHolder(loaded, { clock: systemClock, logger });
  const gatewayUrl = typeof options.gateway === "string" ? options.gateway : options.gateway.url;
  const gatewayClient = new GatewayClient(gatewayUrl);
  const app = buildApp({
    database,
    gateway: gatewayClient,
    config,
    clock: systemClock,
    logger,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    app,
    database,
    config,
    configPath,
    url: `http://127.0.0.1:${port}`,
    logs,
    records: () => logs.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: async () => {
      config.stop();
      await app.server.close();
      await gatewayClient.close();
      await database.close();
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  readonly body: unknown;
}

/** A valid order body; `overrides` replace fields (`undefined` removes one). */
export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    customer_id: "cust-1",
    amount_minor: 1999,
    currency: "EUR",
    payment_token: "tok_visa_abc123",
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete body[key];
    } else {
      body[key] = value;
    }
  }
  return body;
}

export async function request(
  url: string,
  method: "GET" | "POST",
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const text = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(url, {
    method,
    headers: { ...(text === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    ...(text === undefined ? {} : { body: text }),
  });
  const contentType = response.headers.get("content-type") ?? "";
  const raw = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    contentType,
    body: contentType.includes("json") && raw !== "" ? (JSON.parse(raw) as unknown) : raw,
  };
}

/** POST /orders with a fresh Idempotency-Key unless `headers` bring one (the header is required). */
export function postOrder(service: Service, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const keyed = Object.keys(headers).some((name) => name.toLowerCase() === "idempotency-key");
  return request(`${service.url}/orders`, "POST", {
    body,
    headers: keyed ? headers : { "Idempotency-Key": `test-${randomUUID()}`, ...headers },
  });
}

/** Polls `check` every 10 ms until it holds or `timeoutMs` passed (then throws, naming `what`). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "config", "timeout.schema.json"))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no config/timeout.schema.json above ${start}`);
    }
  }
}
