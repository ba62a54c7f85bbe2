package com.checkout.payment.db;

import com.checkout.resilience.ErrorClass;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * A database call that failed, classified by the taxonomy's database classes (SEMANTICS.md §6):
 * {@code POOL_ACQUIRE_TIMEOUT}, {@code DB_CONNECTION}, {@code DB_STATEMENT_TIMEOUT},
 * {@code DB_SERIALIZATION}, or {@code INTERNAL} for anything else (a bug, a constraint).
 */
public final class DatabaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    /**
     * A classified failure.
     *
     * @param errorClass its class
     * @param message what was being done and what the driver said
     * @param cause the driver's exception
     */
    public DatabaseException(ErrorClass errorClass, String message, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
    }

    /**
     * Classifies a driver or pool exception.
     *
     * @param doing what the gateway was doing, e.g. "claiming Idempotency-Key k"
     * @param e the exception
     * @return the classified exception
     */
    public static DatabaseException of(String doing, SQLException e) {
        return new DatabaseException(classify(e), doing + " failed: " + e.getMessage(), e);
    }

    /**
     * The class of a driver or pool exception.
     *
     * @param e the exception
     * @return the taxonomy class
     */
    public static ErrorClass classify(SQLException e) {
        // HikariCP: no connection within connectionTimeout. Its cause is the driver's error when the
        // pool's last attempt to open a connection failed (the database is what is down); without
        // one every connection was simply in use.
        if (e instanceof SQLTransientConnectionException) {
            return e.getCause() instanceof SQLException ? ErrorClass.DB_CONNECTION : ErrorClass.POOL_ACQUIRE_TIMEOUT;
        }
        String state = e.getSQLState();
        if (isConnection(state)) {
            return ErrorClass.DB_CONNECTION;
        }
        if ("57014".equals(state)) {
            return ErrorClass.DB_STATEMENT_TIMEOUT;
        }
        if ("40001".equals(state) || "40P01".equals(state)) {
            return ErrorClass.DB_SERIALIZATION;
        }
        // 57P01..57P03: the server is shutting down or not accepting connections yet; 53300: too many
        // connections.
        if (state != null && (state.startsWith("57P") || state.equals("53300"))) {
            return ErrorClass.DB_CONNECTION;
        }
        return ErrorClass.INTERNAL;
    }

    private static boolean isConnection(String state) {
        return state != null && state.startsWith("08");
    }

    /**
     * The class of the failure.
     *
     * @return a database class, or {@code INTERNAL}
     */
    public ErrorClass errorClass() {
        return errorClass;
    }
}
