// Migrations at start are safe when several replicas start at once on one database.
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { loadConfig } from "@checkout/core";

import { Database } from "../db/database.js";
import { MIGRATIONS_DIR, migrate } from "../db/migrate.js";
import { createLogger } from "../observability/logger.js";
import { tempDir, writeConfig } from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed({ gateway: false });
const logger = createLogger({ level: "silent" });

/** The service's migrations plus one that takes longer than a request may hold a connection (300 ms). */
function migrationsWithASlowOne(): string {
  const dir = tempDir();
  for (const name of readdirSync(MIGRATIONS_DIR)) {
    copyFileSync(path.join(MIGRATIONS_DIR, name), path.join(dir, name));
  }
  writeFileSync(path.join(dir, "900_slow.sql"), "SELECT pg_sleep(0.6); CREATE TABLE slow_marker (id int);\n");
  return dir;
}

describe("migrations", () => {
  test("four replicas starting at once on a fresh database: each file applied once, every replica starts", async () => {
    const url = await bed.db.createDatabase();
    const settings = loadConfig(writeConfig()).settings.database.pool; // statement_timeout 300 ms
    const dir = migrationsWithASlowOne();
    const replicas = Array.from({ length: 4 }, () => new Database(url, settings, logger));
    try {
      const applied = await Promise.all(replicas.map((database) => migrate(database, dir)));
      const files = readdirSync(dir).sort();
      assert.deepEqual(
        applied.map((names) => names.length).sort(),
        [0, 0, 0, files.length],
        "one replica applied them all; the others waited for it and found them applied",
      );
      const recorded = await replicas[0]!.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
      assert.deepEqual(
        recorded.rows.map((row) => row.name),
        files,
      );
      assert.deepEqual(await migrate(replicas[1]!, dir), [], "a later start applies nothing");
    } finally {
      await Promise.all(replicas.map((database) => database.close()));
    }
  });
});
