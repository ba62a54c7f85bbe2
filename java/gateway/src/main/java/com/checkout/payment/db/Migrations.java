package com.checkout.payment.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL files of {@code src/main/resources/db/migration} in order, each once, each in its
 * own transaction, recording version, name and checksum in {@code gateway_schema_migrations}.
 *
 * <p>Why this and not Flyway: the gateway has one table and a handful of statements; Flyway 10+
 * needs a second artifact for PostgreSQL and brings a large engine whose own locking we would
 * still have to trust and explain. This class is the whole mechanism: every replica starting at
 * once takes the same session-level {@code pg_advisory_lock} first, so one applies the files and
 * the others wait, then find them applied and only compare checksums. A file changed after it was
 * applied stops the start-up (migrations are append-only: add a V2, never edit V1).
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** The files, in the order they are applied; MigrationsTest checks this against the folder. */
    public static final List<String> FILES = List.of("V1__payment_records.sql");

    /** The advisory lock's key: any constant no other user of the database takes. */
    static final long LOCK_KEY = 0x6761746577617931L; // "gateway1"

    private Migrations() {}

    /**
     * Applies every file not yet applied.
     *
     * @param dataSource the database
     * @return how many files this call applied
     * @throws DatabaseException when the database fails or an applied file was changed
     */
    public static int apply(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement lock = connection.createStatement()) {
                lock.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            }
            try {
                return applyLocked(connection);
            } finally {
                try (Statement unlock = connection.createStatement()) {
                    unlock.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                }
            }
        } catch (SQLException e) {
            throw DatabaseException.of("applying the database migrations", e);
        }
    }

    private static int applyLocked(Connection connection) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS gateway_schema_migrations (version integer PRIMARY KEY,"
                    + " name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        Map<Integer, String> applied = new HashMap<>();
        try (Statement read = connection.createStatement();
                ResultSet rows = read.executeQuery("SELECT version, checksum FROM gateway_schema_migrations")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        int count = 0;
        for (String file : FILES) {
            int version = version(file);
            String sql = read(file);
            String checksum = sha256(sql);
            String before = applied.get(version);
            if (before != null) {
                if (!before.equals(checksum)) {
                    throw new SQLException("migration " + file + " was changed after it was applied (checksum "
                            + checksum + ", applied " + before + "); expected migrations to be append-only");
                }
                continue;
            }
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement script = connection.createStatement();
                    PreparedStatement record = connection.prepareStatement(
                            "INSERT INTO gateway_schema_migrations (version, name, checksum) VALUES (?, ?, ?)")) {
                script.execute(sql);
                record.setInt(1, version);
                record.setString(2, file);
                record.setString(3, checksum);
                record.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            LOG.atInfo().setMessage("migration_applied").addKeyValue("file", file).log();
            count++;
        }
        return count;
    }

    static int version(String file) {
        int cut = file.indexOf("__");
        if (!file.startsWith("V") || cut < 2 || !file.endsWith(".sql")) {
            throw new IllegalStateException("migration file " + file + "; expected V<number>__<name>.sql");
        }
        return Integer.parseInt(file.substring(1, cut));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String read(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
