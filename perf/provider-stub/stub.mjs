// A fixed-answer payment provider for load runs (tools/perf): POST /v1/charges answers
// 201 authorised after --delay-ms, nothing else. No ledger, no fates, no idempotency replay: it
// exists so the provider is never the bottleneck of a measurement (the simulator's aiohttp is; see
// perf/README.md). Node's http module only, no dependencies.
//
//   node perf/provider-stub/stub.mjs [--host 127.0.0.1] [--port 0] [--delay-ms 1]
//
// Prints one line on stdout once it listens: {"event":"listening","service":"provider-stub",...}.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    "delay-ms": { type: "string", default: "1" },
  },
});
const delayMs = Number(values["delay-ms"]);
if (!Number.isFinite(delayMs) || delayMs < 0) {
  console.error(`--delay-ms must be a number >= 0, got ${JSON.stringify(values["delay-ms"])}`);
  process.exit(2);
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function invalid(res, pointer, message) {
  send(res, 400, { error: { class: "INVALID_REQUEST", message, retryable: false, details: [{ pointer, message }] } });
}

function charge(req, res) {
  const key = req.headers["idempotency-key"];
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    if (typeof key !== "string" || key.length === 0 || key.length > 255) {
      invalid(res, "/headers/Idempotency-Key", "header Idempotency-Key is required (1-255 characters)");
      return;
    }
    let payment;
    try {
      payment = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      invalid(res, "", "the body is not JSON");
      return;
    }
    const answer = {
      charge_id: "ch_" + createHash("sha256").update(key).digest("hex").slice(0, 24),
      idempotency_key: key,
      status: "authorised",
      amount_minor: payment.amount_minor,
      currency: payment.currency,
    };
    if (delayMs > 0) {
      setTimeout(() => send(res, 201, answer), delayMs);
    } else {
      send(res, 201, answer);
    }
  });
}

const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/v1/charges") {
    charge(req, res);
    return;
  }
  req.resume();
  if (req.method === "GET" && req.url.startsWith("/v1/charges/")) {
    send(res, 404, { error: { class: "NOT_FOUND", message: "the stub keeps no charges", retryable: false } });
    return;
  }
  send(res, 404, { error: { class: "NOT_FOUND", message: `no route ${req.method} ${req.url}`, retryable: false } });
});
server.keepAliveTimeout = 60_000;

server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  process.stdout.write(JSON.stringify({ event: "listening", service: "provider-stub", host: address, port, delay_ms: delayMs }) + "\n");
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
