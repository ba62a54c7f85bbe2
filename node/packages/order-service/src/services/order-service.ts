#!/usr/bin/env node
// Start-up only: arguments, config, database, then the app wired in ../app.ts; and the graceful stop.
import { ConfigError, loadConfig, type LoadedConfig } from "@checkout/core";
import type { Logger } from "pino";

import { buildApp, type OrderServiceApp } from "../app.js";
import { UsageError, parseCli, type CliOptions } from "../cli.js";
import { systemClock } from "../clock.js";
import { ConfigHolder } from "../config/configHolder.js";
import { Database } from "../db/database.js";
import { isThrowaway, redactUrl, unreachableHint, type DatabaseTarget } from "../db/databaseUrl.js";
import { migrate } from "../db/migrate.js";
import { GatewayClient } from "../gateway/gatewayClient.js";
import { createLogger } from "../observability/logger.js";

const EXIT_INVALID = 2;

/** What has been started so far, stopped in reverse order — also when a signal comes mid-start. */
interface Started {
  database?: Database;
  config?: ConfigHolder;
  gateway?: GatewayClient;
  app?: OrderServiceApp;
}

async function main(): Promise<void> {
  const logger = createLogger({ level: process.env["LOG_LEVEL"] ?? "info" });
  const options = parseOrExit(logger);
  const loaded = loadOrExit(options.config, logger);

  const started: Started = {};
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, code: number): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ event: "stopping", reason }, "stopping: no new requests, finishing the ones in flight");
      started.config?.stop();
      // Stops accepting, waits for in-flight requests, then stops the reconciler and the monitor.
      await started.app?.server.close();
      await started.gateway?.close();
      await started.database?.close();
      logger.info({ event: "stopped", reason }, "stopped");
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => void stop(signal, 0));
  }

  const target = options.database;
  const shownUrl = redactUrl(target.url);
  const throwaway = isThrowaway(process.env);
  if (throwaway) {
    logger.warn(
      { event: "database_throwaway", database: shownUrl },
      "THROWAWAY DATABASE: every order stored here is lost when the server that holds it stops " +
        "(CHECKOUT_DB_THROWAWAY=1)",
    );
  }
  started.database = new Database(target.url, loaded.settings.database.pool, logger);
  if (!(await reachableOrExit(started.database, target, logger))) {
    return;
  }
  try {
    const applied = await migrate(started.database);
    logger.info(
      { event: "migrated", applied },
      applied.length > 0 ? "migrations applied" : "database schema is current",
    );
    if (stopping !== undefined) {
      return;
    }

    started.config = new ConfigHolder(loaded, { clock: systemClock, logger });
    started.gateway = new GatewayClient(options.gatewayUrl);
    started.app = buildApp({
      database: started.database,
      gateway: started.gateway,
      config: started.config,
      clock: systemClock,
      logger,
    });
    await started.app.server.listen({ host: options.host, port: options.port });
  } catch (error) {
    logger.fatal({ event: "start_failed", err: error }, "start-up failed");
    await stop("start-up failed", 1);
    return;
  }
  if (stopping !== undefined) {
    return;
  }
  started.config.start(options.reloadIntervalMs);
  const address = started.app.server.server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const line = { event: "listening", service: "order-service", host: options.host, port };
  process.stdout.write(`${JSON.stringify({ ...line, database: shownUrl, database_throwaway: throwaway })}\n`);
}

/**
 * One round trip before anything else: a database that cannot be reached (or refuses us) at start is
 * a set-up error — exit 2 naming the URL (never its password) and how to get one — not a service
 * that answers 503 to every request.
 */
async function reachableOrExit(database: Database, target: DatabaseTarget, logger: Logger): Promise<boolean> {
  try {
    await database.query("SELECT 1");
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.fatal(
      { event: "database_unreachable", database: redactUrl(target.url), source: target.source, err: error },
      `cannot reach the database ${redactUrl(target.url)} (from ${target.source}): ${reason}; ` +
        unreachableHint(target),
    );
    await database.close();
    process.exit(EXIT_INVALID);
  }
}

function parseOrExit(logger: Logger): CliOptions {
  try {
    return parseCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      logger.error({ event: "usage" }, error.message);
      process.exit(EXIT_INVALID);
    }
    throw error;
  }
}

function loadOrExit(path: string | undefined, logger: Logger): LoadedConfig {
  try {
    const loaded = loadConfig(path);
    for (const warning of loaded.warnings) {
      logger.warn({ event: "config_warning", pointer: warning.pointer, rule: warning.rule }, warning.message);
    }
    logger.info(
      { event: "config_loaded", path: loaded.path, version: loaded.settings.version, fingerprint: loaded.fingerprint },
      "config loaded",
    );
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const violation of error.violations) {
        logger.error(
          {
            event: "config_violation",
            error_class: error.errorClass,
            source: error.source,
            pointer: violation.pointer,
            rule: violation.rule,
          },
          violation.message,
        );
      }
      logger.fatal(
        { event: "config_invalid", error_class: error.errorClass, violations: error.violations.length },
        "refusing to start: the config is invalid",
      );
      process.exit(EXIT_INVALID);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 60, event: "start_failed", msg: String(error) })}\n`);
  process.exit(1);
});
