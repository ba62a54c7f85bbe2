import { parseArgs } from "node:util";

import { DatabaseUrlError, resolveDatabaseUrl, type DatabaseTarget } from "./db/databaseUrl.js";

/** The command line of `order-service` (docs/ORDER_SERVICE.md). */
export interface CliOptions {
  readonly host: string;
  readonly port: number;
  readonly gatewayUrl: string;
  /** Explicit config path; else `CHECKOUT_CONFIG`, else `config/timeout.json` up the tree. */
  readonly config: string | undefined;
  readonly reloadIntervalMs: number;
  /** `--database-url`, else `DATABASE_URL`, else the dev database (src/db/databaseUrl.ts). */
  readonly database: DatabaseTarget;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const USAGE =
  "usage: order-service --gateway-url URL [--database-url URL] [--host 127.0.0.1] [--port 0] [--config PATH] " +
  "[--reload-interval-ms 1000]";

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "0" },
        "gateway-url": { type: "string" },
        "database-url": { type: "string" },
        config: { type: "string" },
        "reload-interval-ms": { type: "string", default: "1000" },
      },
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const gatewayUrl = values["gateway-url"];
  if (gatewayUrl === undefined || !URL.canParse(gatewayUrl)) {
    throw new UsageError(
      `--gateway-url must be an http(s) URL, but was ${JSON.stringify(gatewayUrl ?? null)}\n${USAGE}`,
    );
  }
  let database: DatabaseTarget;
  try {
    database = resolveDatabaseUrl(values["database-url"], env);
  } catch (error) {
    if (error instanceof DatabaseUrlError) {
      throw new UsageError(`${error.message}\n${USAGE}`);
    }
    throw error;
  }
  return {
    host: values.host,
    port: integer("--port", values.port, 0, 65535),
    gatewayUrl,
    config: values.config,
    reloadIntervalMs: integer("--reload-interval-ms", values["reload-interval-ms"], 1, 86_400_000),
    database,
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer in [${min}, ${max}], but was ${JSON.stringify(text)}\n${USAGE}`);
  }
  return value;
}
