package com.checkout.payment.idempotency;

import com.checkout.config.generated.TimeoutConfig.IdempotencySettings;
import com.checkout.payment.db.DatabaseException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished payment records older than {@code gateway.idempotency.retention_ms} every
 * {@code reaper_interval_ms} (both read from the config in force at each round), in batches of
 * {@link #BATCH} rows and at most {@link #MAX_BATCHES} batches a round, so one round never holds
 * many locks or runs long. Every replica runs one; their batches skip each other's rows.
 */
public final class Reaper implements AutoCloseable {
    /** Rows one statement deletes at most. */
    public static final int BATCH = 500;
    /** Batches one round runs at most; what is left waits for the next round. */
    public static final int MAX_BATCHES = 20;

    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final IdempotencyStore store;
    private final Supplier<IdempotencySettings> settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "payment-reaper");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * A reaper; {@link #start} schedules it.
     *
     * @param store the records
     * @param settings the idempotency settings in force
     */
    public Reaper(IdempotencyStore store, Supplier<IdempotencySettings> settings) {
        this.store = store;
        this.settings = settings;
    }

    /** Schedules the first round one interval from now. */
    public void start() {
        schedule();
    }

    /**
     * Runs one round now.
     *
     * @return the records deleted
     */
    public int reapNow() {
        long retentionMs = settings.get().retentionMs();
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int deleted = store.reap(retentionMs, BATCH);
            total += deleted;
            if (deleted < BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.atInfo().setMessage("payment_records_reaped").addKeyValue("deleted", total)
                    .addKeyValue("retention_ms", retentionMs).log();
        }
        return total;
    }

    private void schedule() {
        if (!timer.isShutdown()) {
            timer.schedule(this::round, settings.get().reaperIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void round() {
        try {
            reapNow();
        } catch (DatabaseException e) {
            LOG.atWarn().setMessage("payment_reaper_failed").addKeyValue("error_class", e.errorClass().name())
                    .addKeyValue("reason", e.getMessage()).log();
        } catch (RuntimeException e) {
            // A bug must not end the reaper: the next round tries again.
            LOG.atError().setMessage("payment_reaper_failed").setCause(e).log();
        } finally {
            try {
                schedule();
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
