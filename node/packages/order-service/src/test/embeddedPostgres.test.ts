// The embedded PostgreSQL of the tests (used when CHECKOUT_PG_URL is not set) works wherever a user
// clones the repo: also as root in a checkout under a directory other users cannot enter (mode 700,
// like /root), where a `postgres` system user gets EACCES on the binaries. This file always starts
// embedded servers of its own, whatever CHECKOUT_PG_URL says.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";

import pg from "pg";

import { EmbeddedDatabase, packagedBinaries, type Binaries } from "./support/embeddedPostgres.js";
import { chooseRunner } from "./support/postgresRunner.js";

const root = process.getuid?.() === 0;
const namespaces = root && chooseRunner().kind === "namespace";
const locked = mkdtempSync(path.join(tmpdir(), "order-service-mode700-"));
after(() => rmSync(locked, { recursive: true, force: true }));

/** The package's binaries (bin, lib, share) hard-linked — or copied — under a mode-700 directory. */
async function binariesUnderMode700(): Promise<Binaries> {
  const packaged = await packagedBinaries();
  const native = path.dirname(path.dirname(packaged.postgres));
  const target = path.join(locked, "checkout", "native");
  spawnSync("mkdir", ["-p", path.dirname(target)]);
  if (spawnSync("cp", ["-al", native, target]).status !== 0) {
    assert.equal(spawnSync("cp", ["-a", native, target]).status, 0, `copying ${native}`);
  }
  return { initdb: path.join(target, "bin", "initdb"), postgres: path.join(target, "bin", "postgres") };
}

async function currentUser(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ user: string }>("SELECT current_user AS user")).rows[0]?.user ?? "";
  } finally {
    await client.end();
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("the embedded PostgreSQL of the tests", () => {
  test("starts, serves, keeps its data across stop and start, and leaves nothing behind", async () => {
    const database = await EmbeddedDatabase.create();
    try {
      assert.equal(await currentUser(database.url), "postgres");
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)");
      await client.end();
      await database.stop();
      assert.ok(await refused(database.port));
      await database.start();
      const again = new pg.Client({ connectionString: database.url });
      await again.connect();
      assert.deepEqual((await again.query("SELECT n FROM kept")).rows, [{ n: 7 }]);
      await again.end();
    } finally {
      await database.destroy();
    }
    assert.equal(existsSync(database.dataDir), false, "the data dir was removed");
    assert.ok(await refused(database.port), "the server is stopped");
  });

  test(
    "as root, it runs from binaries under a mode-700 directory (through a user namespace, not a postgres user)",
    {
      skip: !root ? "only root meets the mode-700 problem" : !namespaces ? "user namespaces are not allowed here" : false,
    },
    async () => {
      const binaries = await binariesUnderMode700();
      assert.equal(statSync(locked).mode & 0o777, 0o700);
      const database = await EmbeddedDatabase.create({ binaries });
      try {
        assert.equal(database.runner.kind, "namespace");
        assert.equal(await currentUser(database.url), "postgres");
      } finally {
        await database.destroy();
      }
    },
  );
});
