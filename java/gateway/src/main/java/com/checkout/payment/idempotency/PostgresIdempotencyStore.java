package com.checkout.payment.idempotency;

import com.checkout.payment.api.Json;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.resilience.ErrorClass;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link IdempotencyStore} on the table of {@code db/migration/V1__payment_records.sql}. Each method
 * is autocommitted single statements on a pooled connection held only for them. Every time
 * decision — a lease's expiry, a record's age — is the database's {@code now()}, so replicas with
 * skewed clocks agree.
 */
public final class PostgresIdempotencyStore implements IdempotencyStore {
    // A claim that keeps losing races (a row reaped or taken between our statements) gives up.
    private static final int CLAIM_ROUNDS = 8;

    private static final String COLUMNS = "request_hash, state, payment::text, answer_status, answer_body::text,"
            + " attempts, lease_token, lease_expires_at IS NOT NULL AND lease_expires_at <= now()";
    private static final String INSERT = "INSERT INTO payment_records (idempotency_key, request_hash, state,"
            + " payment, lease_token, lease_expires_at) VALUES (?, ?, 'in_flight', ?::json, gen_random_uuid(),"
            + " now() + ? * interval '1 millisecond') ON CONFLICT (idempotency_key) DO NOTHING RETURNING lease_token";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM payment_records WHERE idempotency_key = ?";
    // Takes a failed or unknown record, or one whose lease expired, exactly as it was read.
    private static final String TAKE_OVER = "UPDATE payment_records SET state = 'in_flight',"
            + " lease_token = gen_random_uuid(), lease_expires_at = now() + ? * interval '1 millisecond',"
            + " answer_status = NULL, answer_body = NULL, updated_at = now()"
            + " WHERE idempotency_key = ? AND lease_token = ? AND state = ?"
            + " AND (state <> 'in_flight' OR lease_expires_at <= now()) RETURNING lease_token";
    private static final String SETTLE = "UPDATE payment_records SET state = ?, answer_status = ?,"
            + " answer_body = ?::json, attempts = ?, lease_expires_at = NULL, updated_at = now()"
            + " WHERE idempotency_key = ? AND lease_token = ? AND state = 'in_flight'";
    private static final String ABANDON = "DELETE FROM payment_records"
            + " WHERE idempotency_key = ? AND lease_token = ? AND state = 'in_flight'";
    private static final String SETTLE_SEEN = "UPDATE payment_records SET state = ?, answer_status = ?,"
            + " answer_body = ?::json, lease_expires_at = NULL, updated_at = now()"
            + " WHERE idempotency_key = ? AND lease_token = ? AND state = ?"
            + " AND (state <> 'in_flight' OR lease_expires_at <= now())";
    // SKIP LOCKED: replicas reaping at once take different rows instead of waiting for each other.
    private static final String REAP = "DELETE FROM payment_records WHERE idempotency_key IN ("
            + " SELECT idempotency_key FROM payment_records WHERE state IN ('authorised', 'declined', 'failed')"
            + " AND updated_at <= now() - ? * interval '1 millisecond' ORDER BY updated_at LIMIT ?"
            + " FOR UPDATE SKIP LOCKED)";

    private final DataSource dataSource;

    /**
     * A store.
     *
     * @param dataSource the pool of the migrated database
     */
    public PostgresIdempotencyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Claim claim(String key, String requestHash, Payment payment, long leaseMs) {
        try (Connection connection = dataSource.getConnection()) {
            for (int round = 0; round < CLAIM_ROUNDS; round++) {
                Optional<UUID> inserted = insert(connection, key, requestHash, payment, leaseMs);
                if (inserted.isPresent()) {
                    return new Run(new PaymentRecord(key, requestHash, State.IN_FLIGHT, payment, null, 0,
                            inserted.get(), false), null);
                }
                Optional<PaymentRecord> existing = read(connection, key);
                if (existing.isEmpty()) {
                    continue; // reaped between the two statements: insert again
                }
                PaymentRecord record = existing.get();
                if (!record.requestHash().equals(requestHash)) {
                    return new PayloadMismatch(record);
                }
                if (record.state().isFinal()) {
                    return new Replay(record);
                }
                if (record.state() == State.IN_FLIGHT && !record.leaseExpired()) {
                    return new InFlight(record);
                }
                Optional<UUID> taken = takeOver(connection, record, leaseMs);
                if (taken.isPresent()) {
                    return new Run(new PaymentRecord(key, requestHash, State.IN_FLIGHT, record.payment(), null,
                            record.attempts(), taken.get(), false), record);
                }
                // Another request changed the row since it was read: decide again on what it is now.
            }
            throw new DatabaseException(ErrorClass.DB_SERIALIZATION, "claiming Idempotency-Key " + key
                    + " lost " + CLAIM_ROUNDS + " races in a row to other requests", null);
        } catch (SQLException e) {
            throw DatabaseException.of("claiming Idempotency-Key " + key, e);
        }
    }

