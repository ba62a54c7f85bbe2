package com.checkout.payment;

import com.checkout.config.ConfigError;
import com.checkout.config.ConfigLoader;
import com.checkout.config.ConfigPaths;
import com.checkout.config.LoadedConfig;
import com.checkout.payment.api.Json;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.runtime.ConfigReloader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar payment-gateway.jar --provider-url URL [--database-url URL] [--host H] [--port P]
 * [--config PATH] [--reload-interval-ms N]}: parses the arguments, loads the config, opens and
 * migrates the database and starts the gateway. Prints one JSON line {@code {"event":"listening",...}}
 * to stdout once it serves; logs are JSON lines on stderr. Exit code 2 for bad arguments, an invalid
 * config or a database it cannot reach. SIGTERM stops it gracefully: no new
 * requests, the ones in flight answered, then exit code 0 (1 if the stop's bound cut one short).
 */
public final class PaymentGateway {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentGateway.class);
    private static final int EXIT_USAGE = 2;

    private PaymentGateway() {}

    /**
     * Runs the gateway until the process is told to stop.
     *
     * @param args the command line
     * @throws InterruptedException never in practice: the main thread waits for shutdown
     */
    public static void main(String[] args) throws InterruptedException {
        GatewayOptions options;
        try {
            options = GatewayOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(GatewayOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        Path explicit = options.config();
        Supplier<Path> configPath = () -> ConfigPaths.resolve(explicit, System::getenv, Path.of(""));
        LoadedConfig config;
        try {
            config = ConfigLoader.load(configPath.get());
        } catch (ConfigError refused) {
            LOG.atError().setMessage("config_invalid")
                    .addKeyValue("error_class", refused.errorClass())
                    .addKeyValue("path", refused.source())
                    .addKeyValue("violations", ConfigReloader.violations(refused.violations()))
                    .log();
            System.exit(EXIT_USAGE);
            return;
        }
        // Warnings are allowed at start (the replay starts on the incident's config on purpose);
        // a reload refuses them.
        config.warnings().forEach(w -> LOG.atWarn().setMessage("config_warning")
                .addKeyValue("pointer", w.pointer()).addKeyValue("rule", w.rule())
                .addKeyValue("message", w.message()).log());

        GatewayServer server;
        try {
            server = GatewayServer.start(options, config, configPath);
        } catch (DatabaseException unreachable) {
            // The URL is named without its password; the message says how to start the dev database.
            LOG.atError().setMessage("database_unavailable").addKeyValue("error_class", unreachable.errorClass().name())
                    .addKeyValue("database_url", options.database().redacted())
                    .addKeyValue("reason", unreachable.getMessage()).log();
            System.err.println(unreachable.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.atInfo().setMessage("stopping").log();
            boolean drained = server.stop();
            LOG.atInfo().setMessage("stopped").addKeyValue("drained", drained).log();
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // The JVM would exit 143 for SIGTERM whatever the hooks did; a stop that answered
            // every request in flight is a clean exit, and halt is the one way to say so from a
            // hook (exit would block). Nothing else registers a hook that must still run.
            Runtime.getRuntime().halt(drained ? 0 : 1);
        }, "shutdown"));
        LOG.atInfo().setMessage("started")
                .addKeyValue("host", server.host()).addKeyValue("port", server.port())
                .addKeyValue("provider_url", options.providerUrl().toString())
                .addKeyValue("config_path", config.path())
                .addKeyValue("config_version", config.settings().version())
                .addKeyValue("fingerprint", config.fingerprint())
                .log();
        printListening(server);
        stopped.await();
    }

    private static void printListening(GatewayServer server) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("event", "listening");
        line.put("service", "gateway");
        line.put("host", server.host());
        line.put("port", server.port());
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        try {
            out.println(Json.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the listening line failed to serialise", e);
        }
        out.flush();
    }
}
