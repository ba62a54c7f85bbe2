package com.checkout.payment.observability;

import com.checkout.config.generated.Vocabulary;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps payment tokens and card numbers out of logs: only the last four characters survive. The
 * JSON log encoder runs every field name and string through here, so no log line escapes it.
 */
public final class Masking {
    // The rule is config/vocabulary.json's (masking), generated alike into the order service's mask.ts
    // and the Python client's masking.py: 13-19 digits, optionally grouped by single spaces or dashes
    // (every PAN length in use), outside a config fingerprint (a sha256: exactly 64 lowercase hex
    // characters, standing alone), whose digit runs look card-like but never are a card number.
    private static final Pattern CARD_LIKE = Pattern.compile(Vocabulary.CARD_LIKE_PATTERN);
    private static final Pattern FINGERPRINT = Pattern.compile(Vocabulary.FINGERPRINT_PATTERN);

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
     * @return the text with every card-like digit run (outside a config fingerprint) and token value masked
     */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        Matcher fingerprint = FINGERPRINT.matcher(text);
        int from = 0;
        while (fingerprint.find()) {
            out.append(maskCardNumbers(text.substring(from, fingerprint.start()))).append(fingerprint.group());
            from = fingerprint.end();
        }
        out.append(maskCardNumbers(text.substring(from)));
        return TOKEN_IN_TEXT.matcher(out)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + maskToken(m.group(2))));
    }

    private static String maskCardNumbers(String text) {
        return CARD_LIKE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(maskDigits(m.group())));
    }

    private static String maskDigits(String run) {
        String digits = run.replaceAll("[^0-9]", "");
        int shown = Vocabulary.LAST_DIGITS_SHOWN;
        return "*".repeat(digits.length() - shown) + digits.substring(digits.length() - shown);
    }
}
