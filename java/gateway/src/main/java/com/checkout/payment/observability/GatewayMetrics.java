package com.checkout.payment.observability;

import com.checkout.config.generated.Vocabulary;
import com.checkout.config.generated.Vocabulary.MetricSpec;
import com.checkout.payment.db.Database.PoolStats;
import com.checkout.payment.runtime.Snapshot;
import com.checkout.resilience.BreakerState;
import com.checkout.resilience.Operation;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.Transition;
import com.checkout.resilience.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The gateway's metrics, named and labelled exactly as config/vocabulary.json (METRICS.md) says,
 * from its generated constants (Micrometer adds the {@code _total} and {@code _seconds} suffixes;
 * the label keys come from {@link MetricLabels}): {@code service="gateway"} on every series,
 * {@code upstream="provider"} and {@code operation} ({@code charge} or {@code lookup}, SEMANTICS.md
 * §11) on the provider's.
 */
public final class GatewayMetrics {
    /** The {@code service} label of every series. */
    public static final String SERVICE = "gateway";
    /** The {@code upstream} label of the provider's series. */
    public static final String UPSTREAM = "provider";

    // The shared buckets of config/vocabulary.json (METRICS.md), in seconds.
    private static final Duration[] BUCKETS = seconds(Vocabulary.HISTOGRAM_BUCKETS_SECONDS);

    // SEMANTICS.md §3: the only transitions the breaker's one door makes.
    private static final List<List<BreakerState>> TRANSITIONS = List.of(
            List.of(BreakerState.CLOSED, BreakerState.OPEN),
            List.of(BreakerState.OPEN, BreakerState.HALF_OPEN),
            List.of(BreakerState.HALF_OPEN, BreakerState.CLOSED),
            List.of(BreakerState.HALF_OPEN, BreakerState.OPEN));
    private static final List<String> PAYMENT_STATUSES =
            MetricLabels.known(Vocabulary.PAYMENT_OUTCOMES_TOTAL, 0);

    static {
        // The kernel's operations must be the label values config/vocabulary.json lists, or a
        // dashboard would miss (or invent) an operation.
        List<String> operations = Arrays.stream(Operation.values()).map(Operation::wireName).toList();
        List<String> listed = MetricLabels.known(Vocabulary.BULKHEAD_IN_FLIGHT, 1); // upstream, operation
        if (!operations.equals(listed)) {
            throw new IllegalStateException("Operation " + operations + " is not " + listed);
        }
    }

    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger inflight = new AtomicInteger();
    // Counters and timers of the request path, by metric and label values: building and registering a
    // meter per request (tags sorted, an id looked up) was a visible share of a payment's CPU (BENCHMARKS.md).
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Operation, Timer> upstreamLatency = new EnumMap<>(Operation.class);
    private final Map<Operation, Counter> retries = new EnumMap<>(Operation.class);
    private Gauge configInfo; // guarded by this

    /** The meters that need no snapshot; {@link #bind} adds the rest. */
    public GatewayMetrics() {
        registry.config().commonTags(MetricLabels.COMMON, SERVICE);
        gauge(Vocabulary.INFLIGHT_REQUESTS, inflight::get);
        // Every counter whose labels are known up front exists at 0 from the start: Prometheus'
        // increase() needs a sample before the first event, or the first breaker trip, the
        // first refused reload or the first unknown payment is invisible to alerts.
        for (Operation operation : Operation.values()) {
            upstreamLatency.put(operation,
                    timer(Vocabulary.UPSTREAM_LATENCY_SECONDS, UPSTREAM, operation.wireName()));
            retries.put(operation, counter(Vocabulary.RETRIES_TOTAL, UPSTREAM, operation.wireName()));
            TRANSITIONS.forEach(pair -> transitions(operation, pair.get(0), pair.get(1)));
        }
        reloads(true);
        reloads(false);
        PAYMENT_STATUSES.forEach(this::paymentOutcomes);
    }

