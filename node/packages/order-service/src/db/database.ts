import type { PoolSettings } from "@checkout/core";
import { Pool, type PoolClient, type QueryResult, type QueryResultRow } from "pg";
import type { Logger } from "pino";

import { classifyDbError } from "./dbErrors.js";
import { ServiceError } from "../http/serviceError.js";

/** What the pool looks like right now (GET /health `pool`, the pool gauges). */
export interface PoolStats {
  readonly max: number;
  readonly in_use: number;
  readonly idle: number;
  readonly waiting: number;
  /** in_use / max. */
  readonly utilization: number;
}

/** Runs one statement: the pool (each statement its own transaction), or one held connection. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * The order service's PostgreSQL access: one `pg` Pool built from the config's pool settings,
 * replaced (new pool, old one drained) when a reload changes them. Every query and transaction is
 * short and classified (SEMANTICS.md §6); nothing here ever waits on anything but the database.
 */
export class Database {
  readonly #connectionString: string;
  readonly #logger: Logger;
  #settings: PoolSettings;
  #pool: Pool;
  readonly #draining = new Set<Pool>();
  #reachable = true;
  #peakInUse = 0;

  constructor(connectionString: string, settings: PoolSettings, logger: Logger) {
    this.#connectionString = connectionString;
    this.#logger = logger;
    this.#settings = settings;
    this.#pool = this.#createPool(settings);
  }

  /** The current pool (tests hold its connections to saturate it). */
  get pool(): Pool {
    return this.#pool;
  }

  get settings(): PoolSettings {
    return this.#settings;
  }

  /** Whether the last database round trip (a query, the monitor's probe) reached the server. */
  get reachable(): boolean {
    return this.#reachable;
  }

  /** The most connections the current pool had checked out at once since the last reset. */
  get peakInUse(): number {
    return this.#peakInUse;
  }

  resetPeak(): void {
    this.#peakInUse = this.stats().in_use;
  }

  stats(): PoolStats {
    const pool = this.#pool;
    const inUse = pool.totalCount - pool.idleCount;
    const max = this.#settings.max_connections;
    return { max, in_use: inUse, idle: pool.idleCount, waiting: pool.waitingCount, utilization: inUse / max };
  }

