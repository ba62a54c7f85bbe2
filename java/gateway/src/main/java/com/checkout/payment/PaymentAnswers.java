package com.checkout.payment;

import com.checkout.payment.api.ErrorBody;
import com.checkout.payment.api.Json;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.idempotency.Payment;
import com.checkout.payment.idempotency.PaymentRecord;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.idempotency.StoredAnswer;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.resilience.ErrorClass;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Builds the bodies of openapi.json: PaymentResult, PaymentStatus and the error shape. */
final class PaymentAnswers {
    private PaymentAnswers() {}

    /** A provider's charge (authorised or declined) as {@code PaymentResult}. */
    static StoredAnswer result(String key, Payment payment, ProviderAnswer charge, int attempts) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("idempotency_key", key);
        body.put("order_id", payment.orderId());
        body.put("status", charge.text("status").orElseThrow());
        body.put("charge_id", charge.text("charge_id").orElseThrow());
        body.put("amount_minor", charge.body().path("amount_minor").canConvertToLong()
                ? charge.body().path("amount_minor").longValue() : payment.amountMinor());
        body.put("currency", charge.text("currency").orElse(payment.currency()));
        charge.text("decline_reason").ifPresent(reason -> body.put("decline_reason", reason));
        body.put("attempts", attempts);
        return new StoredAnswer(200, body);
    }

    /** A payment error: the error shape with {@code status}, always {@code retryable: false}. */
    static StoredAnswer paymentError(ErrorClass errorClass, String message, State state) {
        ErrorBody body = new ErrorBody(new ErrorBody.ErrorDetail(errorClass.name(), message, false, null),
                state.wireName());
        return new StoredAnswer(errorClass.httpStatus().orElse(500), Json.MAPPER.valueToTree(body));
    }

    /** An error that is not a payment's outcome (conflicts, not found). */
    static Reply error(int httpStatus, ErrorClass errorClass, String message) {
        JsonNode body = Json.MAPPER.valueToTree(ErrorBody.of(errorClass, message, List.of()));
        return new Reply(httpStatus, body, false, "error", errorClass.name());
    }

    /**
     * A database failure: always 503 (never a 500), {@code retryable} as the class says — true for
     * the database classes, where nothing was done and the same request may simply be sent again.
     */
    static Reply databaseError(DatabaseException error, String message) {
        ErrorClass errorClass = error.errorClass();
        JsonNode body = Json.MAPPER.valueToTree(new ErrorBody(
                new ErrorBody.ErrorDetail(errorClass.name(), message, errorClass.retryable(), null), null));
        return new Reply(503, body, false, "error", errorClass.name());
    }

    /** A stored answer sent again, or for the first time. */
    static Reply reply(StoredAnswer answer, State state, boolean replayed) {
        String outcome = switch (state) {
            case AUTHORISED -> "success";
            case DECLINED -> "declined";
            case UNKNOWN -> "unknown";
            default -> "error";
        };
        String errorClass = answer.body().path("error").path("class").asText("");
        return new Reply(answer.httpStatus(), answer.body(), replayed, outcome, errorClass);
    }

    /** {@code GET /payments/{key}}'s 200 answer, counted by the state it reports. */
    static Reply statusReply(JsonNode body, State state) {
        String outcome = switch (state) {
            case DECLINED -> "declined";
            case UNKNOWN -> "unknown";
            default -> "success";
        };
        return new Reply(200, body, false, outcome, "");
    }

    /** {@code PaymentStatus} of a local record; an in-flight one is {@code pending}. */
    static ObjectNode status(PaymentRecord record) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("idempotency_key", record.key());
        body.put("status", record.state().wireName());
        JsonNode stored = record.answer() == null ? null : record.answer().body();
        if (stored != null && !stored.has("error")) {
            for (String field : List.of("order_id", "charge_id", "amount_minor", "currency", "decline_reason")) {
                if (stored.has(field)) {
                    body.set(field, stored.get(field));
                }
            }
        } else {
            body.put("order_id", record.payment().orderId());
            body.put("amount_minor", record.payment().amountMinor());
            body.put("currency", record.payment().currency());
        }
        body.put("attempts", record.attempts());
        if (stored != null && stored.has("error")) {
            body.set("error", stored.get("error"));
        }
        return body;
    }

    /** {@code PaymentStatus} of what the provider knows of a key with no local record. */
    static ObjectNode status(String key, ProviderAnswer charge) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("idempotency_key", key);
        body.put("status", charge.text("status").orElseThrow());
        body.put("charge_id", charge.text("charge_id").orElseThrow());
        if (charge.body().path("amount_minor").canConvertToLong()) {
            body.put("amount_minor", charge.body().path("amount_minor").longValue());
        }
        charge.text("currency").ifPresent(currency -> body.put("currency", currency));
        charge.text("decline_reason").ifPresent(reason -> body.put("decline_reason", reason));
        return body;
    }

    /** {@code PaymentStatus} {@code unknown}: the provider could not be asked. */
    static ObjectNode unknown(String key, PaymentRecord record, ErrorClass errorClass, String message) {
        ObjectNode body = record == null ? Json.MAPPER.createObjectNode() : status(record);
        body.put("idempotency_key", key);
        body.put("status", State.UNKNOWN.wireName());
        body.set("error", Json.MAPPER.valueToTree(
                new ErrorBody.ErrorDetail(errorClass.name(), message, false, null)));
        return body;
    }

    /** The provider's charge status as a record state: authorised, declined, else in flight there. */
    static State stateOf(String chargeStatus) {
        return switch (chargeStatus) {
            case "authorised" -> State.AUTHORISED;
            case "declined" -> State.DECLINED;
            default -> State.IN_FLIGHT;
        };
    }
}