    /**
     * Registers the gauges that read the config and the provider's loops in force. Separate from
     * the constructor because the breakers' transition callback, built before them, already
     * counts here.
     *
     * @param snapshot the snapshot in force, read at every scrape
     * @param upstream the provider, whose loops in force are read at every scrape
     */
    public void bind(Supplier<Snapshot> snapshot, Upstream<?> upstream) {
        for (Operation operation : Operation.values()) {
            String name = operation.wireName();
            Supplier<ResilientCall<?>> call = () -> upstream.operation(operation);
            for (BreakerState state : BreakerState.values()) {
                gauge(Vocabulary.BREAKER_STATE, () -> call.get().breaker().state() == state ? 1 : 0,
                        UPSTREAM, name, state.wireName());
            }
            gauge(Vocabulary.RETRY_BUDGET_TOKENS, () -> call.get().budget().tokensMilli() / 1000.0,
                    UPSTREAM, name);
            gauge(Vocabulary.RETRY_BUDGET_MAX_TOKENS, () -> call.get().budget().maxMilli() / 1000.0,
                    UPSTREAM, name);
            gauge(Vocabulary.BULKHEAD_IN_FLIGHT, () -> call.get().bulkhead().inFlight(),
                    UPSTREAM, name);
            gauge(Vocabulary.BULKHEAD_MAX_CONCURRENT, () -> call.get().bulkhead().maxConcurrent(),
                    UPSTREAM, name);
        }
        configInfo(snapshot.get());
    }

    // The meters of the vocabulary, each label value given in the order of its spec's labels.
    private Gauge gauge(MetricSpec spec, Supplier<Number> value, String... labelValues) {
        return Gauge.builder(meter(spec), value).description(spec.help())
                .tags(MetricLabels.tags(spec, labelValues)).register(registry);
    }

    private Counter counter(MetricSpec spec, String... labelValues) {
        return counters.computeIfAbsent(key(spec, labelValues), unused -> Counter.builder(meter(spec))
                .description(spec.help()).tags(MetricLabels.tags(spec, labelValues)).register(registry));
    }

    private Timer timer(MetricSpec spec, String... labelValues) {
        return timers.computeIfAbsent(key(spec, labelValues), unused -> Timer.builder(meter(spec))
                .description(spec.help()).tags(MetricLabels.tags(spec, labelValues))
                .serviceLevelObjectives(BUCKETS).register(registry));
    }

    private static List<String> key(MetricSpec spec, String... labelValues) {
        List<String> key = new ArrayList<>(labelValues.length + 1);
        key.add(spec.name());
        Collections.addAll(key, labelValues);
        return key;
    }

    /**
     * Registers the database pool's gauges, {@code checkout_pool_connections} by state and
     * {@code checkout_pool_max_connections}.
     *
     * @param pool what the pool holds, read at every scrape
     */
    public void bindPool(Supplier<PoolStats> pool) {
        gauge(Vocabulary.POOL_CONNECTIONS, () -> pool.get().active(), "in_use");
        gauge(Vocabulary.POOL_CONNECTIONS, () -> pool.get().idle(), "idle");
        gauge(Vocabulary.POOL_CONNECTIONS, () -> pool.get().waiting(), "waiting");
        gauge(Vocabulary.POOL_MAX_CONNECTIONS, () -> pool.get().max());
    }

    /**
     * The routes counted by {@code checkout_requests_total} and {@code checkout_request_duration_seconds}:
     * config/METRICS.md counts business routes only, so a liveness probe ({@code GET /health}), a scrape
     * or a fetch of the API document never looks like traffic (the breaker alert fires only "while
     * requests arrive"). Each is the method, a space and the path template of openapi.json.
     */
    public static final Set<String> BUSINESS_ROUTES = Set.of("POST /payments", "GET /payments/{idempotencyKey}");

