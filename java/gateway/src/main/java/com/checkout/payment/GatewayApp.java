package com.checkout.payment;

import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.payment.api.ApiException;
import com.checkout.payment.api.Detail;
import com.checkout.payment.api.ErrorBody;
import com.checkout.payment.api.IdempotencyKeys;
import com.checkout.payment.api.Json;
import com.checkout.payment.api.JsonErrorHandler;
import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.api.PaymentRequestParser;
import com.checkout.payment.api.RequestBodies;
import com.checkout.payment.db.Database;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.observability.LatencyWindow;
import com.checkout.payment.runtime.InflightDeadlines;
import com.checkout.payment.runtime.Settings;
import com.checkout.resilience.Deadline;
import com.checkout.resilience.DeadlineExceededException;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.ResilienceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP API (openapi.json), wired in one place: every route and every dependency is
 * visible here. Each route is timed and counted, and answers every failure in the error shape —
 * a bad request is a 4xx naming the field, never a 500.
 */
public final class GatewayApp {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String ANSWERED = "gateway.answered";

    // Jetty's DEFAULT plus the three encodings a key needs in GET /payments/{idempotencyKey}: %2F
    // (a '/' inside the segment), %25 (a '%') and %5C (a backslash). Javalin's own default is LEGACY,
    // which lets far more through (%u0000 escapes, %2E%2E, empty segments) and was a 500 on
    // "%u002F". Routing reads the raw path, so an encoded '/' never splits the segment.
    static final UriCompliance KEY_PATHS = UriCompliance.DEFAULT.with("gateway-key-paths",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS);

    private final PaymentService payments;
    private final PaymentStatusService statuses;
    private final HealthReport health;
    private final Settings settings;
    private final GatewayMetrics metrics;
    private final LongSupplier nowMillis;
    private final byte[] openapi;
    private final InflightDeadlines deadlines = new InflightDeadlines();
    private final AtomicReference<Server> jetty = new AtomicReference<>();
    private final Javalin javalin;

    /** A route's work: the answer to send, or an {@link ApiException}. */
    @FunctionalInterface
    private interface Route {
        Reply handle(Context ctx) throws Exception;
    }

