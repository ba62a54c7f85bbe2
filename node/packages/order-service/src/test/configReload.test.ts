import assert from "node:assert/strict";
import { renameSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { authorised, errorAnswer } from "./support/fakeGateway.js";
import {
  configText,
  orderBody,
  postOrder,
  request,
  SHORT,
  startService,
  tempDir,
  waitFor,
  writeConfig,
} from "./support/harness.js";
import { useTestBed } from "./support/testBed.js";

const bed = useTestBed();

async function healthConfig(
  url: string,
): Promise<{ version: string; fingerprint: string; path: string; loaded_at: string }> {
  return ((await request(`${url}/health`, "GET")).body as { config: never }).config;
}

async function metricsText(url: string): Promise<string> {
  return (await request(`${url}/metrics`, "GET")).body as string;
}

describe("config reload with last-known-good", () => {
  test("a valid new file swaps the config; the pool is rebuilt at its new size; an open breaker survives an unrelated edit", async () => {
    const service = await startService({ db: bed.db, gateway: bed.gateway });
    try {
      const first = await healthConfig(service.url);
      bed.gateway.script([], errorAnswer(502, "UPSTREAM_UNAVAILABLE", "failed"));
      for (let i = 0; i < 5; i++) {
        await postOrder(service, orderBody());
      }
      const breaker = service.app.payments.upstream.charge.breaker;
      assert.equal(breaker.state, "open");
      const lookupBreaker = service.app.payments.upstream.lookup.breaker;
      const oldPool = service.database.pool;

      writeConfig(
        [
          ["/version", "test-reloaded"],
          ["/database/pool/max_connections", 3],
        ],
        service.configPath,
      );
      assert.equal(service.config.reload(), "success");
      const second = await healthConfig(service.url);
      assert.equal(second.version, "test-reloaded");
      assert.notEqual(second.fingerprint, first.fingerprint);
      assert.ok(second.loaded_at >= first.loaded_at);
      assert.equal(service.database.stats().max, 3);
      assert.notEqual(service.database.pool, oldPool, "a new pool");
      await waitFor("the old pool to end", () => oldPool.ending);
      assert.equal(service.app.payments.upstream.charge.breaker, breaker, "breaker settings unchanged: same breaker, still open");

      writeConfig(
        [
          ["/version", "test-reloaded-2"],
          ["/database/pool/max_connections", 3],
          ["/payment/circuit_breaker/failure_threshold", 7],
          ["/payment/lookup/bulkhead/max_concurrent", 7],
        ],
        service.configPath,
      );
      assert.equal(service.config.reload(), "success");
      assert.notEqual(service.app.payments.upstream.charge.breaker, breaker);
      assert.equal(service.app.payments.upstream.charge.breaker.state, "closed");
      assert.equal(service.app.payments.upstream.charge.breaker.settings.failure_threshold, 7);
      assert.equal(service.app.payments.upstream.lookup.breaker, lookupBreaker, "the lookup's breaker settings did not change");
      assert.match(
        await metricsText(service.url),
        /^checkout_bulkhead_max_concurrent\{service="order-service",upstream="gateway",operation="lookup"\} 7$/m,
      );

      bed.gateway.script([], {
        behaviour: { kind: "answer", status: 200, body: { status: "authorised" } },
        records: "authorised",
      });
      assert.equal(
        ((await postOrder(service, orderBody())).body as { status: string }).status,
        "PAID",
        "the new pool serves",
      );
      assert.match(
        await metricsText(service.url),
        /checkout_config_reloads_total\{service="order-service",result="success"\} 2/,
      );
    } finally {
      await service.close();
    }
  });

  test("an invalid file is rejected with every violation logged, counted once, and the last good config stays", async () => {
    const service = await startService({ db: bed.db, gateway: bed.gateway });
    try {
      const good = await healthConfig(service.url);
      // Lint error (timeout below the provider's p99) and a schema error in one file.
      writeFileSync(
        service.configPath,
        configText([...SHORT, ["/payment/timeout_ms", 200], ["/database/pool/max_connections", 0]]),
      );
      assert.equal(service.config.reload(), "failure");
      assert.equal(service.config.reload(), "unchanged", "the same bad bytes are not reported again");
      writeFileSync(service.configPath, "{ not json");
      assert.equal(service.config.reload(), "failure");

      assert.deepEqual(await healthConfig(service.url), good);
      assert.equal(service.database.stats().max, 5);
      const rejected = service.records().filter((record) => record["event"] === "config_reload_rejected");
      assert.equal(rejected.length, 2);
      const pointers = (rejected[0]?.["violations"] as { pointer: string }[]).map((violation) => violation.pointer);
      assert.deepEqual(
        pointers,
        ["/database/pool/max_connections"],
        "the schema refuses first; lint runs only on a schema-valid file",
      );
      assert.equal((rejected[1]?.["violations"] as { rule: string }[])[0]?.rule, "parse");
      assert.match(
        await metricsText(service.url),
        /checkout_config_reloads_total\{service="order-service",result="failure"\} 2/,
      );

      writeConfig([["/payment/timeout_ms", 200]], service.configPath);
      assert.equal(service.config.reload(), "failure");
      const lint = service.records().filter((record) => record["event"] === "config_reload_rejected")[2];
      assert.deepEqual(
        (lint?.["violations"] as { pointer: string; rule: string }[]).map((v) => [v.pointer, v.rule]),
        [["/payment/timeout_ms", "payment-timeout-covers-p99"]],
      );
      assert.equal((await postOrder(service, orderBody())).status, 201, "the service runs on");
    } finally {
      await service.close();
    }
  });

  test("a reload with a lint warning is refused: the replay-only hold-connection switch cannot be turned on in a running service", async () => {
    const service = await startService({ db: bed.db, gateway: bed.gateway });
    try {
      const good = await healthConfig(service.url);
      writeConfig(
        [
          ["/version", "test-legacy-on"],
          ["/order_service/legacy_hold_connection_during_payment", true],
        ],
        service.configPath,
      );
      assert.equal(service.config.reload(), "failure");
      assert.deepEqual(await healthConfig(service.url), good, "the last good config stays");
      assert.equal(service.config.settings.order_service.legacy_hold_connection_during_payment, false);
      const rejected = service.records().filter((record) => record["event"] === "config_reload_rejected");
      assert.equal(rejected.length, 1);
      assert.deepEqual(
        (rejected[0]?.["violations"] as { pointer: string; rule: string }[]).map((v) => [v.pointer, v.rule]),
        [["/order_service/legacy_hold_connection_during_payment", "legacy-hold-connection-off"]],
      );
      assert.match(
        await metricsText(service.url),
        /checkout_config_reloads_total\{service="order-service",result="failure"\} 1/,
      );

      // Payments still hold no connection while they are at the gateway.
      bed.gateway.script([authorised(200)]);
      const paying = postOrder(service, orderBody());
      await waitFor("the payment to reach the gateway", () => bed.gateway.inflight === 1);
      assert.equal(service.database.stats().in_use, 0);
      assert.equal((await paying).status, 201);
    } finally {
      await service.close();
    }
  });

  test("a reload cannot turn on the replay-only retry-as-a-new-payment switch either", async () => {
    const service = await startService({ db: bed.db, gateway: bed.gateway });
    try {
      writeConfig(
        [
          ["/version", "test-legacy-retry-on"],
          ["/order_service/legacy_retry_timeout_as_new_payment", true],
        ],
        service.configPath,
      );
      assert.equal(service.config.reload(), "failure");
      assert.equal(service.config.settings.order_service.legacy_retry_timeout_as_new_payment, false);
      const rejected = service.records().filter((record) => record["event"] === "config_reload_rejected");
      assert.deepEqual(
        (rejected[0]?.["violations"] as { pointer: string; rule: string }[]).map((v) => [v.pointer, v.rule]),
        [["/order_service/legacy_retry_timeout_as_new_payment", "legacy-retry-timeout-as-new-payment-off"]],
      );
    } finally {
      await service.close();
    }
  });

  test("a start with a lint warning is allowed: the replay starts on the incident's config on purpose", async () => {
    const service = await startService({
      db: bed.db,
      gateway: bed.gateway,
      edits: [["/order_service/legacy_hold_connection_during_payment", true]],
    });
    try {
      assert.equal(service.config.settings.order_service.legacy_hold_connection_during_payment, true);
      assert.equal(service.config.active.loaded.warnings[0]?.rule, "legacy-hold-connection-off");
    } finally {
      await service.close();
    }
  });

  test("a Kubernetes-style ..data symlink swap is picked up by the poller", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "v1"));
    mkdirSync(path.join(dir, "v2"));
    writeConfig([["/version", "cm-v1"]], path.join(dir, "v1", "timeout.json"));
    writeConfig([["/version", "cm-v2"]], path.join(dir, "v2", "timeout.json"));
    symlinkSync("v1", path.join(dir, "..data"));
    symlinkSync(path.join("..data", "timeout.json"), path.join(dir, "timeout.json"));
    const service = await startService({ db: bed.db, gateway: bed.gateway, configPath: path.join(dir, "timeout.json") });
    try {
      service.config.start(20);
      assert.equal((await healthConfig(service.url)).version, "cm-v1");
      // The atomic swap a ConfigMap update does: a new link renamed over the old one.
      symlinkSync("v2", path.join(dir, "..data_tmp"));
      renameSync(path.join(dir, "..data_tmp"), path.join(dir, "..data"));
      await waitFor(
        "the poller to see the new version",
        async () => (await healthConfig(service.url)).version === "cm-v2",
      );
      assert.equal((await healthConfig(service.url)).path, path.join(dir, "timeout.json"));
    } finally {
      await service.close();
    }
  });
});
