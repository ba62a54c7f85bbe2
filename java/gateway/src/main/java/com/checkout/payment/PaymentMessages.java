package com.checkout.payment;

import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.resilience.BulkheadFullException;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.CircuitOpenException;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.ResilienceException;
import java.net.ConnectException;
import java.util.Locale;

/**
 * The {@code error.message} of the gateway's answers: one sentence saying what happened, whether
 * the payment may have been charged, and whether retrying is safe. The kernel's messages (which
 * start with the class, e.g. "DEADLINE_EXCEEDED: …", and speak of clocks and milli-tokens) stay
 * in the logs; {@code error.class} already names the class.
 */
final class PaymentMessages {
    /** Where an unknown outcome is settled. */
    static final String LOOKUP = "GET /payments/{idempotencyKey}";

    private static final String MAY_HAVE_CHARGED = "so the payment may have been charged: do not retry it under a"
            + " new Idempotency-Key; " + LOOKUP + " settles its outcome";
    // Issue 11 (b): a failed payment is not final, so the same key runs it again with the same body.
    private static final String SAFE_WITH_SAME_KEY = "so nothing was charged: retrying with the same"
            + " Idempotency-Key is safe";

    private PaymentMessages() {}

    /**
     * A charge that ended without an authorisation or a decline.
     *
     * @param error how the call loop ended
     * @param run the call (its result, attempts and deciding answer, and the policy it ran with)
     * @param state {@code UNKNOWN} when an attempt may have charged, else {@code FAILED}
     * @return the sentence
     */
    static String chargeEnded(ResilienceException error, ProviderCalls.Run run, State state) {
        String what = what(error, run);
        if (state == State.UNKNOWN) {
            return sentence(what + ", " + MAY_HAVE_CHARGED);
        }
        return sentence(what + ", " + nothingCharged(error));
    }

    /**
     * {@code GET /payments/{key}} could not ask the provider.
     *
     * @param error how the lookup ended
     * @param run the lookup (its result and the policy it ran with)
     * @return the sentence
     */
    static String lookupFailed(ResilienceException error, ProviderCalls.Run run) {
        return sentence("this payment's outcome is still unknown because the provider could not be asked ("
                + what(error, run) + "): do not retry it under a new Idempotency-Key;"
                + " ask " + LOOKUP + " again later");
    }

    /**
     * How a lookup ended, as a clause.
     *
     * @param error how the lookup ended
     * @param run the lookup (its result and the policy it ran with)
     * @return e.g. "the payment provider could not be reached (attempt 3)"
     */
    static String lookupEnded(ResilienceException error, ProviderCalls.Run run) {
        return what(error, run);
    }

    /** A record once unknown that the provider says it never charged. */
    static String neverCharged() {
        return sentence("the payment provider has no charge for this Idempotency-Key, " + SAFE_WITH_SAME_KEY);
    }

    /**
     * A recovered claim (its gateway stopped mid-payment) whose outcome the provider could not tell.
     *
     * @param why what the lookup found, e.g. "the provider is still processing it"
     * @return the sentence
     */
    static String recoveryUnknown(String why) {
        return sentence("the gateway that was running this payment stopped before it ended and " + why + ", "
                + MAY_HAVE_CHARGED);
    }

    /**
     * The provider holds the key with another payload: a real charge this request must not touch.
     *
     * @param key the Idempotency-Key
     * @return the sentence
     */
    static String otherPaymentAtProvider(String key) {
        return "The payment provider already holds a different payment under Idempotency-Key " + key + ", so this"
                + " request charged nothing and changed nothing: send that payment's body again, or use a new"
                + " Idempotency-Key for a new payment; " + LOOKUP + " shows the payment the key holds.";
    }

    /**
     * The database failed before any work: nothing was sent to the provider.
     *
     * @param error the database failure
     * @return the sentence
     */
    static String databaseBeforeCharge(DatabaseException error) {
        return sentence(database(error) + ", so the payment provider was not called and nothing was charged: "
                + (error.errorClass().retryable() ? "retrying with the same Idempotency-Key is safe"
                        : "retrying fails the same way until the gateway is fixed"));
    }

    /**
     * The database failed while {@code GET /payments/{key}} read or settled the record.
     *
     * @param error the database failure
     * @return the sentence
     */
    static String databaseOnLookup(DatabaseException error) {
        return sentence(database(error) + ", so this payment's outcome could not be read: asking " + LOOKUP
                + " again is safe");
    }

    private static String database(DatabaseException error) {
        return switch (error.errorClass()) {
            case POOL_ACQUIRE_TIMEOUT -> "no connection to the gateway's database was free in time";
            case DB_CONNECTION -> "the gateway's database could not be reached";
            case DB_STATEMENT_TIMEOUT -> "a statement of the gateway's database ran out of time";
            case DB_SERIALIZATION -> "the gateway's database kept losing the key to concurrent requests";
            default -> "the gateway's database refused a statement";
        };
    }

    /** The thread running a payment was interrupted: attempts may have gone out. */
    static String interrupted() {
        return sentence("the gateway stopped while the payment was in flight, " + MAY_HAVE_CHARGED);
    }

