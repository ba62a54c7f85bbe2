import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { Metrics, routeLabel, type GaugeSources } from "../observability/metrics.js";

const sources: GaugeSources = {
  pool: () => ({ max: 5, in_use: 0, idle: 1, waiting: 0 }),
  operation: (operation) =>
    operation === "charge"
      ? { breakerState: "closed", tokensMilli: 10_000, maxMilli: 10_000, inFlight: 3, maxConcurrent: 200 }
      : { breakerState: "open", tokensMilli: 4_500, maxMilli: 10_000, inFlight: 0, maxConcurrent: 20 },
  config: () => ({ version: "v", fingerprint: "f" }),
  inflight: () => 0,
};

describe("metrics at start-up", () => {
  test("series whose labels are known up front exist at 0 before the first event", async () => {
    const text = await new Metrics(sources).text();
    const lines: string[] = [];
    for (const operation of ["charge", "lookup"]) {
      const upstream = `service="order-service",upstream="gateway",operation="${operation}"`;
      lines.push(
        `checkout_retries_total{${upstream}} 0`,
        `checkout_breaker_transitions_total{${upstream},from="closed",to="open"} 0`,
        `checkout_breaker_transitions_total{${upstream},from="open",to="half_open"} 0`,
        `checkout_breaker_transitions_total{${upstream},from="half_open",to="closed"} 0`,
        `checkout_breaker_transitions_total{${upstream},from="half_open",to="open"} 0`,
        `checkout_upstream_latency_seconds_bucket{le="60",${upstream}} 0`,
        `checkout_upstream_latency_seconds_count{${upstream}} 0`,
      );
    }
    for (const line of [
      ...lines,
      'checkout_config_reloads_total{service="order-service",result="success"} 0',
      'checkout_config_reloads_total{service="order-service",result="failure"} 0',
      'checkout_payment_outcomes_total{service="order-service",status="authorised"} 0',
      'checkout_payment_outcomes_total{service="order-service",status="declined"} 0',
      'checkout_payment_outcomes_total{service="order-service",status="unknown"} 0',
      'checkout_payment_outcomes_total{service="order-service",status="failed"} 0',
    ]) {
      assert.ok(text.split("\n").includes(line), `missing ${line}`);
    }
    // Only SEMANTICS §3's transitions; attempt results are open-ended and appear on first use.
    assert.doesNotMatch(text, /from="closed",to="half_open"/);
    assert.doesNotMatch(text, /^checkout_upstream_attempts_total\{/m);
  });

  test("every upstream gauge has one series per operation, read from that operation", async () => {
    const text = (await new Metrics(sources).text()).split("\n");
    const upstream = 'service="order-service",upstream="gateway"';
    for (const line of [
      `checkout_breaker_state{${upstream},operation="charge",state="closed"} 1`,
      `checkout_breaker_state{${upstream},operation="charge",state="open"} 0`,
      `checkout_breaker_state{${upstream},operation="lookup",state="open"} 1`,
      `checkout_breaker_state{${upstream},operation="lookup",state="closed"} 0`,
      `checkout_retry_budget_tokens{${upstream},operation="charge"} 10`,
      `checkout_retry_budget_tokens{${upstream},operation="lookup"} 4.5`,
      `checkout_retry_budget_max_tokens{${upstream},operation="lookup"} 10`,
      `checkout_bulkhead_in_flight{${upstream},operation="charge"} 3`,
      `checkout_bulkhead_in_flight{${upstream},operation="lookup"} 0`,
      `checkout_bulkhead_max_concurrent{${upstream},operation="charge"} 200`,
      `checkout_bulkhead_max_concurrent{${upstream},operation="lookup"} 20`,
    ]) {
      assert.ok(text.includes(line), `missing ${line}`);
    }
  });

  test("the first event moves a zero series to 1", async () => {
    const metrics = new Metrics(sources);
    metrics.breakerTransition("lookup", { fromState: "closed", toState: "open", generation: 1, atMs: 0 });
    metrics.configReload("failure");
    const text = await metrics.text();
    assert.match(text, /^checkout_breaker_transitions_total\{[^}]*operation="lookup",from="closed",to="open"\} 1$/m);
    assert.match(text, /^checkout_breaker_transitions_total\{[^}]*operation="charge",from="closed",to="open"\} 0$/m);
    assert.match(text, /^checkout_config_reloads_total\{service="order-service",result="failure"\} 1$/m);
  });

  test("route is the method and the OpenAPI path template; only business routes are counted", async () => {
    assert.equal(routeLabel("POST", "/orders"), "POST /orders");
    assert.equal(routeLabel("GET", "/orders/:id"), "GET /orders/{id}");
    for (const [method, url] of [
      ["GET", "/health"],
      ["GET", "/metrics"],
      ["GET", "/openapi.json"],
      ["HEAD", "/orders/:id"],
      ["GET", undefined],
    ] as const) {
      assert.equal(routeLabel(method, url), undefined, `${method} ${url} is counted`);
    }
    const metrics = new Metrics(sources);
    metrics.request(routeLabel("GET", "/metrics"), "success", "", 0.001);
    metrics.request(routeLabel("GET", "/health"), "success", "", 0.001);
    metrics.request(routeLabel("POST", "/orders"), "success", "", 0.01);
    metrics.request(routeLabel("GET", "/orders/:id"), "error", "NOT_FOUND", 0.01);
    const text = await metrics.text();
    assert.doesNotMatch(text, /route="[^"]*(health|metrics|openapi)/);
    for (const line of [
      'checkout_requests_total{service="order-service",route="POST /orders",outcome="success",error_class=""} 1',
      'checkout_requests_total{service="order-service",route="GET /orders/{id}",outcome="error",error_class="NOT_FOUND"} 1',
      'checkout_request_duration_seconds_count{service="order-service",route="POST /orders"} 1',
    ]) {
      assert.ok(text.split("\n").includes(line), `missing ${line}`);
    }
  });
});
