package com.checkout.payment.api;

import com.checkout.config.Fingerprint;
import com.checkout.resilience.ErrorClass;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a request body with a bound, whatever {@code Content-Length} says: a chunked body cannot
 * grow past {@link PaymentRequestParser#MAX_BODY_BYTES}. A body somewhat too large is drained
 * before the 413 (up to {@link #DRAIN_LIMIT}), so a client still sending it reads the answer
 * instead of a reset connection; a huge one is cut off.
 */
public final class RequestBodies {
    /** Bytes of an oversized body read and dropped before the 413 is answered. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    private RequestBodies() {}

    /**
     * The body.
     *
     * @param request the servlet request
     * @return its bytes, at most {@link PaymentRequestParser#MAX_BODY_BYTES}
     * @throws ApiException 413 for a larger body, 400 when it cannot be read
     */
    public static byte[] read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        try (InputStream in = request.getInputStream()) {
            if (declared > PaymentRequestParser.MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge(declared + " bytes");
            }
            byte[] body = in.readNBytes(PaymentRequestParser.MAX_BODY_BYTES + 1);
            if (body.length > PaymentRequestParser.MAX_BODY_BYTES) {
                drain(in);
                throw tooLarge("more than " + PaymentRequestParser.MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw ApiException.invalid("the body could not be read: " + e.getMessage(),
                    List.of(new Detail("", "the body could not be read")));
        }
    }

    /**
     * The payload hash an Idempotency-Key is bound to: SHA-256 of the body's RFC 8785 canonical
     * JSON, so key order and number spelling do not make a different payload.
     *
     * @param body a body the parser accepted
     * @return lowercase hex
     */
    public static String canonicalHash(byte[] body) {
        try {
            return Fingerprint.ofText(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ApiException.invalid("the body has no canonical form: " + e.getMessage(),
                    List.of(new Detail("", "the body has no canonical JSON form")));
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DRAIN_LIMIT;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
            left -= n;
        }
    }

    private static ApiException tooLarge(String size) {
        String message = "the body has " + size + "; expected at most "
                + PaymentRequestParser.MAX_BODY_BYTES + " bytes (64 KiB)";
        return new ApiException(ErrorClass.INVALID_REQUEST, 413, message, List.of(new Detail("", message)));
    }
}
