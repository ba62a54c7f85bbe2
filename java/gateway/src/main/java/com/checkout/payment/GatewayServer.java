package com.checkout.payment;

import com.checkout.config.LoadedConfig;
import com.checkout.payment.db.Database;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.db.Migrations;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.idempotency.PostgresIdempotencyStore;
import com.checkout.payment.idempotency.Reaper;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.observability.LatencyWindow;
import com.checkout.payment.provider.ProviderClient;
import com.checkout.payment.runtime.ConfigReloader;
import com.checkout.payment.runtime.Settings;
import com.checkout.resilience.Operation;
import com.checkout.resilience.Sleeper;
import com.checkout.resilience.Transition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's parts from a loaded config and starts them: the one place that decides the
 * clock, the random source, the sleeper, the database and the HTTP client.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    /** Provider attempts behind /health's p50 and p99. */
    static final int LATENCY_WINDOW = 1024;

    private final GatewayApp app;
    private final ConfigReloader reloader;
    private final Reaper reaper;
    private final Database database;
    private final Settings settings;
    private final GatewayMetrics metrics;
    private final String host;
    private final long stopGraceMs;

    private GatewayServer(GatewayApp app, ConfigReloader reloader, Reaper reaper, Database database,
            Settings settings, GatewayMetrics metrics, String host, long stopGraceMs) {
        this.app = app;
        this.reloader = reloader;
        this.reaper = reaper;
        this.database = database;
        this.settings = settings;
        this.metrics = metrics;
        this.host = host;
        this.stopGraceMs = stopGraceMs;
    }

    /**
     * Builds and starts a gateway: opens the database pool and applies the migrations first.
     *
     * @param options the command line
     * @param config the config loaded at start
     * @param configPath resolves the config file again on every reload poll
     * @return the running gateway
     * @throws DatabaseException when the database cannot be reached or migrated (nothing is started)
     */
    public static GatewayServer start(GatewayOptions options, LoadedConfig config, Supplier<Path> configPath) {
        if (options.throwawayDatabase()) {
            LOG.atWarn().setMessage("database_throwaway").addKeyValue("database_url", options.database().redacted())
                    .addKeyValue("reason", "CHECKOUT_DB_THROWAWAY=1: this database is deleted when the tool that"
                            + " started it exits, and every payment record with it").log();
        }
        Database database = Database.open(options.database(), config.settings().database().gatewayPool());
        try {
            Migrations.apply(database.dataSource());
            return start(options, config, configPath, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static GatewayServer start(GatewayOptions options, LoadedConfig config, Supplier<Path> configPath,
            Database database) {
        LongSupplier nowMillis = () -> System.nanoTime() / 1_000_000L;
        GatewayMetrics metrics = new GatewayMetrics();
        Settings settings = new Settings(config, nowMillis, () -> ThreadLocalRandom.current().nextDouble(),
                Sleeper.THREAD, (operation, transition) -> onTransition(metrics, operation, transition),
                Clock.systemUTC());
        metrics.bind(settings::current, settings.upstream());
        metrics.bindPool(database::stats);
        LatencyWindow latency = new LatencyWindow(LATENCY_WINDOW);
        ProviderCalls provider = new ProviderCalls(
                new ProviderClient(ProviderClient.defaultHttpClient(), options.providerUrl()), settings.upstream(),
                metrics, latency, nowMillis);
        IdempotencyStore store = new PostgresIdempotencyStore(database.dataSource());
        PaymentService payments = new PaymentService(settings, provider, store, metrics);
        PaymentStatusService statuses = new PaymentStatusService(provider, store);
        GatewayApp app = new GatewayApp(payments, statuses, settings, metrics, latency, nowMillis, database)
                .start(options.host(), options.port());
        Reaper reaper = new Reaper(store, () -> settings.current().config().settings().gateway().idempotency());
        reaper.start();
        ConfigReloader reloader = new ConfigReloader(configPath, settings, metrics,
                loaded -> database.reconfigure(loaded.settings().database().gatewayPool()));
        reloader.start(options.reloadIntervalMs());
        LOG.atInfo().setMessage("database_ready").addKeyValue("database_url", database.url().redacted())
                .addKeyValue("max_connections", database.stats().max()).log();
        return new GatewayServer(app, reloader, reaper, database, settings, metrics, options.host(),
                options.stopGraceMs());
    }

    // Runs under the breaker's lock: a counter and one log line, nothing that waits.
    private static void onTransition(GatewayMetrics metrics, Operation operation, Transition transition) {
        metrics.transition(operation, transition);
        LOG.atWarn().setMessage("breaker_transition")
                .addKeyValue("upstream", GatewayMetrics.UPSTREAM)
                .addKeyValue("operation", operation.wireName())
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
        reaper.close();
        boolean drained = app.stop(stopGraceMs);
        database.close();
        return drained;
    }

    /**
     * Runs one reaper round now, as its timer does.
     *
     * @return the records deleted
     */
    public int reapNow() {
        return reaper.reapNow();
    }

    @Override
    public void close() {
        stop();
    }
}
