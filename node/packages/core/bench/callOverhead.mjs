// Per-call overhead of the resilience kernel on the success path: ResilientCall (deadline, retry
// loop, breaker, budget) around a no-op attempt, against a bare call and against cockatiel, the
// library a Node user would pick instead. Not a test: from node/, `npm run bench -w @checkout/core`
// (builds first; BENCH_TIME_MS sets the time per task, default 2000).
//
// Timeouts are compared separately: the kernel runs no timer (the attempt owns its timeout, here an
// AbortSignal.timeout as a real client would), cockatiel's timeout policy starts one per call.
import { Bench } from "tinybench";
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  retry,
  timeout,
  wrap,
} from "cockatiel";

import { Bulkhead, CircuitBreaker, ResilientCall, RetryBudget, defaultClassifier, loadConfig } from "@checkout/core";

const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 2000);

const { settings: config } = loadConfig();
const payment = config.payment;

const noop = () => Promise.resolve("ok");

const kernel = new ResilientCall({
  settings: payment,
  role: "origin",
  breaker: new CircuitBreaker(payment.circuit_breaker),
  budget: new RetryBudget(payment.retry_budget),
  bulkhead: new Bulkhead(payment.bulkhead),
  classifier: defaultClassifier,
  clock: () => Math.floor(performance.now()),
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

const cockatielBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: payment.circuit_breaker.recovery_timeout_ms,
  breaker: new ConsecutiveBreaker(payment.circuit_breaker.failure_threshold),
});
const cockatielRetry = retry(handleAll, {
  maxAttempts: payment.retry.max_attempts - 1,
  backoff: new ExponentialBackoff({
    initialDelay: payment.retry.base_delay_ms,
    maxDelay: payment.retry.max_delay_ms,
    exponent: payment.retry.backoff_multiplier,
  }),
});
const cockatiel = wrap(cockatielRetry, cockatielBreaker);
const cockatielWithTimeout = wrap(
  cockatielRetry,
  cockatielBreaker,
  timeout(payment.timeout_ms, TimeoutStrategy.Cooperative),
);

const bench = new Bench({ time: TIME_MS, throws: true });
bench
  .add("bare call", async () => {
    await noop();
  })
  .add("kernel: ResilientCall.run", async () => {
    const result = await kernel.call(noop);
    if (result.outcome !== "success") throw new Error(result.outcome);
  })
  .add("cockatiel: retry + breaker", async () => {
    await cockatiel.execute(noop);
  })
  .add("kernel + AbortSignal.timeout in the attempt", async () => {
    const result = await kernel.call(({ timeoutMs }) => {
      AbortSignal.timeout(timeoutMs);
      return noop();
    });
    if (result.outcome !== "success") throw new Error(result.outcome);
  })
  .add("cockatiel: retry + breaker + timeout", async () => {
    await cockatielWithTimeout.execute(noop);
  });

await bench.run();

const bare = bench.tasks[0].result.latency.mean;
console.log(`node ${process.version}, ${TIME_MS} ms per task, config ${config.version}`);
console.log("| task | mean ns/call | ±rme % | overhead vs bare, ns | calls/s |");
console.log("|---|---:|---:|---:|---:|");
for (const task of bench.tasks) {
  const { latency } = task.result;
  const ns = latency.mean * 1e6;
  console.log(
    `| ${task.name} | ${ns.toFixed(0)} | ${latency.rme.toFixed(1)} | ${((latency.mean - bare) * 1e6).toFixed(0)} | ${(1e3 / latency.mean).toFixed(0)} |`,
  );
}
