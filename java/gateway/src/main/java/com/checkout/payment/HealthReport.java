package com.checkout.payment;

import com.checkout.payment.api.Json;
import com.checkout.payment.db.Database;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.observability.LatencyWindow;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.payment.runtime.Settings;
import com.checkout.payment.runtime.Snapshot;
import com.checkout.resilience.BreakerState;
import com.checkout.resilience.ResilientCall;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalDouble;

/**
 * {@code GET /health}: the charge's breaker and budget, the config in force, the provider's recent
 * latency, and the database — answered 503 (status {@code down}) while the database does not
 * answer, since this instance can then take no payment; {@code degraded} (still 200) while the
 * charge breaker is not closed.
 */
final class HealthReport {
    private final Settings settings;
    private final GatewayMetrics metrics;
    private final LatencyWindow latency;
    private final Database database;

    HealthReport(Settings settings, GatewayMetrics metrics, LatencyWindow latency, Database database) {
        this.settings = settings;
        this.metrics = metrics;
        this.latency = latency;
        this.database = database;
    }

    Reply report() {
        Snapshot snapshot = settings.current();
        // The charge's breaker and budget: whether this instance can take a payment now.
        ResilientCall<ProviderAnswer> charge = settings.upstream().charge();
        BreakerState state = charge.breaker().state();
        ObjectNode db = Json.MAPPER.createObjectNode();
        String databaseError = null;
        try {
            database.ping();
            db.put("status", "up");
        } catch (DatabaseException e) {
            databaseError = e.errorClass().name();
            db.put("status", "down");
            db.put("error_class", databaseError);
        }
        Database.PoolStats pool = database.stats();
        ObjectNode poolNode = db.putObject("pool");
        poolNode.put("active", pool.active());
        poolNode.put("idle", pool.idle());
        poolNode.put("waiting", pool.waiting());
        poolNode.put("max", pool.max());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", databaseError != null ? "down" : state == BreakerState.CLOSED ? "ok" : "degraded");
        body.put("service", GatewayMetrics.SERVICE);
        ObjectNode breaker = body.putObject("breaker");
        breaker.put("state", state.wireName());
        breaker.put("generation", charge.breaker().generation());
        ObjectNode config = body.putObject("config");
        config.put("version", snapshot.config().settings().version());
        config.put("fingerprint", snapshot.config().fingerprint());
        config.put("path", snapshot.config().path());
        config.put("loaded_at", snapshot.loadedAt().toString());
        body.set("database", db);
        body.put("inflight", metrics.inflight().get());
        ObjectNode upstream = body.putObject("upstream_latency_ms");
        putOrNull(upstream, "p50", latency.percentile(50));
        putOrNull(upstream, "p99", latency.percentile(99));
        ObjectNode budget = body.putObject("retry_budget");
        budget.put("tokens", charge.budget().tokensMilli() / 1000.0);
        budget.put("max_tokens", charge.budget().maxMilli() / 1000.0);
        return databaseError == null ? new Reply(200, body, false, "success", "")
                : new Reply(503, body, false, "error", databaseError);
    }

    private static void putOrNull(ObjectNode node, String field, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(field, Math.round(value.getAsDouble() * 100.0) / 100.0);
        } else {
            node.putNull(field);
        }
    }
}
