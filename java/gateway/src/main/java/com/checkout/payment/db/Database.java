package com.checkout.payment.db;

import com.checkout.config.generated.TimeoutConfig.PoolSettings;
import com.checkout.resilience.ErrorClass;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The gateway's PostgreSQL: one HikariCP pool sized by {@code database.gateway_pool}
 * ({@code max_connections}; {@code acquire_timeout_ms} → connectionTimeout, also the statement
 * timeout; {@code idle_timeout_ms} → idleTimeout), over the pgjdbc driver. Its users take a
 * connection for one short statement or transaction and give it back; none keeps one across a
 * call to the payment provider.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final DatabaseUrl url;

    private Database(HikariDataSource pool, DatabaseUrl url) {
        this.pool = pool;
        this.url = url;
    }

    /** What the pool holds now, for {@code /health} and the metrics. */
    public record PoolStats(int active, int idle, int waiting, int max) {}

    /**
     * Opens the pool and checks that the database answers.
     *
     * @param url where the database is
     * @param settings {@code database.gateway_pool}
     * @return the open database
     * @throws DatabaseException {@code DB_CONNECTION} naming the URL (never its password) and how to
     *     start the dev database, when no connection can be made within {@code acquire_timeout_ms}
     */
    public static Database open(DatabaseUrl url, PoolSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gateway");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMaximumPoolSize((int) settings.maxConnections());
        // One connection kept warm; the others are closed after idle_timeout_ms unused.
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.acquireTimeoutMs());
        config.setIdleTimeout(settings.idleTimeoutMs());
        // At start, wait for a first connection as long as a request would, then give up.
        config.setInitializationFailTimeout(settings.acquireTimeoutMs());
        config.addDataSourceProperty("ApplicationName", "checkout-gateway");
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, settings.acquireTimeoutMs() / 1000)));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // Every statement of the gateway is a single-row read or write: one that runs longer than a
        // connection may take to get is stuck, and ends DB_STATEMENT_TIMEOUT instead of holding a thread.
        config.addDataSourceProperty("options", "-c statement_timeout=" + settings.acquireTimeoutMs());
        try {
            return new Database(new HikariDataSource(config), url);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new DatabaseException(ErrorClass.DB_CONNECTION, "the gateway cannot reach its database at "
                    + url.redacted() + " (" + cause.getMessage() + "): " + DatabaseUrl.DEV_HINT, cause);
        }
    }

    /**
     * Puts new pool settings in force on a config reload (HikariCP takes these three live).
     *
     * @param settings {@code database.gateway_pool}
     */
    public void reconfigure(PoolSettings settings) {
        pool.getHikariConfigMXBean().setMaximumPoolSize((int) settings.maxConnections());
        pool.getHikariConfigMXBean().setConnectionTimeout(settings.acquireTimeoutMs());
        pool.getHikariConfigMXBean().setIdleTimeout(settings.idleTimeoutMs());
    }

    /**
     * The pool's connections.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * Where the database is.
     *
     * @return the URL (its toString has no password)
     */
    public DatabaseUrl url() {
        return url;
    }

    /**
     * What the pool holds now.
     *
     * @return active (in use), idle, waiting (threads queued for a connection) and the maximum
     */
    public PoolStats stats() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        int max = pool.getHikariConfigMXBean().getMaximumPoolSize();
        if (bean == null) {
            return new PoolStats(0, 0, 0, max);
        }
        return new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(),
                bean.getThreadsAwaitingConnection(), max);
    }

    /**
     * Asks the database for {@code SELECT 1}.
     *
     * @throws DatabaseException when it does not answer
     */
    public void ping() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw DatabaseException.of("asking the database at " + url.redacted(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
