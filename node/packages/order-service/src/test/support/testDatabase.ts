// The throwaway database of one test file: a fresh database on the server of CHECKOUT_PG_URL when it
// is set (`python -m tools.pg run -- …` sets it), else an embedded PostgreSQL of the file's own.
import { randomBytes } from "node:crypto";

import pg from "pg";

import { EmbeddedDatabase } from "./embeddedPostgres.js";

/** The superuser URL of a PostgreSQL server the tests may create databases on. */
export const SERVER_URL_ENV = "CHECKOUT_PG_URL";

export interface TestDatabase {
  /** A libpq URL of this file's own database, migrated by nobody yet. */
  readonly url: string;
  /** What holds it, for messages: `server <host:port>` or `embedded <data dir>`. */
  readonly where: string;
  /** Drops the database (or stops and removes the embedded server). */
  destroy(): Promise<void>;
  /** A further empty database on the same server (e.g. for a test of migrations), dropped by {@link destroy}. */
  createDatabase(): Promise<string>;
}

/** A database for one test file; see the file comment for where it lives. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env[SERVER_URL_ENV];
  if (server !== undefined && server !== "") {
    return OnServer.create(server);
  }
  const embedded = await EmbeddedDatabase.create();
  const onEmbedded = new OnServer(embedded.serverUrl, embedded.url);
  return {
    url: embedded.url,
    where: `embedded ${embedded.dataDir}`,
    createDatabase: () => onEmbedded.createDatabase(),
    destroy: async () => {
      await onEmbedded.destroy();
      await embedded.destroy();
    },
  };
}

class OnServer implements TestDatabase {
  readonly url: string;
  readonly where: string;
  readonly #serverUrl: string;
  readonly #created: string[] = [];

  constructor(serverUrl: string, url: string) {
    this.#serverUrl = serverUrl;
    this.url = url;
    this.where = `server ${new URL(serverUrl).host}`;
  }

  static async create(serverUrl: string): Promise<OnServer> {
    const probe = new OnServer(serverUrl, serverUrl);
    const url = await probe.createDatabase();
    const onServer = new OnServer(serverUrl, url);
    onServer.#created.push(...probe.#created);
    return onServer;
  }

  async createDatabase(): Promise<string> {
    // A name of ours (never input): the process and a random part, so parallel test files never meet.
    const name = `order_service_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    await this.#admin(`CREATE DATABASE ${name}`);
    this.#created.push(name);
    const url = new URL(this.#serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async destroy(): Promise<void> {
    for (const name of this.#created.splice(0)) {
      // FORCE (PostgreSQL 13+): a connection a test left open does not keep the database alive.
      await this.#admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }

  async #admin(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.#serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }
}
