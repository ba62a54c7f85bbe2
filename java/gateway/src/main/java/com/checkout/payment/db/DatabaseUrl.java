package com.checkout.payment.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database URL in libpq's form, {@code postgresql://user[:password]@host[:port]/database[?params]}
 * (also {@code postgres://}), as {@code --database-url} and {@code DATABASE_URL} give it, turned into
 * what pgjdbc wants: a {@code jdbc:postgresql://host:port/database} URL and the credentials apart.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database[?params]}
 * @param user the role, percent-decoded
 * @param password the password, percent-decoded; null when the URL has none (trust or .pgpass)
 * @param redacted the URL as given minus the password, for logs and messages
 */
public record DatabaseUrl(String jdbcUrl, String user, String password, String redacted) {
    /** The repo's durable dev database ({@code python -m tools.pg up}). */
    public static final String DEFAULT = "postgresql://postgres@127.0.0.1:54329/gateway";

    /** How to start the default database, for the message of a gateway that cannot reach it. */
    public static final String DEV_HINT = "start the repo's dev database with `python -m tools.pg up`, or pass"
            + " --database-url / DATABASE_URL";

    // A password never reaches a log line or an exception message.
    @Override
    public String toString() {
        return redacted;
    }

    /**
     * Parses a libpq URL.
     *
     * @param text the URL
     * @return the parsed URL
     * @throws IllegalArgumentException naming the URL (without its password) and the expected form
     */
    public static DatabaseUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(redact(text), "it is not a URL");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw invalid(redact(text), "its scheme is " + (scheme == null ? "missing" : "\"" + scheme + "\""));
        }
        if (uri.getHost() == null || uri.getRawUserInfo() == null) {
            throw invalid(redact(text), "it names no user@host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw invalid(redact(text), "it names no database (one path segment)");
        }
        String info = uri.getRawUserInfo();
        int colon = info.indexOf(':');
        String user = decode(colon < 0 ? info : info.substring(0, colon));
        String password = colon < 0 ? null : decode(info.substring(colon + 1));
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path + query;
        return new DatabaseUrl(jdbc, user, password, redact(text));
    }

    /**
     * A URL with its password replaced by {@code ***}, for messages about a URL that may not parse.
     *
     * @param text any URL
     * @return the URL without its password
     */
    public static String redact(String text) {
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return text;
        }
        int colon = text.indexOf(':', scheme + 3);
        return colon > 0 && colon < at ? text.substring(0, colon) + ":***" + text.substring(at) : text;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String shown, String why) {
        return new IllegalArgumentException("the database URL " + shown + " is invalid (" + why
                + "); expected postgresql://user[:password]@host:port/database");
    }
}
