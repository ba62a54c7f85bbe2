// Not a test: how many database connections 200 concurrent orders take when every payment takes 2 s
// at the gateway. Because no connection is held across the payment call, the peak stays far below
// the pool's 50. Run from node/: `npm run measure:pool -w @checkout/order-service`
// (ORDERS and GATEWAY_DELAY_MS override the defaults).
import { performance } from "node:perf_hooks";

import { FakeGateway, authorised } from "../test/support/fakeGateway.js";
import { SHIPPED_CONFIG, orderBody, postOrder, startDatabase, startService } from "../test/support/harness.js";

const ORDERS = Number(process.env["ORDERS"] ?? 200);
const GATEWAY_DELAY_MS = Number(process.env["GATEWAY_DELAY_MS"] ?? 2000);

const db = await startDatabase();
const gateway = await FakeGateway.start();
// The shipped config as it is: pool 50, acquire 15 s, payment timeout 20 s.
const service = await startService({ db, gateway, configPath: SHIPPED_CONFIG, logLevel: "warn" });
try {
  gateway.script([], authorised(GATEWAY_DELAY_MS));
  service.database.resetPeak();
  let sampledPeak = 0;
  let peakWaiting = 0;
  const sampler = setInterval(() => {
    const stats = service.database.stats();
    sampledPeak = Math.max(sampledPeak, stats.in_use);
    peakWaiting = Math.max(peakWaiting, stats.waiting);
  }, 5);

  const started = performance.now();
  const latencies: number[] = [];
  const answers = await Promise.all(
    Array.from({ length: ORDERS }, async (_, i) => {
      const begin = performance.now();
      const answer = await postOrder(service, orderBody({ customer_id: `load-${i}` }));
      latencies.push(performance.now() - begin);
      return answer;
    }),
  );
  const totalMs = performance.now() - started;
  clearInterval(sampler);

  const statuses: Record<string, number> = {};
  for (const answer of answers) {
    const key = `${answer.status} ${(answer.body as { status?: string }).status ?? ""}`.trim();
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  process.stdout.write(
    `${JSON.stringify(
      {
        orders: ORDERS,
        gateway_delay_ms: GATEWAY_DELAY_MS,
        pool_max_connections: service.database.stats().max,
        peak_pool_in_use: service.database.peakInUse,
        peak_pool_in_use_sampled_5ms: sampledPeak,
        peak_pool_waiting: peakWaiting,
        total_ms: Math.round(totalMs),
        latency_ms: { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) },
        answers: statuses,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await service.close();
  await gateway.close();
  await db.destroy();
}