  /** One statement, its own (implicit) transaction. */
  async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
    try {
      const result = await this.#pool.query<R>(text, [...values]);
      this.#reachable = true;
      return result;
    } catch (error) {
      throw this.#failed(error);
    }
  }

  /** `work` inside BEGIN … COMMIT on one connection, released before this resolves. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw this.#failed(error);
    }
    let failure: ServiceError | undefined;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      this.#reachable = true;
      return result;
    } catch (error) {
      failure = this.#failed(error);
      if (failure.errorClass !== "DB_CONNECTION") {
        await client.query("ROLLBACK").catch(() => undefined);
      }
      throw failure;
    } finally {
      // A connection that failed mid-transaction is destroyed rather than reused.
      client.release(failure?.errorClass === "DB_CONNECTION" ? failure : undefined);
    }
  }

  /**
   * LEGACY, only for `order_service.legacy_hold_connection_during_payment` (the incident replay):
   * `work` runs in one transaction on one pooled connection that stays checked out until `work`
   * returns — across everything it awaits, a payment call included. Never used otherwise.
   */
  async holdConnection<T>(work: (connection: Queryable) => Promise<T>): Promise<T> {
    return this.transaction((client) =>
      work({
        query: <R extends QueryResultRow>(text: string, values: readonly unknown[] = []) =>
          client.query<R>(text, [...values]),
      }),
    );
  }

  /** `SELECT 1`: the health monitor's way to notice the database left or came back. */
  async probe(): Promise<boolean> {
    try {
      await this.query("SELECT 1");
      return true;
    } catch (error) {
      const classified = error instanceof ServiceError ? error : classifyDbError(error);
      // A full pool says nothing about the server; the utilization already reports it.
      return classified.errorClass === "POOL_ACQUIRE_TIMEOUT" ? this.#reachable : false;
    }
  }

  /**
   * Applies new pool settings: unchanged settings keep the pool; changed ones build a new pool that
   * takes every new request, while the old one serves the clients queued on it and then ends.
   */
  resize(settings: PoolSettings): boolean {
    const old = this.#settings;
    if (
      old.max_connections === settings.max_connections &&
      old.acquire_timeout_ms === settings.acquire_timeout_ms &&
      old.idle_timeout_ms === settings.idle_timeout_ms
    ) {
      return false;
    }
    const previous = this.#pool;
    this.#settings = settings;
    this.#pool = this.#createPool(settings);
    this.#peakInUse = 0;
    this.#drain(previous, old.acquire_timeout_ms);
    this.#logger.info(
      { from: old, to: settings },
      "database pool resized: a new pool takes new work, the old one drains",
    );
    return true;
  }

  /** Ends every pool, waiting for checked-out connections to come back. */
  async close(): Promise<void> {
    const pools = [this.#pool, ...this.#draining];
    this.#draining.clear();
    await Promise.all(pools.map((pool) => (pool.ending ? Promise.resolve() : pool.end().catch(() => undefined))));
  }

  #failed(error: unknown): ServiceError {
    const classified = classifyDbError(error);
    if (classified.errorClass === "DB_CONNECTION") {
      this.#reachable = false;
    } else if (classified.errorClass !== "POOL_ACQUIRE_TIMEOUT" && classified.errorClass !== "INTERNAL") {
      this.#reachable = true; // the server answered, if only with an error
    }
    return classified;
  }

  #drain(pool: Pool, acquireTimeoutMs: number): void {
    this.#draining.add(pool);
    let timer: NodeJS.Timeout | undefined;
    const end = (): void => {
      if (!this.#draining.delete(pool)) {
        return;
      }
      clearTimeout(timer);
      pool.removeListener("release", endWhenIdle);
      pool.end().catch((error: unknown) => this.#logger.warn({ err: error }, "ending a drained pool failed"));
    };
    const endWhenIdle = (): void => {
      if (pool.waitingCount === 0) {
        end();
      }
    };
    pool.on("release", endWhenIdle);
    // Waiters that gave up leave the queue without an event; by then every one of them has.
    timer = setTimeout(end, acquireTimeoutMs);
    timer.unref();
    endWhenIdle();
  }

  #createPool(settings: PoolSettings): Pool {
    const pool = new Pool({
      connectionString: this.#connectionString,
      max: settings.max_connections,
      connectionTimeoutMillis: settings.acquire_timeout_ms,
      idleTimeoutMillis: settings.idle_timeout_ms,
      // No statement may hold a connection longer than another request may wait for one.
      statement_timeout: settings.acquire_timeout_ms,
      application_name: "order-service",
    });
    const log = this.#logger;
    pool.on("connect", () => log.debug({ pool: counts(pool) }, "database connection opened"));
    pool.on("acquire", () => {
      const inUse = pool.totalCount - pool.idleCount;
      if (pool === this.#pool && inUse > this.#peakInUse) {
        this.#peakInUse = inUse;
      }
      log.debug({ pool: counts(pool) }, "database connection acquired");
    });
    // pg-pool passes the query's error, or null/undefined when there was none.
    pool.on("release", (error: Error | null | undefined) =>
      log.debug({ pool: counts(pool), broken: error instanceof Error }, "database connection released"),
    );
    pool.on("remove", () => log.debug({ pool: counts(pool) }, "database connection removed"));
    // An idle connection the server dropped: logged and removed by the pool, never a crash.
    pool.on("error", (error: Error) => {
      const classified = classifyDbError(error);
      if (classified.errorClass === "DB_CONNECTION") {
        this.#reachable = false;
      }
      log.warn({ err: error, error_class: classified.errorClass }, "idle database connection failed");
    });
    return pool;
  }
}

function counts(pool: Pool): Record<string, number> {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
