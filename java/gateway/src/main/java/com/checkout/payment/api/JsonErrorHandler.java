package com.checkout.payment.api;

import com.checkout.resilience.ErrorClass;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals — a URI it will not route (a malformed or ambiguous percent-encoding), and
 * the 503 of a request arriving while the gateway stops — in the repo's error shape instead of an
 * HTML page, so a client parses every answer of the gateway the same way.
 */
public final class JsonErrorHandler extends ErrorHandler {
    /** Seconds a client refused during a stop is told to wait: a new connection finds another instance. */
    private static final String RETRY_AFTER_S = "1";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
            Throwable cause, Callback callback) throws IOException {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (code == HttpStatus.SERVICE_UNAVAILABLE_503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_S);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static byte[] body(int code, String message) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        ErrorClass errorClass;
        String text;
        if (code == HttpStatus.SERVICE_UNAVAILABLE_503) {
            errorClass = ErrorClass.OVERLOADED;
            text = "The gateway is stopping and takes no new requests, so nothing was done: retrying is safe"
                    + " and a new connection reaches another instance.";
        } else if (code >= 500) {
            errorClass = ErrorClass.INTERNAL;
            text = "The gateway's HTTP server failed before the request reached a route (HTTP " + code + ": "
                    + reason + "), so nothing was done: retrying with the same Idempotency-Key is safe.";
        } else {
            errorClass = code == HttpStatus.NOT_FOUND_404 ? ErrorClass.NOT_FOUND : ErrorClass.INVALID_REQUEST;
            text = "The gateway's HTTP server refused the request before it reached a route (HTTP " + code + ": "
                    + reason + "), so nothing was done: retrying it unchanged fails the same way"
                    + " (percent-encode a key in a path as RFC 3986 says).";
        }
        try {
            return Json.MAPPER.writeValueAsBytes(ErrorBody.of(errorClass, text, List.of()));
        } catch (IOException e) {
            return ("{\"error\":{\"class\":\"" + errorClass.name() + "\",\"message\":\"HTTP " + code
                    + "\",\"retryable\":false}}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
