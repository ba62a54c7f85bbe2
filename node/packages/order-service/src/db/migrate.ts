import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Database } from "./database.js";

// Hand-written rather than node-pg-migrate: that is a CLI-first tool, and all we need is to run
// ordered SQL files once each at start-up.

/** The package's `migrations/` folder (next to `dist/` and `src/`). */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations");

// Any constant both the service and an operator's psql agree on; it names this lock in pg_locks.
export const MIGRATION_LOCK_ID = 5_012_026;
// How long a replica waits for another one's migrations before it gives up starting.
const LOCK_WAIT = "120s";

/**
 * Applies every `NNN_name.sql` not yet in `schema_migrations`, in name order, in one transaction
 * holding an advisory lock (`pg_advisory_xact_lock`, released by the commit): replicas starting
 * together on one database queue on the lock, the first applies each file once, the others find
 * them recorded. A failing file leaves the schema as it was. The pool's `statement_timeout` (the
 * acquire timeout, meant for requests) is lifted for this one transaction: a migration, or the wait
 * for another replica's, may take longer than a request may; the lock wait is bounded by
 * `lock_timeout` instead. Returns the names applied.
 */
export async function migrate(database: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((name) => /^\d+_[\w-]+\.sql$/.test(name))
    .sort();
  return database.transaction(async (client) => {
    await client.query("SET LOCAL statement_timeout = 0");
    await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = await client.query<{ name: string }>("SELECT name FROM schema_migrations");
    const applied = new Set(done.rows.map((row) => row.name));
    const pending = files.filter((name) => !applied.has(name));
    for (const name of pending) {
      await client.query(readFileSync(path.join(dir, name), "utf8"));
      await client.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
    }
    return pending;
  });
}
