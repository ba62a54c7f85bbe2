import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

import { redactUrl } from "../db/databaseUrl.js";
import { freePort } from "./support/embeddedPostgres.js";
import { authorised } from "./support/fakeGateway.js";
import { orderBody, request, waitFor, writeConfig } from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "services", "order-service.js");
const CARD_LIKE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/;

interface Running {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

function run(args: readonly string[], env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, [ENTRY, ...args], {
    env: { ...process.env, CHECKOUT_CONFIG: undefined, DATABASE_URL: undefined, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => stdout.push(line));
  createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

async function listening(
  running: Running,
): Promise<{ event: string; service: string; host: string; port: number; database: string; database_throwaway: boolean }> {
  await waitFor("the listening line", () => running.stdout.length > 0 || running.child.exitCode !== null, 20_000);
  assert.equal(running.child.exitCode, null, running.stderr.join("\n"));
  return JSON.parse(running.stdout[0] ?? "") as never;
}

function events(running: Running): Record<string, unknown>[] {
  return running.stderr.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const bed = useTestBed();

describe("the order-service process", () => {
  test("an invalid config at start logs every violation and exits 2", async () => {
    const config = writeConfig([
      ["/database/pool/max_connections", 0],
      ["/payment/retry/max_attempts", 0],
    ]);
    const running = run(["--gateway-url", bed.gateway.url, "--config", config]);
    assert.equal(await running.exited, 2);
    assert.deepEqual(running.stdout, []);
    const violations = events(running).filter((line) => line["event"] === "config_violation");
    assert.deepEqual(violations.map((line) => line["pointer"]).sort(), [
      "/database/pool/max_connections",
      "/payment/retry/max_attempts",
    ]);
    assert.ok(violations.every((line) => line["error_class"] === "INVALID_CONFIG"));
  });

  test("prints its listening line, serves, and on SIGTERM finishes the request in flight before exiting 0", async () => {
    const config = writeConfig([
      ["/payment/timeout_ms", 2000],
      ["/payment/deadline_ms", 8000],
    ]);
    const running = run(
      ["--gateway-url", bed.gateway.url, "--config", config, "--port", "0", "--database-url", bed.db.url],
      { DATABASE_URL: "postgresql://nobody@127.0.0.1:1/not-this-one", CHECKOUT_DB_THROWAWAY: "1" },
    );
    try {
      const line = await listening(running);
      assert.deepEqual(
        { ...line, port: 0 },
        {
          event: "listening",
          service: "order-service",
          host: "127.0.0.1",
          port: 0,
          database: redactUrl(bed.db.url),
          database_throwaway: true,
        },
        "--database-url wins over DATABASE_URL",
      );
      const warning = events(running).find((entry) => entry["event"] === "database_throwaway");
      assert.equal(warning?.["level"], 40, "a loud warning at start");
      const url = `http://127.0.0.1:${line.port}`;

      const paid = await request(`${url}/orders`, "POST", {
        body: orderBody({ payment_token: "4111 1111 1111 1111" }),
        headers: { "Idempotency-Key": "process-1" },
      });
      assert.equal(paid.status, 201);

      bed.gateway.script([authorised(600)]);
      const inflight = request(`${url}/orders`, "POST", {
        body: orderBody(),
        headers: { "Idempotency-Key": "process-2" },
      });
      await waitFor("the payment to reach the gateway", () => bed.gateway.inflight === 1);
      running.child.kill("SIGTERM");
      const answer = await inflight;
      assert.equal(answer.status, 201, "the request in flight was finished");
      assert.equal((answer.body as { status: string }).status, "PAID");
      assert.equal(await running.exited, 0);

      const names = events(running).map((entry) => entry["event"]);
      assert.ok(names.includes("stopping") && names.includes("stopped"));
      const stderr = running.stderr.join("\n");
      assert.doesNotMatch(stderr, CARD_LIKE, "no card number in the service's log");
      assert.ok(!stderr.includes("4111"));
    } finally {
      running.child.kill("SIGKILL");
    }
  });

  test("an unreachable database at start exits 2 naming the URL without its password and what to do", async () => {
    const url = `postgresql://app:s3cret-pw@127.0.0.1:${await freePort()}/orders`;
    const running = run(["--gateway-url", bed.gateway.url, "--config", writeConfig()], { DATABASE_URL: url });
    assert.equal(await running.exited, 2);
    assert.deepEqual(running.stdout, []);
    const line = events(running).find((entry) => entry["event"] === "database_unreachable");
    assert.ok(line !== undefined, running.stderr.join("\n"));
    assert.equal(line["database"], url.replace("s3cret-pw", "***"));
    assert.equal(line["source"], "DATABASE_URL");
    assert.match(String(line["msg"]), /cannot reach the database postgresql:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/orders/);
    assert.ok(!running.stderr.join("\n").includes("s3cret-pw"), "the password is never logged");
  });
});
