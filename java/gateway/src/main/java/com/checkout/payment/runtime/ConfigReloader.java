package com.checkout.payment.runtime;

import com.checkout.config.ConfigError;
import com.checkout.config.ConfigLoader;
import com.checkout.config.LoadedConfig;
import com.checkout.config.Violation;
import com.checkout.payment.observability.GatewayMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the config file and puts a changed, valid one in force. The path is resolved and the file
 * read again on every poll, so a swapped symlink (a Kubernetes ConfigMap's {@code ..data}) is
 * seen. An invalid file is logged with every violation and counted once per distinct problem; the
 * last good config stays in force.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Supplier<Path> resolve;
    private final Settings settings;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "config-reload");
        thread.setDaemon(true);
        return thread;
    });
    private String lastRefusal; // only touched by the poll, which never overlaps itself

    /**
     * A reloader.
     *
     * @param resolve finds the config file (LOADING.md's order), called on every poll
     * @param settings where a new config is put in force
     * @param metrics counts reloads and points the config info at the new config
     */
    public ConfigReloader(Supplier<Path> resolve, Settings settings, GatewayMetrics metrics) {
        this.resolve = resolve;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Starts polling.
     *
     * @param intervalMs time between polls
     */
    public void start(long intervalMs) {
        timer.scheduleWithFixedDelay(this::pollSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Polls once: loads the file and puts it in force when its fingerprint differs.
     *
     * @return whether a new config was put in force
     */
    public synchronized boolean poll() {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoader.load(resolve.get());
        } catch (ConfigError refused) {
            refuse(refused);
            return false;
        }
        lastRefusal = null;
        Snapshot before = settings.current();
        if (loaded.fingerprint().equals(before.config().fingerprint())) {
            return false;
        }
        Snapshot after = settings.replace(loaded);
        metrics.reload(true);
        metrics.configInfo(after);
        LOG.atInfo().setMessage("config_reloaded")
                .addKeyValue("path", loaded.path())
                .addKeyValue("version", loaded.settings().version())
                .addKeyValue("fingerprint", loaded.fingerprint())
                .addKeyValue("previous_fingerprint", before.config().fingerprint())
                .addKeyValue("breaker_kept", after.breaker() == before.breaker())
                .addKeyValue("budget_kept", after.budget() == before.budget())
                .addKeyValue("warnings", loaded.warnings().stream().map(w -> w.pointer() + ": " + w.message()).toList())
                .log();
        return true;
    }

    private void refuse(ConfigError refused) {
        String problem = refused.getMessage();
        if (problem.equals(lastRefusal)) {
            return;
        }
        lastRefusal = problem;
        metrics.reload(false);
        LOG.atError().setMessage("config_reload_refused")
                .addKeyValue("error_class", refused.errorClass())
                .addKeyValue("path", refused.source())
                .addKeyValue("kept_fingerprint", settings.current().config().fingerprint())
                .addKeyValue("violations", violations(refused.violations()))
                .log();
    }

    /**
     * The violations as log fields.
     *
     * @param violations a refused config's violations
     * @return one map per violation: pointer, rule, message
     */
    public static List<Map<String, String>> violations(List<Violation> violations) {
        return violations.stream()
                .map(v -> Map.of("pointer", v.pointer(), "rule", v.rule(), "message", v.message()))
                .toList();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // A bug must not end the polling thread: the next poll tries again.
            LOG.atError().setMessage("config_reload_failed").setCause(e).log();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
