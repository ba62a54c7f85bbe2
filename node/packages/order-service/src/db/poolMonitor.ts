import type { Logger } from "pino";

import type { ConfigHolder } from "../config/configHolder.js";
import type { Database } from "./database.js";

type Level = "ok" | "warn" | "critical";

/**
 * Every `monitoring.pool_check_interval_ms`: samples the pool and probes the database. A warning is
 * logged when utilization (in use / max) reaches `pool_utilization_warn`, an error when it reaches
 * `pool_utilization_critical` — each once per crossing: it is logged again only after utilization
 * went back below that threshold.
 */
export class PoolMonitor {
  readonly #database: Database;
  readonly #config: ConfigHolder;
  readonly #logger: Logger;
  #level: Level = "ok";
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #probing: Promise<void> | undefined;

  constructor(options: { database: Database; config: ConfigHolder; logger: Logger }) {
    this.#database = options.database;
    this.#config = options.config;
    this.#logger = options.logger;
  }

  get level(): Level {
    return this.#level;
  }

  /** Samples the pool now; logs when a threshold was crossed upwards. */
  check(): Level {
    const stats = this.#database.stats();
    const { pool_utilization_warn: warn, pool_utilization_critical: critical } = this.#config.settings.monitoring;
    const level: Level = stats.utilization >= critical ? "critical" : stats.utilization >= warn ? "warn" : "ok";
    const rank = { ok: 0, warn: 1, critical: 2 } as const;
    if (rank[level] > rank[this.#level]) {
      const fields = {
        event: "pool_utilization",
        threshold_level: level,
        pool: stats,
        warn_threshold: warn,
        critical_threshold: critical,
      };
      if (level === "critical") {
        this.#logger.error(fields, "database pool utilization reached the critical threshold");
      } else {
        this.#logger.warn(fields, "database pool utilization reached the warning threshold");
      }
    } else if (rank[level] < rank[this.#level]) {
      this.#logger.info(
        { event: "pool_utilization", threshold_level: level, pool: stats },
        "database pool utilization went back below a threshold",
      );
    }
    this.#level = level;
    return level;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#probing;
  }

  #schedule(): void {
    if (this.#stopped) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.check();
      // One probe at a time: a probe waiting on a full pool is not joined by another.
      this.#probing ??= this.#probe().finally(() => {
        this.#probing = undefined;
      });
      this.#schedule();
    }, this.#config.settings.monitoring.pool_check_interval_ms);
  }

  async #probe(): Promise<void> {
    const was = this.#database.reachable;
    const now = await this.#database.probe();
    if (was !== now) {
      if (now) {
        this.#logger.info({ event: "database_reachable" }, "the database is reachable again");
      } else {
        this.#logger.error({ event: "database_unreachable" }, "the database is unreachable");
      }
    }
  }
}