    /**
     * {@code X-Deadline-Ms} ≤ 0: the caller has stopped waiting, nothing was done.
     *
     * @param header the header's value
     * @return the sentence
     */
    static String deadlineOver(String header) {
        return sentence("X-Deadline-Ms is " + header + ", so the caller had stopped waiting and the payment provider"
                + " was not called: nothing was charged and retrying with a positive X-Deadline-Ms is safe");
    }

    /**
     * What the kernel said, without the class it puts in front (the body's {@code error.class}
     * names it already).
     *
     * @param error a kernel failure
     * @return its message without the "CLASS: " prefix
     */
    static String withoutClass(ResilienceException error) {
        String message = error.getMessage();
        String prefix = error.errorClass().name() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    // The timeout and the operation are the run's own: a lookup has its own policy (SEMANTICS.md §11).
    private static String what(ResilienceException error, ProviderCalls.Run run) {
        CallResult<ProviderAnswer> result = run.result();
        long timeoutMs = run.call().settings().timeoutMs();
        String operation = run.operation().wireName();
        int n = result.attempts();
        Integer http = result.value().map(ProviderAnswer::status).orElse(null);
        return switch (error.errorClass()) {
            case TIMEOUT -> "the payment provider did not answer attempt " + n + " within " + timeoutMs + " ms";
            case CONNECTION -> refused(error)
                    ? "the payment provider could not be reached (attempt " + n + ")"
                    : "the connection to the payment provider broke before it answered attempt " + n;
            case UPSTREAM_UNAVAILABLE -> http != null && (http < 200 || http >= 300)
                    ? "the payment provider answered attempt " + n + " with HTTP " + http
                    : "the payment provider answered attempt " + n + " with a reply the gateway cannot read";
            case OVERLOADED -> "the payment provider shed attempt " + n + " for load (HTTP " + http + ")";
            case CIRCUIT_OPEN -> "the gateway's circuit breaker is open because the payment provider kept failing,"
                    + " and the provider was not called";
            case HALF_OPEN_LIMIT -> "every trial slot of the gateway's half-open circuit breaker is taken while it"
                    + " tests whether the payment provider has recovered, and the provider was not called";
            case BULKHEAD_FULL -> bulkheadFull(error, n, operation);
            case RETRY_BUDGET_EXHAUSTED -> "attempt " + n + " to the payment provider failed ("
                    + failure(error.getCause()) + ") and the gateway's retry budget allows no retry right now";
            case DEADLINE_EXCEEDED -> deadline(error, n);
            case INVALID_REQUEST -> "the payment provider refused the " + operation + " as invalid (HTTP " + http + ")";
            case IDEMPOTENCY_CONFLICT -> http != null && http == 409
                    ? "the payment provider is still processing a charge with this Idempotency-Key"
                    : "the payment provider holds a different payment under this Idempotency-Key (HTTP " + http + ")";
            default -> "attempt " + n + " to the payment provider ended " + error.errorClass().name()
                    + (http == null ? "" : " (HTTP " + http + ")");
        };
    }

    // The kernel ends DEADLINE_EXCEEDED three ways: before any attempt, when an attempt's timeout
    // cut by the deadline ran out (its cause is the attempt's exception), or when no time was left
    // for a retry (its cause is the failed attempt's ResilienceException).
    private static String deadline(ResilienceException error, int n) {
        if (n == 0) {
            return "the request's deadline left no time to call the payment provider";
        }
        if (error.getCause() instanceof ResilienceException failed) {
            return "the request's deadline left no time to retry after attempt " + n + " failed ("
                    + failure(failed) + ")";
        }
        return "the request's deadline ran out while attempt " + n + " waited for the payment provider";
    }

    // SEMANTICS.md §11: the operation's limit per process; a refused retry still had its earlier attempts.
    private static String bulkheadFull(ResilienceException error, int n, String operation) {
        String limit = "as many " + operation + " attempts to the payment provider as its bulkhead allows"
                + " (max_concurrent " + (error instanceof BulkheadFullException full ? full.maxConcurrent() : "?")
                + ")";
        if (n == 0) {
            return "the gateway already runs " + limit + ", and the provider was not called";
        }
        return "attempt " + n + " to the payment provider failed (" + failure(error.getCause()) + ") and for the"
                + " retry the gateway already ran " + limit;
    }

    private static String nothingCharged(ResilienceException error) {
        return switch (error.errorClass()) {
            case INVALID_REQUEST, IDEMPOTENCY_CONFLICT, NOT_FOUND ->
                    "so nothing was charged: retrying the same payment fails the same way";
            case CIRCUIT_OPEN -> error instanceof CircuitOpenException open
                    ? SAFE_WITH_SAME_KEY + ", and the breaker tries the provider again in " + open.retryAfterMs() + " ms"
                    : SAFE_WITH_SAME_KEY;
            case OVERLOADED, BULKHEAD_FULL -> SAFE_WITH_SAME_KEY + " after a pause";
            default -> SAFE_WITH_SAME_KEY;
        };
    }

    private static String failure(Throwable cause) {
        if (!(cause instanceof ResilienceException failed)) {
            return "no answer";
        }
        return switch (failed.errorClass()) {
            case TIMEOUT -> "no answer in time";
            case CONNECTION -> "connection failed";
            case UPSTREAM_UNAVAILABLE -> "server error";
            default -> failed.errorClass().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String sentence(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
    }
}