    @Override
    public boolean settle(PaymentRecord claimed, State state, StoredAnswer answer, int attempts) {
        return update("settling Idempotency-Key " + claimed.key(), SETTLE, statement -> {
            statement.setString(1, state.dbName());
            statement.setInt(2, answer.httpStatus());
            statement.setString(3, json(answer.body()));
            statement.setInt(4, attempts);
            statement.setString(5, claimed.key());
            statement.setObject(6, claimed.leaseToken());
        }) == 1;
    }

    @Override
    public boolean abandon(PaymentRecord claimed) {
        return update("abandoning Idempotency-Key " + claimed.key(), ABANDON, statement -> {
            statement.setString(1, claimed.key());
            statement.setObject(2, claimed.leaseToken());
        }) == 1;
    }

    @Override
    public boolean settleSeen(PaymentRecord seen, State state, StoredAnswer answer) {
        return update("settling Idempotency-Key " + seen.key(), SETTLE_SEEN, statement -> {
            statement.setString(1, state.dbName());
            statement.setInt(2, answer.httpStatus());
            statement.setString(3, json(answer.body()));
            statement.setString(4, seen.key());
            statement.setObject(5, seen.leaseToken());
            statement.setString(6, seen.state().dbName());
        }) == 1;
    }

    @Override
    public Optional<PaymentRecord> get(String key) {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection, key);
        } catch (SQLException e) {
            throw DatabaseException.of("reading Idempotency-Key " + key, e);
        }
    }

    @Override
    public int reap(long retentionMs, int limit) {
        return update("reaping payment records", REAP, statement -> {
            statement.setLong(1, retentionMs);
            statement.setInt(2, limit);
        });
    }

    private static Optional<UUID> insert(Connection connection, String key, String requestHash, Payment payment,
            long leaseMs) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setString(1, key);
            statement.setString(2, requestHash);
            statement.setString(3, json(paymentJson(payment)));
            statement.setLong(4, leaseMs);
            return token(statement);
        }
    }

    private static Optional<UUID> takeOver(Connection connection, PaymentRecord record, long leaseMs)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TAKE_OVER)) {
            statement.setLong(1, leaseMs);
            statement.setString(2, record.key());
            statement.setObject(3, record.leaseToken());
            statement.setString(4, record.state().dbName());
            return token(statement);
        }
    }

    private static Optional<UUID> token(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(rows.getObject(1, UUID.class)) : Optional.empty();
        }
    }

    private static Optional<PaymentRecord> read(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setString(1, key);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                JsonNode payment = tree(row.getString(3));
                String body = row.getString(5);
                StoredAnswer answer = body == null ? null : new StoredAnswer(row.getInt(4), tree(body));
                return Optional.of(new PaymentRecord(key, row.getString(1), State.ofDb(row.getString(2)),
                        new Payment(payment.path("order_id").asText(), payment.path("amount_minor").asLong(),
                                payment.path("currency").asText()),
                        answer, row.getInt(6), row.getObject(7, UUID.class), row.getBoolean(8)));
            }
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private int update(String doing, String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.of(doing, e);
        }
    }

    private static ObjectNode paymentJson(Payment payment) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("order_id", payment.orderId());
        node.put("amount_minor", payment.amountMinor());
        node.put("currency", payment.currency());
        return node;
    }

    private static String json(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payment record failed to serialise", e);
        }
    }

    private static JsonNode tree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payment record's JSON column does not parse", e);
        }
    }
}
