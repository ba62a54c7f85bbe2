package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.ConfigLoader;
import com.checkout.payment.GatewayHarness.Answer;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.db.DatabaseUrl;
import com.checkout.resilience.ErrorClass;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database failing under a running gateway: a 503 with the taxonomy's database class and
 * {@code "retryable": true} where the same request is safe to repeat, never a 500; and a gateway
 * that cannot reach its database does not start.
 */
class DatabaseFailureTest {
    @TempDir
    Path dir;

    @Test
    void aDatabaseThatStopsAnsweringIsA503WithItsClassAndTheProviderIsNotCalled() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            harness.database.refuseConnections();

            Answer pay = harness.pay("db-down", GatewayHarness.PAYMENT);
            assertEquals(503, pay.status(), pay.body().toString());
            assertEquals("DB_CONNECTION", pay.text("/error/class"));
            assertTrue(pay.body().at("/error/retryable").asBoolean(false), "nothing was done: the same key may retry");
            assertTrue(pay.text("/error/message").contains("nothing was charged"), pay.text("/error/message"));
            Answer status = harness.status("db-down");
            assertEquals(503, status.status());
            assertEquals("DB_CONNECTION", status.text("/error/class"));
            assertTrue(status.body().at("/error/retryable").asBoolean(false));
            Answer health = harness.get("/health");
            assertEquals(503, health.status());
            assertEquals("down", health.text("/status"));
            assertEquals("down", health.text("/database/status"));
            assertEquals(0, harness.provider.getRequestCount());

            harness.database.allowConnections();
            harness.provider.enqueue(GatewayHarness.charge(201, "db-down", "authorised"));
            assertEquals(200, harness.pay("db-down", GatewayHarness.PAYMENT).status(), "the same key, once it is back");
            assertEquals("up", harness.get("/health").text("/database/status"));
        }
    }

    // The database goes while the provider charges: the answer is still the provider's, and the record,
    // left in flight, is recovered by asking the provider once its lease runs out.
    @Test
    void aDatabaseLostDuringTheChargeStillAnswersTheChargeAndTheLeaseRecoversTheRecord() throws Exception {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            harness.provider.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    if (request.getMethod().equals("POST")) {
                        harness.database.refuseConnections();
                        return GatewayHarness.charge(201, "db-settle", "authorised");
                    }
                    return GatewayHarness.charge(200, "db-settle", "authorised");
                }
            });

            Answer answer = harness.pay("db-settle", GatewayHarness.PAYMENT);
            assertEquals(200, answer.status(), answer.body().toString());
            assertEquals("authorised", answer.text("/status"));

            harness.database.allowConnections();
            awaitDatabaseUp(harness);
            assertEquals("pending", harness.status("db-settle").text("/status"), "in flight until its lease runs out");
            TimeUnit.MILLISECONDS.sleep(6_100); // lease_ms of the shortened config
            Answer recovered = harness.status("db-settle");
            assertEquals("authorised", recovered.text("/status"), recovered.body().toString());
            assertEquals(2, harness.provider.getRequestCount(), "one charge, then one lookup: never a second charge");
        }
    }

    // A statement blocked past acquire_timeout_ms (here by a lock the test holds) ends DB_STATEMENT_TIMEOUT.
    @Test
    void aStuckStatementIsDbStatementTimeoutRetryable() throws Exception {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            harness.provider.enqueue(new MockResponse.Builder(GatewayHarness.error(503, "OVERLOADED", false))
                    .addHeader("Retry-After", "1").build());
            assertEquals("failed", harness.pay("db-lock", GatewayHarness.PAYMENT).text("/status"));
            try (Connection lock = harness.database.connect(); Statement statement = lock.createStatement()) {
                lock.setAutoCommit(false);
                statement.execute("SELECT * FROM payment_records WHERE idempotency_key = 'db-lock' FOR UPDATE");

                Answer answer = harness.pay("db-lock", GatewayHarness.PAYMENT);

                assertEquals(503, answer.status(), answer.body().toString());
                assertEquals("DB_STATEMENT_TIMEOUT", answer.text("/error/class"));
                assertTrue(answer.body().at("/error/retryable").asBoolean(false));
                lock.rollback();
            }
            assertEquals(1, harness.provider.getRequestCount());
        }
    }

    @Test
    void driverAndPoolErrorsAreClassifiedByTheTaxonomy() {
        assertEquals(ErrorClass.POOL_ACQUIRE_TIMEOUT,
                DatabaseException.classify(new SQLTransientConnectionException("gateway - Connection is not available")));
        assertEquals(ErrorClass.DB_CONNECTION, DatabaseException.classify(new SQLTransientConnectionException(
                "gateway - Connection is not available", "08001", new SQLException("refused", "08001"))));
        assertEquals(ErrorClass.DB_CONNECTION, DatabaseException.classify(new SQLException("I/O", "08006")));
        assertEquals(ErrorClass.DB_CONNECTION, DatabaseException.classify(new SQLException("shutdown", "57P01")));
        assertEquals(ErrorClass.DB_STATEMENT_TIMEOUT, DatabaseException.classify(new SQLException("cancel", "57014")));
        assertEquals(ErrorClass.DB_SERIALIZATION, DatabaseException.classify(new SQLException("deadlock", "40P01")));
        assertEquals(ErrorClass.INTERNAL, DatabaseException.classify(new SQLException("syntax", "42601")));
    }

    @Test
    void aGatewayThatCannotReachItsDatabaseDoesNotStartAndSaysHowToStartOne() {
        Path config = TestConfigs.write(dir.resolve("timeout.json"), TestConfigs.shortened());
        GatewayOptions options = new GatewayOptions("127.0.0.1", 0, URI.create("http://127.0.0.1:9"), config,
                3_600_000L, 1000, DatabaseUrl.parse("postgresql://postgres:s3cret@127.0.0.1:1/gateway"), false);

        DatabaseException refused = assertThrows(DatabaseException.class,
                () -> GatewayServer.start(options, ConfigLoader.load(config), () -> config));

        assertEquals(ErrorClass.DB_CONNECTION, refused.errorClass());
        assertTrue(refused.getMessage().contains("postgresql://postgres:***@127.0.0.1:1/gateway"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
        assertTrue(refused.getMessage().contains("python -m tools.pg up"), refused.getMessage());
    }

    // The pool finds its broken connections only on use: wait until /health has a working one again.
    private static void awaitDatabaseUp(GatewayHarness harness) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!"up".equals(harness.get("/health").text("/database/status"))) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the database did not come back on /health within 15 s");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