    /**
     * The app.
     *
     * @param payments the payment service
     * @param statuses the payment lookups
     * @param settings the snapshot in force, for deadlines and {@code /health}
     * @param metrics request metrics and {@code /metrics}
     * @param latency recent provider latency, for {@code /health}
     * @param nowMillis the kernel's clock, for request deadlines
     * @param database the payment records' database, for {@code /health}
     */
    public GatewayApp(PaymentService payments, PaymentStatusService statuses, Settings settings,
            GatewayMetrics metrics, LatencyWindow latency, LongSupplier nowMillis, Database database) {
        this.payments = payments;
        this.statuses = statuses;
        this.health = new HealthReport(settings, metrics, latency, database);
        this.settings = settings;
        this.metrics = metrics;
        this.nowMillis = nowMillis;
        this.openapi = resource("/openapi.json");
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(KEY_PATHS));
            config.jetty.modifyServer(server -> {
                // Counts the requests in flight; once stopping, Jetty closes the listener and this
                // answers 503 to new requests on open connections while those finish.
                server.insertHandler(new GracefulHandler());
                server.setErrorHandler(new JsonErrorHandler());
                jetty.set(server);
            });
            config.routes.post("/payments", timed("POST /payments", this::pay));
            config.routes.get("/payments/{idempotencyKey}",
                    timed("GET /payments/{idempotencyKey}", this::status));
            config.routes.get("/health", timed("GET /health", ctx -> health.report()));
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
            config.routes.get("/openapi.json", ctx -> ctx.contentType(JSON).result(openapi));
            config.routes.error(404, ctx -> unanswered(ctx, 404, ErrorClass.NOT_FOUND,
                    "no route " + ctx.method() + " " + ctx.path() + "; see GET /openapi.json"));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.atError().setMessage("unhandled_error").addKeyValue("path", ctx.path()).setCause(e).log();
                send(ctx, reply(500, ErrorClass.INTERNAL, "internal error", List.of()));
            });
        });
    }

    /**
     * Starts serving.
     *
     * @param host the address to bind
     * @param port the port; 0 picks a free one
     * @return this app
     */
    public GatewayApp start(String host, int port) {
        javalin.start(host, port);
        return this;
    }

    /**
     * The bound port.
     *
     * @return the port
     */
    public int port() {
        return javalin.port();
    }

    /**
     * Stops gracefully: no new connection is accepted and a new request on an open one gets 503,
     * while every request in flight runs to its answer — for as long as the latest of their
     * deadlines needs, but at most {@code capMs}; then whatever still runs is cut off.
     *
     * @param capMs the most to wait for the requests in flight
     * @return whether every request in flight finished before the wait ran out
     */
    public boolean stop(long capMs) {
        int inflight = deadlines.size();
        long timeoutMs = deadlines.stopTimeoutMs(nowMillis.getAsLong(), capMs);
        Server server = jetty.get();
        if (server != null) {
            server.setStopTimeout(timeoutMs);
        }
        LOG.atInfo().setMessage("draining").addKeyValue("inflight", inflight)
                .addKeyValue("stop_timeout_ms", timeoutMs).addKeyValue("cap_ms", capMs).log();
        try {
            javalin.stop();
            return true;
        } catch (RuntimeException e) {
            // Jetty stops everything, then reports that the graceful wait ran out.
            LOG.atWarn().setMessage("drain_cut_short").addKeyValue("stop_timeout_ms", timeoutMs)
                    .addKeyValue("still_inflight", deadlines.size()).addKeyValue("reason", String.valueOf(e.getCause()))
                    .log();
            return false;
        }
    }

    private Reply pay(Context ctx) throws InterruptedException {
        long arrival = nowMillis.getAsLong();
        String key = IdempotencyKeys.require(ctx.header(IdempotencyKeys.HEADER),
                "/headers/" + IdempotencyKeys.HEADER);
        long deadlineAt = deadline(ctx, arrival);
        long tracked = deadlines.add(deadlineAt);
        try {
            byte[] body = RequestBodies.read(ctx.req());
            PaymentRequest request = PaymentRequestParser.parse(body);
            return payments.pay(key, request, RequestBodies.canonicalHash(body), deadlineAt);
        } finally {
            deadlines.remove(tracked);
        }
    }

    private Reply status(Context ctx) throws InterruptedException {
        long arrival = nowMillis.getAsLong();
        String key = IdempotencyKeys.require(ctx.pathParam("idempotencyKey"), "/path/idempotencyKey");
        long deadlineAt = deadline(ctx, arrival);
        long tracked = deadlines.add(deadlineAt);
        try {
            return statuses.status(key, deadlineAt);
        } finally {
            deadlines.remove(tracked);
        }
    }

    // Issue 11 (c): a header from 1 to payment.min_deadline_ms - 1 is refused 400 before any work.
    private long deadline(Context ctx, long arrival) {
        PaymentSettings payment = settings.current().config().settings().payment();
        String header = ctx.header(Deadline.HEADER);
        try {
            return Deadline.fromHeader(arrival, header, payment.deadlineMs(), payment.minDeadlineMs());
        } catch (DeadlineExceededException e) {
            throw new ApiException(ErrorClass.DEADLINE_EXCEEDED, 504, PaymentMessages.deadlineOver(header),
                    List.of(new Detail("/headers/" + Deadline.HEADER, Deadline.HEADER + " is " + header
                            + "; expected a positive number of milliseconds")));
        } catch (ResilienceException e) {
            String problem = PaymentMessages.withoutClass(e);
            throw ApiException.invalid(problem, List.of(new Detail("/headers/" + Deadline.HEADER, problem)));
        }
    }

    private io.javalin.http.Handler timed(String route, Route work) {
        return ctx -> {
            long started = System.nanoTime();
            metrics.inflight().incrementAndGet();
            Reply reply;
            try {
                reply = work.handle(ctx);
            } catch (ApiException e) {
                ErrorBody body = e.body();
                String status = e.errorClass() == ErrorClass.DEADLINE_EXCEEDED ? "failed" : null;
                reply = new Reply(e.httpStatus(), Json.MAPPER.valueToTree(new ErrorBody(body.error(), status)),
                        false, "error", e.errorClass().name());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = reply(503, ErrorClass.INTERNAL, "The gateway stopped while handling the request, so a payment"
                        + " in it may have been charged: do not retry it under a new Idempotency-Key; "
                        + PaymentMessages.LOOKUP + " settles its outcome.", List.of());
            } catch (Exception e) {
                LOG.atError().setMessage("unhandled_error").addKeyValue("route", route).setCause(e).log();
                reply = reply(500, ErrorClass.INTERNAL, "internal error", List.of());
            } finally {
                metrics.inflight().decrementAndGet();
            }
            send(ctx, reply);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.request(route, reply.outcome(), reply.errorClass(), took);
            LOG.atInfo().setMessage("request")
                    .addKeyValue("route", route)
                    .addKeyValue("key", ctx.header(IdempotencyKeys.HEADER))
                    .addKeyValue("http_status", reply.httpStatus())
                    .addKeyValue("outcome", reply.outcome())
                    .addKeyValue("error_class", reply.errorClass())
                    .addKeyValue("replayed", reply.replayed())
                    .addKeyValue("duration_ms", Math.round(took.toNanos() / 10_000.0) / 100.0)
                    .log();
        };
    }

    private static Reply reply(int status, ErrorClass errorClass, String message, List<Detail> details) {
        return new Reply(status, Json.MAPPER.valueToTree(ErrorBody.of(errorClass, message, details)),
                false, "error", errorClass.name());
    }

    private static void unanswered(Context ctx, int status, ErrorClass errorClass, String message) {
        if (ctx.attribute(ANSWERED) == null) {
            send(ctx, reply(status, errorClass, message, List.of()));
        }
    }

    private static void send(Context ctx, Reply reply) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(reply.httpStatus()).contentType(JSON);
        if (reply.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        if (reply.httpStatus() == 503 && ErrorClass.BULKHEAD_FULL.name().equals(reply.errorClass())
                && State.FAILED.wireName().equals(reply.body().path("status").asText())) {
            // A full bulkhead sent nothing, and a slot frees whenever an attempt in flight ends:
            // the same key may come back at once (SEMANTICS.md §11).
            ctx.header("Retry-After", "1");
        }
        try {
            ctx.result(Json.MAPPER.writeValueAsBytes(reply.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body failed to serialise", e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = GatewayApp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode openapiDocument() throws IOException {
        return Json.MAPPER.readTree(resource("/openapi.json"));
    }
}
