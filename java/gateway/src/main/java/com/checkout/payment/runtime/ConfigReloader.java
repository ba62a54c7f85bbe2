package com.checkout.payment.runtime;

import com.checkout.config.ConfigError;
import com.checkout.config.ConfigLoader;
import com.checkout.config.LintFinding;
import com.checkout.config.LoadedConfig;
import com.checkout.config.Violation;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.resilience.Operation;
import com.checkout.resilience.ResilientCall;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the config file and puts a changed, valid one in force. The path is resolved and the file
 * read again on every poll, so a swapped symlink (a Kubernetes ConfigMap's {@code ..data}) is
 * seen. An invalid file is logged with every violation and counted once per distinct problem; the
 * last good config stays in force. A file with any lint warning is refused the same way (issue 11,
 * h): a warning marks a setting that exists only to replay an incident or that is unsafe, and a
 * running service is never switched to one; at start the gateway still accepts warnings, so the
 * replay can start it on the incident's config on purpose.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Supplier<Path> resolve;
    private final Settings settings;
    private final GatewayMetrics metrics;
    private final Consumer<LoadedConfig> applied;
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
        this(resolve, settings, metrics, loaded -> { });
    }

    /**
     * A reloader that also tells another part of the gateway (the database pool) of a new config.
     *
     * @param resolve finds the config file (LOADING.md's order), called on every poll
     * @param settings where a new config is put in force
     * @param metrics counts reloads and points the config info at the new config
     * @param applied called with each config put in force, after the settings
     */
    public ConfigReloader(Supplier<Path> resolve, Settings settings, GatewayMetrics metrics,
            Consumer<LoadedConfig> applied) {
        this.resolve = resolve;
        this.settings = settings;
        this.metrics = metrics;
        this.applied = applied;
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
        Snapshot before = settings.current();
        if (loaded.fingerprint().equals(before.config().fingerprint())) {
            lastRefusal = null;
            return false;
        }
        if (!loaded.warnings().isEmpty()) {
            reject(loaded);
            return false;
        }
        lastRefusal = null;
        Map<Operation, ResilientCall<ProviderAnswer>> previous = calls();
        Snapshot after = settings.replace(loaded);
        Map<Operation, ResilientCall<ProviderAnswer>> now = calls();
        applied.accept(loaded);
        metrics.reload(true);
        metrics.configInfo(after);
        LOG.atInfo().setMessage("config_reloaded")
                .addKeyValue("path", loaded.path())
                .addKeyValue("version", loaded.settings().version())
                .addKeyValue("fingerprint", loaded.fingerprint())
                .addKeyValue("previous_fingerprint", before.config().fingerprint())
                .addKeyValue("breaker_kept", kept(previous, now, ResilientCall::breaker))
                .addKeyValue("budget_kept", kept(previous, now, ResilientCall::budget))
                .log();
        return true;
    }

    private Map<Operation, ResilientCall<ProviderAnswer>> calls() {
        Map<Operation, ResilientCall<ProviderAnswer>> calls = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            calls.put(operation, settings.upstream().operation(operation));
        }
        return calls;
    }

    // Per operation: whether the reload kept the object (an open breaker stays open) or built anew.
    private static Map<String, Boolean> kept(Map<Operation, ResilientCall<ProviderAnswer>> before,
            Map<Operation, ResilientCall<ProviderAnswer>> after,
            Function<ResilientCall<ProviderAnswer>, Object> part) {
        Map<String, Boolean> kept = new LinkedHashMap<>();
        before.forEach((operation, call) ->
                kept.put(operation.wireName(), part.apply(call) == part.apply(after.get(operation))));
        return kept;
    }

    private void reject(LoadedConfig loaded) {
        String problem = loaded.fingerprint();
        if (problem.equals(lastRefusal)) {
            return;
        }
        lastRefusal = problem;
        metrics.reload(false);
        LOG.atError().setMessage("config_reload_rejected")
                .addKeyValue("path", loaded.path())
                .addKeyValue("fingerprint", loaded.fingerprint())
                .addKeyValue("kept_fingerprint", settings.current().config().fingerprint())
                .addKeyValue("reason", "a running gateway takes no config with lint warnings; fix them, or"
                        + " restart the gateway on this config on purpose")
                .addKeyValue("findings", findings(loaded.warnings()))
                .log();
    }

    /**
     * Lint findings as log fields.
     *
     * @param findings a config's lint findings
     * @return one map per finding: pointer, rule, severity, message
     */
    public static List<Map<String, String>> findings(List<LintFinding> findings) {
        return findings.stream().map(f -> Map.of("pointer", f.pointer(), "rule", f.rule(),
                "severity", f.severity().json(), "message", f.message())).toList();
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
