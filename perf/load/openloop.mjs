// Fixed-rate, open-loop load (tools/perf): request i is due at start + i/rate whatever the answers do,
// and its latency is measured from that due time, so a slow server shows up as latency rather than as
// fewer requests (wrk's closed loop hides it: it is not a fixed rate). Debian has no wrk2; this is the
// bounded stand-in. Bounded: at most --max-inflight requests are open; a due request that finds every
// slot taken waits (`throttled` counts the times the bound was hit; the wait stays in its latency).
// Every POST carries a fresh Idempotency-Key. Node's http module only, no dependencies.
//
//   node perf/load/openloop.mjs --url URL --rate R --duration-s D --key-prefix P --body JSON
//                               [--max-inflight 256] [--timeout-ms 10000]
//
// Prints one JSON line on stdout at the end: counts, statuses and latency percentiles (ms, of the
// 2xx answers; nearest rank).
import http from "node:http";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    rate: { type: "string" },
    "duration-s": { type: "string" },
    "key-prefix": { type: "string", default: "openloop" },
    body: { type: "string", default: "{}" },
    "max-inflight": { type: "string", default: "256" },
    "timeout-ms": { type: "string", default: "10000" },
  },
});
const rate = Number(values.rate);
const durationS = Number(values["duration-s"]);
const maxInflight = Number(values["max-inflight"]);
const timeoutMs = Number(values["timeout-ms"]);
if (!values.url || !(rate > 0) || !(durationS > 0) || !(maxInflight >= 1)) {
  console.error("usage: openloop.mjs --url URL --rate R>0 --duration-s D>0 [--max-inflight N>=1] --key-prefix P --body JSON");
  process.exit(2);
}
const url = new URL(values.url);
const body = Buffer.from(values.body, "utf8");
const total = Math.max(1, Math.round(rate * durationS));
const agent = new http.Agent({ keepAlive: true, maxSockets: maxInflight });

const latencies = [];
const statuses = {};
const counts = { sent: 0, completed: 0, ok: 0, non_2xx: 0, errors: 0, timeouts: 0, throttled: 0 };
let inflight = 0;
let next = 0;
let maxLagMs = 0;
let start = 0;
let timer = null;

function send(index) {
  const due = start + (index * 1000) / rate;
  maxLagMs = Math.max(maxLagMs, performance.now() - due);
  inflight += 1;
  counts.sent += 1;
  let finished = false;
  const finish = (status, error) => {
    if (finished) return;
    finished = true;
    inflight -= 1;
    counts.completed += 1;
    if (error === "timeout") counts.timeouts += 1;
    else if (error) counts.errors += 1;
    else {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        counts.ok += 1;
        latencies.push(performance.now() - due);
      } else counts.non_2xx += 1;
    }
    pump();
  };
  const req = http.request(
    {
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": body.length,
        "idempotency-key": `${values["key-prefix"]}-${index}`,
      },
    },
    (res) => {
      res.resume();
      res.on("end", () => finish(res.statusCode, null));
      res.on("error", () => finish(0, "error"));
    },
  );
  req.setTimeout(timeoutMs, () => {
    finish(0, "timeout");
    req.destroy();
  });
  req.on("error", () => finish(0, "error"));
  req.end(body);
}

// Sends every request that is due and has a slot; then sleeps until the next one is due.
function pump() {
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
  }
  const now = performance.now();
  const due = Math.min(total, Math.floor(((now - start) * rate) / 1000) + 1);
  while (next < due && inflight < maxInflight) send(next++);
  if (next < due) {
    counts.throttled += 1; // the next due request waits for a slot; pump() runs again when one frees
    return;
  }
  if (next < total) {
    const wait = start + (next * 1000) / rate - performance.now();
    timer = setTimeout(pump, Math.max(0, wait));
  } else if (inflight === 0) {
    report();
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return Math.round(sorted[rank - 1] * 1000) / 1000;
}

let reported = false;
function report() {
  if (reported) return;
  reported = true;
  const elapsedS = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;
  const line = {
    event: "done",
    rate,
    duration_s: durationS,
    scheduled: total,
    ...counts,
    statuses,
    elapsed_s: Math.round(elapsedS * 1000) / 1000,
    max_lag_ms: Math.round(maxLagMs * 1000) / 1000,
    latency_ms: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      p999: percentile(sorted, 99.9),
      max: sorted.length ? Math.round(sorted[sorted.length - 1] * 1000) / 1000 : null,
      mean: mean === null ? null : Math.round(mean * 1000) / 1000,
    },
  };
  process.stdout.write(JSON.stringify(line) + "\n");
  agent.destroy();
}

start = performance.now();
pump();
