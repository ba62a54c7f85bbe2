package com.checkout.payment.observability;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps payment tokens and card numbers out of logs: only the last four characters survive. The
 * JSON log encoder runs every field name and string through here, so no log line escapes it.
 */
public final class Masking {
    // 13-19 digits, optionally grouped by single spaces or dashes: every PAN length in use (the
    // simulator's pattern, so both sides of the wire mask the same things).
    private static final Pattern CARD_LIKE = Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

    // A token that reached a string anyway: JSON ("payment_token": "..."), a toString or a query
    // (payment_token=...), in snake or camel case.
    private static final Pattern TOKEN_IN_TEXT = Pattern.compile(
            "(?i)(\"?payment_?token\"?\\s*[:=]\\s*\"?)([^\",}\\s&]+)");

    private Masking() {}

    /**
     * Masks a whole token value.
     *
     * @param token the secret
     * @return stars with the last four characters, or only stars for a short value
     */
    public static String maskToken(String token) {
        if (token.length() <= 4) {
            return "****";
        }
        return "*".repeat(Math.max(token.length() - 4, 4)) + token.substring(token.length() - 4);
    }

    /**
     * Whether a field of this name holds a secret and is masked whole.
     *
     * @param name a log field's name
     * @return true for payment_token, paymentToken, token and the like
     */
    public static boolean isSecretField(String name) {
        String normalised = name.toLowerCase(Locale.ROOT).replace("_", "");
        return normalised.equals("token") || normalised.endsWith("paymenttoken")
                || normalised.equals("cardnumber") || normalised.equals("pan");
    }

    /**
     * Masks card numbers and embedded payment tokens in free text.
     *
     * @param text any string bound for a log line
     * @return the text with every card-like digit run and token value masked
     */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = CARD_LIKE.matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(maskDigits(m.group())));
        return TOKEN_IN_TEXT.matcher(out)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskToken(m.group(2))));
    }

    private static String maskDigits(String run) {
        String digits = run.replaceAll("\\D", "");
        return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
    }
}
