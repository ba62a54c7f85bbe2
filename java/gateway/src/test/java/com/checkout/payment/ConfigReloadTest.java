package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.checkout.config.ConfigLoader;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.payment.runtime.ConfigReloader;
import com.checkout.payment.runtime.Settings;
import com.checkout.payment.runtime.Snapshot;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.Upstream;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ConfigReloadTest {
    @TempDir
    Path dir;

    private static ObjectNode withVersion(String version) {
        ObjectNode doc = TestConfigs.shortened();
        doc.put("version", version);
        return doc;
    }

    @Test
    void aValidNewFileIsPutInForceKeepingTheBreakerWhoseSettingsDidNotChange() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            Snapshot before = harness.gateway.settings().current();
            ResilientCall<ProviderAnswer> chargeBefore = harness.gateway.settings().upstream().charge();
            ResilientCall<ProviderAnswer> lookupBefore = harness.gateway.settings().upstream().lookup();
            TestConfigs.write(harness.configFile, withVersion("v2"));

            assertTrue(harness.gateway.reloadNow());

            Snapshot after = harness.gateway.settings().current();
            ResilientCall<ProviderAnswer> charge = harness.gateway.settings().upstream().charge();
            assertNotEquals(before.config().fingerprint(), after.config().fingerprint());
            assertSame(chargeBefore.breaker(), charge.breaker(), "unchanged breaker settings keep the breaker's state");
            assertSame(chargeBefore.budget(), charge.budget());
            assertSame(lookupBefore.breaker(), harness.gateway.settings().upstream().lookup().breaker());
            GatewayHarness.Answer health = harness.get("/health");
            assertEquals("v2", health.text("/config/version"));
            assertEquals(after.config().fingerprint(), health.text("/config/fingerprint"));
            String metrics = harness.metrics();
            assertTrue(metrics.contains("checkout_config_reloads_total{result=\"success\",service=\"gateway\"} 1.0"), metrics);
            assertTrue(metrics.contains("version=\"v2\"} 1"), metrics);
            assertFalse(metrics.contains("version=\"test-shortened\""), "the old config's info series is gone");
            assertFalse(harness.gateway.reloadNow(), "the same file again changes nothing");
        }
    }

    @Test
    void changedBreakerSettingsBuildANewBreaker() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            ResilientCall<ProviderAnswer> before = harness.gateway.settings().upstream().charge();
            ResilientCall<ProviderAnswer> lookupBefore = harness.gateway.settings().upstream().lookup();
            ObjectNode doc = TestConfigs.shortened();
            ((ObjectNode) doc.at("/payment/circuit_breaker")).put("failure_threshold", 7);
            TestConfigs.write(harness.configFile, doc);

            assertTrue(harness.gateway.reloadNow());

            ResilientCall<ProviderAnswer> after = harness.gateway.settings().upstream().charge();
            assertNotSame(before.breaker(), after.breaker());
            assertSame(before.budget(), after.budget());
            assertSame(lookupBefore.breaker(), harness.gateway.settings().upstream().lookup().breaker(),
                    "the lookup's breaker settings did not change");
        }
    }

    // SEMANTICS.md §11: the lookup's policy is its own; a reload resizes each bulkhead in place.
    @Test
    void aReloadOfTheLookupPolicyLeavesTheChargeAloneAndResizesTheBulkheadInPlace() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            Upstream<ProviderAnswer> upstream = harness.gateway.settings().upstream();
            ResilientCall<ProviderAnswer> charge = upstream.charge();
            ResilientCall<ProviderAnswer> lookup = upstream.lookup();
            ObjectNode doc = TestConfigs.shortened();
            ((ObjectNode) doc.at("/payment/lookup/circuit_breaker")).put("failure_threshold", 9);
            ((ObjectNode) doc.at("/payment/lookup/bulkhead")).put("max_concurrent", 7);
            TestConfigs.write(harness.configFile, doc);

            assertTrue(harness.gateway.reloadNow());

            assertSame(charge.breaker(), upstream.charge().breaker());
            assertSame(charge.budget(), upstream.charge().budget());
            assertNotSame(lookup.breaker(), upstream.lookup().breaker());
            assertSame(lookup.budget(), upstream.lookup().budget());
            assertSame(lookup.bulkhead(), upstream.lookup().bulkhead());
            assertEquals(7, upstream.lookup().bulkhead().maxConcurrent());
            assertTrue(harness.metrics().contains("checkout_bulkhead_max_concurrent{operation=\"lookup\","
                    + "service=\"gateway\",upstream=\"provider\"} 7.0"), harness.metrics());
        }
    }

    @Test
    void anInvalidFileIsRefusedAndTheLastGoodConfigStays() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            String good = harness.gateway.settings().current().config().fingerprint();
            ObjectNode bad = TestConfigs.shortened();
            ((ObjectNode) bad.get("payment")).put("deadline_ms", "soon");
            bad.put("unexpected", true);
            TestConfigs.write(harness.configFile, bad);

            assertFalse(harness.gateway.reloadNow());
            assertFalse(harness.gateway.reloadNow());

            assertEquals(good, harness.gateway.settings().current().config().fingerprint());
            assertEquals(good, harness.get("/health").text("/config/fingerprint"));
            assertTrue(harness.metrics().contains(
                    "checkout_config_reloads_total{result=\"failure\",service=\"gateway\"} 1.0"),
                    "counted once per distinct problem, not once per poll");

            TestConfigs.write(harness.configFile, withVersion("fixed"));
            assertTrue(harness.gateway.reloadNow());
        }
    }

    // Issue 11 (h): the replay-only legacy switch (a lint warning) is never switched on in a running
    // service; the refusal is logged with the findings and counted once, the last good config stays.
    @Test
    void aReloadWithALintWarningIsRefusedLoggedAndTheLastGoodConfigStays() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
        logger.addAppender(logs);
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            String good = harness.gateway.settings().current().config().fingerprint();
            ObjectNode legacy = withVersion("legacy-on");
            ((ObjectNode) legacy.get("order_service")).put("legacy_hold_connection_during_payment", true);
            TestConfigs.write(harness.configFile, legacy);

            assertFalse(harness.gateway.reloadNow());
            assertFalse(harness.gateway.reloadNow());

            assertEquals(good, harness.gateway.settings().current().config().fingerprint());
            assertFalse(harness.gateway.settings().current().config().settings().orderService()
                    .legacyHoldConnectionDuringPayment());
            assertTrue(harness.metrics().contains(
                    "checkout_config_reloads_total{result=\"failure\",service=\"gateway\"} 1.0"), harness.metrics());
            List<ILoggingEvent> rejected = logs.list.stream()
                    .filter(e -> e.getMessage().equals("config_reload_rejected")).toList();
            assertEquals(1, rejected.size(), "logged once, not once per poll");
            String findings = rejected.get(0).getKeyValuePairs().stream()
                    .filter(kv -> kv.key.equals("findings")).findFirst().orElseThrow().value.toString();
            assertTrue(findings.contains("legacy-hold-connection-off"), findings);
            assertTrue(findings.contains("/order_service/legacy_hold_connection_during_payment"), findings);
        } finally {
            logger.detachAppender(logs);
        }
    }

    // At start a warning is allowed: the replay starts a service on the incident's config on purpose.
    @Test
    void aConfigWithALintWarningStillStartsTheGateway() {
        ObjectNode legacy = withVersion("legacy-at-start");
        ((ObjectNode) legacy.get("order_service")).put("legacy_hold_connection_during_payment", true);
        try (GatewayHarness harness = new GatewayHarness(TestConfigs.write(dir.resolve("legacy.json"), legacy))) {
            assertEquals(1, harness.gateway.settings().current().config().warnings().size());
            assertEquals("legacy-at-start", harness.get("/health").text("/config/version"));
        }
    }

    @Test
    void aSwappedDataSymlinkIsSeenAsKubernetesSwapsAConfigMap() throws Exception {
        Path first = TestConfigs.write(dir.resolve("..2026_01/timeout.json"), withVersion("map-1"));
        Files.createSymbolicLink(dir.resolve("..data"), first.getParent().getFileName());
        Path config = dir.resolve("timeout.json");
        Files.createSymbolicLink(config, Path.of("..data/timeout.json"));
        try (GatewayHarness harness = new GatewayHarness(config)) {
            assertEquals("map-1", harness.get("/health").text("/config/version"));

            Path second = TestConfigs.write(dir.resolve("..2026_02/timeout.json"), withVersion("map-2"));
            Path next = dir.resolve("..data_tmp");
            Files.createSymbolicLink(next, second.getParent().getFileName());
            Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            assertTrue(harness.gateway.reloadNow());
            assertEquals("map-2", harness.get("/health").text("/config/version"));
        }
    }

    @Test
    void thePollingTimerPicksUpAChangeByItself() throws Exception {
        Path file = TestConfigs.write(dir.resolve("timeout.json"), withVersion("timer-1"));
        GatewayMetrics metrics = new GatewayMetrics();
        Settings settings = new Settings(ConfigLoader.load(file), System::currentTimeMillis, Math::random,
                ms -> { }, (operation, t) -> { }, Clock.systemUTC());
        metrics.bind(settings::current, settings.upstream());
        try (ConfigReloader reloader = new ConfigReloader(() -> file, settings, metrics)) {
            reloader.start(20);
            TestConfigs.write(file, withVersion("timer-2"));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!settings.current().config().settings().version().equals("timer-2") && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals("timer-2", settings.current().config().settings().version());
        }
    }

    @Test
    void aCallInFlightFinishesOnTheSettingsItStartedWith() throws Exception {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            for (int i = 0; i < 3; i++) {
                harness.provider.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
            }
            Thread payment = new Thread(() -> harness.pay("k-inflight", GatewayHarness.PAYMENT));
            payment.start();
            assertTrue(harness.provider.takeRequest(2, TimeUnit.SECONDS) != null, "first attempt sent");
            ObjectNode longer = TestConfigs.shortened();
            ((ObjectNode) longer.get("payment")).put("timeout_ms", 1500);
            TestConfigs.write(harness.configFile, longer);
            assertTrue(harness.gateway.reloadNow());
            payment.join(10_000);

            List<String> deadlines = List.of(
                    harness.provider.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("X-Deadline-Ms"),
                    harness.provider.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("X-Deadline-Ms"));
            assertEquals(List.of("950", "950"), deadlines,
                    "retries of the running call keep its 1000 ms timeout (less the 50 ms answer margin)");

            harness.provider.enqueue(GatewayHarness.charge(201, "k-new", "authorised"));
            assertEquals(200, harness.pay("k-new", GatewayHarness.PAYMENT, Map.of()).status());
            assertEquals("1450", harness.provider.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("X-Deadline-Ms"));
        }
    }
}
