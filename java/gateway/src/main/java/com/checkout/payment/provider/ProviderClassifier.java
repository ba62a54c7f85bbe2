package com.checkout.payment.provider;

import com.checkout.resilience.AttemptVerdict;
import com.checkout.resilience.Classifier;
import com.checkout.resilience.ErrorClass;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;

/**
 * Classifies the provider's answers "at a call site" (SEMANTICS.md §6) with the kernel's
 * {@link AttemptVerdict#classifyAnswer}: by the body's {@code error.class} when that class has a
 * breaker outcome, otherwise by status — 429, or 503 with {@code Retry-After}, is
 * {@code OVERLOADED}; any other 5xx {@code UPSTREAM_UNAVAILABLE}; any other 4xx
 * {@code INVALID_REQUEST}. A charge the provider declined is {@code DECLINED}; for a lookup, any
 * charge found is a success. Each is bound to its operation of the provider's
 * {@link com.checkout.resilience.Upstream} at construction.
 */
public final class ProviderClassifier implements Classifier<ProviderAnswer> {
    /** For {@code POST /v1/charges}: declined is an answer of its own. */
    public static final ProviderClassifier CHARGE = new ProviderClassifier(true);
    /** For {@code GET /v1/charges/{key}}: any charge found, declined too, is a success. */
    public static final ProviderClassifier LOOKUP = new ProviderClassifier(false);

    private final boolean charge;

    private ProviderClassifier(boolean charge) {
        this.charge = charge;
    }

    @Override
    public AttemptVerdict classifyResult(ProviderAnswer answer) {
        return end(answer).verdict();
    }

    @Override
    public AttemptVerdict classifyError(Exception error) {
        return end(error).verdict();
    }

    /**
     * How an answer ends an attempt, and whether the payment may have been charged without this
     * gateway learning it.
     *
     * @param answer the provider's answer
     * @return the attempt's end
     */
    public AttemptEnd end(ProviderAnswer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            Optional<String> chargeStatus = answer.text("status");
            if (answer.text("charge_id").isPresent() && chargeStatus.isPresent()) {
                if (charge && chargeStatus.get().equals("declined")) {
                    return AttemptEnd.answer(AttemptVerdict.of(ErrorClass.DECLINED));
                }
                if (!charge || chargeStatus.get().equals("authorised")) {
                    return AttemptEnd.answer(AttemptVerdict.SUCCESS);
                }
            }
            // An answer this gateway cannot read may still stand for a charge.
            return AttemptEnd.ambiguous(AttemptVerdict.of(ErrorClass.UPSTREAM_UNAVAILABLE));
        }
        if (status < 400 || status > 599) {
            // 1xx and 3xx: nothing this gateway follows, and the charge may have been made.
            return AttemptEnd.ambiguous(AttemptVerdict.of(ErrorClass.UPSTREAM_UNAVAILABLE));
        }
        Optional<JsonNode> error = answer.error();
        JsonNode retryable = error.map(e -> e.path("retryable")).orElse(null);
        AttemptVerdict verdict = AttemptVerdict.classifyAnswer(status,
                error.map(e -> e.path("class").textValue()).orElse(null),
                retryable != null && retryable.isBoolean() ? retryable.booleanValue() : null,
                answer.retryAfter());
        ErrorClass errorClass = verdict.errorClass().orElseThrow();
        // A 5xx other than load shedding may come after the charge was made; a 409 says a charge
        // with this key is still in flight at the provider.
        boolean ambiguous = (status >= 500 && errorClass != ErrorClass.OVERLOADED) || status == 409;
        return ambiguous ? AttemptEnd.ambiguous(verdict) : AttemptEnd.answer(verdict);
    }

    /**
     * How a thrown exception ends an attempt.
     *
     * @param error what the exchange threw
     * @return the attempt's end: a refused connection surely charged nothing; a timeout or a
     *     connection broken after the request went out may have
     */
    public AttemptEnd end(Exception error) {
        if (error instanceof HttpConnectTimeoutException || causedBy(error, ConnectException.class)
                || causedBy(error, UnresolvedAddressException.class)) {
            return AttemptEnd.notSent(AttemptVerdict.of(ErrorClass.CONNECTION));
        }
        if (error instanceof HttpTimeoutException) {
            return AttemptEnd.ambiguous(AttemptVerdict.TIMED_OUT);
        }
        if (error instanceof IOException) {
            return AttemptEnd.ambiguous(AttemptVerdict.of(ErrorClass.CONNECTION));
        }
        return AttemptEnd.ambiguous(AttemptVerdict.of(ErrorClass.INTERNAL));
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
