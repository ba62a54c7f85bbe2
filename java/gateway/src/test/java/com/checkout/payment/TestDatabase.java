package com.checkout.payment;

import com.checkout.payment.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;

/**
 * A database of its own on the PostgreSQL server named by {@code CHECKOUT_PG_URL} (a superuser
 * URL of its {@code postgres} database, as {@code python -m tools.pg run -- …} sets it), created
 * for one gateway under test and dropped at close. Without {@code CHECKOUT_PG_URL} a test that
 * needs one fails, saying how to run it — it is never skipped.
 */
final class TestDatabase implements AutoCloseable {
    static final String ENV = "CHECKOUT_PG_URL";
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final DatabaseUrl server;
    private final String name;
    final String url;

    private TestDatabase(DatabaseUrl server, String name, String url) {
        this.server = server;
        this.name = name;
        this.url = url;
    }

    /**
     * A new, empty database.
     *
     * @param owner names the database, for a reader of the server's logs
     * @return the database; close drops it
     */
    static TestDatabase create(Class<?> owner) {
        String serverUrl = System.getenv(ENV);
        if (serverUrl == null || serverUrl.isEmpty()) {
            Assertions.fail(ENV + " is not set: the gateway's tests need a real PostgreSQL server. Run them under"
                    + " `python -m tools.pg run -- mvn -B -f java/pom.xml verify` (or set " + ENV
                    + "=postgresql://postgres@127.0.0.1:PORT/postgres for a server of your own)");
        }
        DatabaseUrl server = DatabaseUrl.parse(serverUrl);
        String name = ("gw_" + owner.getSimpleName() + "_" + ProcessHandle.current().pid() + "_"
                + COUNT.incrementAndGet()).toLowerCase(Locale.ROOT);
        execute(server, "CREATE DATABASE " + name);
        int slash = serverUrl.lastIndexOf('/');
        int query = serverUrl.indexOf('?', slash);
        String url = serverUrl.substring(0, slash + 1) + name + (query < 0 ? "" : serverUrl.substring(query));
        return new TestDatabase(server, name, url);
    }

    /** A connection to this database, for a test that looks at or breaks its rows. */
    Connection connect() throws SQLException {
        DatabaseUrl own = DatabaseUrl.parse(url);
        return DriverManager.getConnection(own.jdbcUrl(), own.user(), own.password());
    }

    /** Runs one statement in this database. */
    void sql(String statement) {
        try (Connection connection = connect(); Statement s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " failed", e);
        }
    }

    /** The fault "the database is gone": no new connection is accepted and every open one is cut. */
    void refuseConnections() {
        execute(server, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        execute(server, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    /** The database is back. */
    void allowConnections() {
        execute(server, "ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    private static void execute(DatabaseUrl server, String statement) {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                Statement s = connection.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + " on " + server.redacted() + " failed", e);
        }
    }

    @Override
    public void close() {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
