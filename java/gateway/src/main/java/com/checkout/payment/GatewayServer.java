package com.checkout.payment;

import com.checkout.config.LoadedConfig;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.observability.LatencyWindow;
import com.checkout.payment.provider.ProviderClient;
import com.checkout.payment.runtime.ConfigReloader;
import com.checkout.payment.runtime.Settings;
import com.checkout.resilience.Sleeper;
import com.checkout.resilience.Transition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's parts from a loaded config and starts them: the one place that decides the
 * clock, the random source, the sleeper, the store's bounds and the HTTP client.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    /** Idempotency records kept at most. */
    static final int STORE_MAX_ENTRIES = 100_000;
    /** How long a settled idempotency record is kept. */
    static final long STORE_TTL_MS = Duration.ofHours(24).toMillis();
    /** Provider attempts behind /health's p50 and p99. */
    static final int LATENCY_WINDOW = 1024;

    private final GatewayApp app;
    private final ConfigReloader reloader;
    private final Settings settings;
    private final GatewayMetrics metrics;
    private final String host;
    private final long stopGraceMs;

    private GatewayServer(GatewayApp app, ConfigReloader reloader, Settings settings,
            GatewayMetrics metrics, String host, long stopGraceMs) {
        this.app = app;
        this.reloader = reloader;
        this.settings = settings;
        this.metrics = metrics;
        this.host = host;
        this.stopGraceMs = stopGraceMs;
    }

    /**
     * Builds and starts a gateway.
     *
     * @param options the command line
     * @param config the config loaded at start
     * @param configPath resolves the config file again on every reload poll
     * @return the running gateway
     */
    public static GatewayServer start(GatewayOptions options, LoadedConfig config, Supplier<Path> configPath) {
        LongSupplier nowMillis = () -> System.nanoTime() / 1_000_000L;
        GatewayMetrics metrics = new GatewayMetrics();
        Sleeper sleeper = delayMs -> {
            metrics.retry();
            Thread.sleep(delayMs);
        };
        Settings settings = new Settings(config, nowMillis, () -> ThreadLocalRandom.current().nextDouble(),
                sleeper, transition -> onTransition(metrics, transition), Clock.systemUTC());
        metrics.bind(settings::current);
        LatencyWindow latency = new LatencyWindow(LATENCY_WINDOW);
        ProviderCalls provider = new ProviderCalls(
                new ProviderClient(ProviderClient.defaultHttpClient(), options.providerUrl()), metrics, latency);
        IdempotencyStore store = new IdempotencyStore(STORE_MAX_ENTRIES, STORE_TTL_MS, nowMillis);
        PaymentService payments = new PaymentService(settings, provider, store, metrics);
        GatewayApp app = new GatewayApp(payments, settings, metrics, latency, nowMillis)
                .start(options.host(), options.port());
        ConfigReloader reloader = new ConfigReloader(configPath, settings, metrics);
        reloader.start(options.reloadIntervalMs());
        return new GatewayServer(app, reloader, settings, metrics, options.host(), options.stopGraceMs());
    }

    // Runs under the breaker's lock: a counter and one log line, nothing that waits.
    private static void onTransition(GatewayMetrics metrics, Transition transition) {
        metrics.transition(transition);
        LOG.atWarn().setMessage("breaker_transition")
                .addKeyValue("upstream", GatewayMetrics.UPSTREAM)
                .addKeyValue("from", transition.from().wireName())
                .addKeyValue("to", transition.to().wireName())
                .addKeyValue("generation", transition.generation())
                .log();
    }

    /**
     * The bound port.
     *
     * @return the port
     */
    public int port() {
        return app.port();
    }

    /**
     * The bound address.
     *
     * @return the host given
     */
    public String host() {
        return host;
    }

    /**
     * The settings in force, for tests and the reloader.
     *
     * @return the holder
     */
    public Settings settings() {
        return settings;
    }

    /**
     * The metrics, for tests.
     *
     * @return the metrics
     */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * Polls the config once now, as the reload timer does.
     *
     * @return whether a new config was put in force
     */
    public boolean reloadNow() {
        return reloader.poll();
    }

    /**
     * Stops gracefully: stops polling the config, takes no new requests and lets the ones in
     * flight finish (bounded by their deadlines and {@code --stop-grace-ms}).
     *
     * @return whether every request in flight finished
     */
    public boolean stop() {
        reloader.close();
        return app.stop(stopGraceMs);
    }

    @Override
    public void close() {
        stop();
    }
}