    /**
     * Counts a request answered by this service, with its duration; a route not in
     * {@link #BUSINESS_ROUTES} is not counted.
     *
     * @param route the method and the path template, e.g. {@code POST /payments}
     * @param outcome {@code success}, {@code declined}, {@code unknown} or {@code error}
     * @param errorClass the class of an error answer; empty on success
     * @param duration time to answer
     */
    public void request(String route, String outcome, String errorClass, Duration duration) {
        if (!BUSINESS_ROUTES.contains(route)) {
            return;
        }
        counter(Vocabulary.REQUESTS_TOTAL, route, outcome, errorClass).increment();
        timer(Vocabulary.REQUEST_DURATION_SECONDS, route).record(duration);
    }

    /**
     * Counts one attempt to the provider, with its duration.
     *
     * @param operation the operation the attempt ran for
     * @param result {@code success}, {@code DECLINED} or an error class
     * @param duration how long the attempt took
     */
    public void upstreamAttempt(Operation operation, String result, Duration duration) {
        counter(Vocabulary.UPSTREAM_ATTEMPTS_TOTAL, UPSTREAM, operation.wireName(), result).increment();
        upstreamLatency.get(operation).record(duration);
    }

    /**
     * Counts the retries a call scheduled: its backoff sleeps.
     *
     * @param operation the operation the call ran
     * @param sleeps the backoff sleeps it took
     */
    public void retries(Operation operation, int sleeps) {
        retries.get(operation).increment(sleeps);
    }

    /**
     * Counts a breaker transition.
     *
     * @param operation whose breaker it is
     * @param transition the event from the breaker's one door
     */
    public void transition(Operation operation, Transition transition) {
        transitions(operation, transition.from(), transition.to()).increment();
    }

    private Counter transitions(Operation operation, BreakerState from, BreakerState to) {
        return counter(Vocabulary.BREAKER_TRANSITIONS_TOTAL, UPSTREAM, operation.wireName(), from.wireName(),
                to.wireName());
    }

    /**
     * Counts a config reload attempt.
     *
     * @param success whether the new config was put in force
     */
    public void reload(boolean success) {
        reloads(success).increment();
    }

    private Counter reloads(boolean success) {
        return counter(Vocabulary.CONFIG_RELOADS_TOTAL, success ? "success" : "failure");
    }

    /**
     * Points {@code checkout_config_info} at the config in force (the old series goes away).
     *
     * @param snapshot the snapshot now in force
     */
    public synchronized void configInfo(Snapshot snapshot) {
        if (configInfo != null) {
            registry.remove(configInfo);
        }
        configInfo = gauge(Vocabulary.CONFIG_INFO, () -> 1, snapshot.config().settings().version(),
                snapshot.config().fingerprint());
    }

    /**
     * Counts a payment outcome as first reported.
     *
     * @param status {@code authorised}, {@code declined}, {@code unknown} or {@code failed}
     */
    public void paymentOutcome(String status) {
        paymentOutcomes(status).increment();
    }

    private Counter paymentOutcomes(String status) {
        return counter(Vocabulary.PAYMENT_OUTCOMES_TOTAL, status);
    }

    /**
     * The in-flight request count, raised and lowered by the app around each request.
     *
     * @return the counter behind {@code checkout_inflight_requests}
     */
    public AtomicInteger inflight() {
        return inflight;
    }

    /**
     * The Prometheus text exposition.
     *
     * @return every series
     */
    public String scrape() {
        return registry.scrape();
    }

    private static Duration[] seconds(List<Double> values) {
        return values.stream().map(s -> Duration.ofNanos(Math.round(s * 1_000_000_000L)))
                .toArray(Duration[]::new);
    }

    // Micrometer's name for a metric of the vocabulary: dotted, without the _total of a counter or
    // the _seconds of a timer, which its Prometheus naming convention adds back.
    private static String meter(MetricSpec spec) {
        String name = spec.name();
        if (spec.type().equals("counter")) {
            name = name.substring(0, name.length() - "_total".length());
        } else if (spec.type().equals("histogram")) {
            name = name.substring(0, name.length() - "_seconds".length());
        }
        return name.replace('_', '.');
    }
}
