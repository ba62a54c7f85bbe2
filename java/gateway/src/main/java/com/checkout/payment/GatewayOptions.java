package com.checkout.payment;

import com.checkout.payment.db.DatabaseUrl;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The command line: {@code --host H --port P --provider-url URL [--database-url URL] [--config PATH]
 * [--reload-interval-ms N] [--stop-grace-ms N]}, and the environment's {@code DATABASE_URL} and
 * {@code CHECKOUT_DB_THROWAWAY}.
 *
 * @param host the address to bind (default 127.0.0.1)
 * @param port the port; 0 picks a free one (default 0)
 * @param providerUrl the payment provider's base URL (required)
 * @param config the config file, or null to resolve it as config/LOADING.md says
 * @param reloadIntervalMs how often the config file is polled (default 1000)
 * @param stopGraceMs the most a stop waits for the requests in flight (default
 *     {@link #DEFAULT_STOP_GRACE_MS})
 * @param database the payment records' PostgreSQL: {@code --database-url}, else {@code DATABASE_URL},
 *     else {@link DatabaseUrl#DEFAULT} (the repo's durable dev database)
 * @param throwawayDatabase {@code CHECKOUT_DB_THROWAWAY=1}: the database is deleted when its tool
 *     exits, which the gateway says loudly at start
 */
public record GatewayOptions(String host, int port, URI providerUrl, Path config, long reloadIntervalMs,
        long stopGraceMs, DatabaseUrl database, boolean throwawayDatabase) {
    /**
     * 25 s: Kubernetes sends SIGKILL 30 s (its default terminationGracePeriodSeconds) after
     * SIGTERM, so waiting longer would only be cut short; the 5 s left over stop the JVM and flush
     * the logs. 25 s still covers a whole attempt in progress (timeout_ms is 20 s) and its answer.
     * A pod given a longer grace period raises it with {@code --stop-grace-ms}.
     */
    public static final long DEFAULT_STOP_GRACE_MS = 25_000L;

    /** How to call the gateway, for usage errors. */
    public static final String USAGE = "usage: java -jar payment-gateway.jar --provider-url URL"
            + " [--database-url " + DatabaseUrl.DEFAULT + " (or env DATABASE_URL)]"
            + " [--host 127.0.0.1] [--port 0] [--config PATH] [--reload-interval-ms 1000]"
            + " [--stop-grace-ms " + DEFAULT_STOP_GRACE_MS + "]";

    /**
     * Parses the arguments with the process's environment.
     *
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException naming every problem
     */
    public static GatewayOptions parse(String... args) {
        return parse(System::getenv, args);
    }

    /**
     * Parses the arguments; {@code --name value} and {@code --name=value} both work.
     *
     * @param env the environment ({@code DATABASE_URL}, {@code CHECKOUT_DB_THROWAWAY})
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException naming every problem
     */
    public static GatewayOptions parse(UnaryOperator<String> env, String... args) {
        String host = "127.0.0.1";
        Integer port = 0;
        URI provider = null;
        Path config = null;
        Long interval = 1000L;
        Long stopGrace = DEFAULT_STOP_GRACE_MS;
        String databaseUrl = env.apply("DATABASE_URL");
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add(name + " needs a value");
                break;
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = number(name, value, 0, 65535, problems);
                case "--provider-url" -> provider = url(value, problems);
                case "--config" -> config = Path.of(value);
                case "--database-url" -> databaseUrl = value;
                case "--reload-interval-ms" -> {
                    Integer ms = number(name, value, 10, Integer.MAX_VALUE, problems);
                    interval = ms == null ? null : ms.longValue();
                }
                case "--stop-grace-ms" -> {
                    Integer ms = number(name, value, 0, 600_000, problems);
                    stopGrace = ms == null ? null : ms.longValue();
                }
                default -> problems.add("unknown option " + name);
            }
        }
        if (provider == null && problems.isEmpty()) {
            problems.add("--provider-url is required");
        }
        DatabaseUrl database = null;
        try {
            boolean given = databaseUrl != null && !databaseUrl.isEmpty();
            database = DatabaseUrl.parse(given ? databaseUrl : DatabaseUrl.DEFAULT);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new GatewayOptions(host, port, provider, config, interval, stopGrace, database,
                "1".equals(env.apply("CHECKOUT_DB_THROWAWAY")));
    }

    private static Integer number(String name, String value, int min, int max, List<String> problems) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " is \"" + value + "\"; expected an integer from " + min + " to " + max);
        return null;
    }

    private static URI url(String value, List<String> problems) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add("--provider-url is \"" + value + "\"; expected an http(s) URL such as http://127.0.0.1:8081");
        return null;
    }
}
