package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import com.checkout.config.generated.TimeoutConfig.LookupSettings;
import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An upstream of SEMANTICS.md §11: one policy per operation, and what a reload keeps. */
class UpstreamTest {
    private final AtomicLong clock = new AtomicLong();
    private final List<String> transitions = new ArrayList<>();

    private Upstream<String> upstream(PaymentSettings payment) {
        return new Upstream<>(payment, Role.ORIGIN, ResilientCallTest.CLASSIFIER,
                ResilientCallTest.CLASSIFIER, clock::get, () -> 0.5, clock::addAndGet,
                (operation, t) -> transitions.add(operation.wireName() + " " + t.from().wireName()
                        + "->" + t.to().wireName()));
    }

    private static LookupSettings lookup(BulkheadSettings bulkhead) {
        LookupSettings l = TestSettings.LOOKUP;
        return new LookupSettings(l.timeoutMs(), l.deadlineMs(), l.providerExpectedP99Ms(),
                l.retry(), l.circuitBreaker(), l.retryBudget(), bulkhead);
    }

    /** {@link TestSettings#PAYMENT} with another charge timeout. */
    private static PaymentSettings withTimeout(PaymentSettings p, long timeoutMs) {
        return new PaymentSettings(timeoutMs, p.deadlineMs(), p.providerExpectedP99Ms(),
                p.minDeadlineMs(), p.answerMarginMs(), p.retry(), p.circuitBreaker(),
                p.retryBudget(), p.bulkhead(), p.lookup());
    }

    @Test
    void eachOperationRunsItsOwnPolicyWithTheHopsFloorAndMargin() {
        Upstream<String> upstream = upstream(TestSettings.PAYMENT);
        assertEquals(TestSettings.CALL, upstream.charge().settings());
        assertEquals(new CallSettings(5000, 20000, 2000, 1000, 500, TestSettings.LOOKUP.retry()),
                upstream.lookup().settings());
        assertSame(upstream.lookup(), upstream.operation(Operation.LOOKUP));
        assertEquals(100, upstream.charge().bulkhead().maxConcurrent());
        assertEquals(20, upstream.lookup().bulkhead().maxConcurrent());
    }

    @Test
    void lookupFailuresOpenOnlyTheLookupBreakerAndLeaveTheChargeBreakerClosed() throws Exception {
        Upstream<String> upstream = upstream(TestSettings.PAYMENT);
        for (int i = 0; i < 5; i++) {
            // Lookups retry 3 times: the fifth failed attempt opens the lookup breaker.
            upstream.lookup().call(context -> {
                clock.addAndGet(10);
                return "CONNECTION";
            });
        }
        assertEquals(BreakerState.OPEN, upstream.lookup().breaker().state());
        assertEquals(List.of("lookup closed->open"), transitions);
        RetryBudget lookupBudget = upstream.lookup().budget();
        assertEquals(5000, lookupBudget.tokensMilli(), "five failures, then no retry allowed");

        assertEquals(BreakerState.CLOSED, upstream.charge().breaker().state());
        assertEquals(10_000, upstream.charge().budget().tokensMilli());
        CallResult<String> charge = upstream.charge().call(context -> "ok");
        assertEquals("success", charge.outcome());
        assertEquals("CIRCUIT_OPEN", upstream.lookup().call(context -> "ok").outcome());
    }

    @Test
    void reconfigureKeepsAnOpenBreakerOpenAndTheBudgetWhoseSettingsDidNotChange() {
        Upstream<String> upstream = upstream(TestSettings.PAYMENT);
        ResilientCall<String> before = upstream.charge();
        for (int i = 0; i < 5; i++) {
            before.breaker().allow(0).record(Outcome.FAILURE, 0);
            before.budget().record(Outcome.FAILURE);
        }
        ResilientCall<String> lookupBefore = upstream.lookup();

        upstream.reconfigure(withTimeout(TestSettings.PAYMENT, 15000));

        ResilientCall<String> after = upstream.charge();
        assertNotSame(before, after, "a new loop with the new policy");
        assertEquals(15000, after.settings().timeoutMs());
        assertEquals(20000, before.settings().timeoutMs(), "the old loop keeps its policy");
        assertSame(before.breaker(), after.breaker());
        assertEquals(BreakerState.OPEN, after.breaker().state());
        assertEquals(1, after.breaker().generation());
        assertSame(before.budget(), after.budget());
        assertEquals(5000, after.budget().tokensMilli());
        assertSame(lookupBefore.breaker(), upstream.lookup().breaker());
        assertSame(lookupBefore.budget(), upstream.lookup().budget());
    }

    @Test
    void reconfigureReplacesABreakerOrBudgetWhoseSettingsChanged() {
        Upstream<String> upstream = upstream(TestSettings.PAYMENT);
        ResilientCall<String> before = upstream.charge();
        before.breaker().allow(0).record(Outcome.FAILURE, 0);
        before.budget().record(Outcome.FAILURE);

        upstream.reconfigure(TestSettings.payment(TestSettings.breaker(2, 60000, 3),
                new RetryBudgetSettings(20, 0.1), TestSettings.BULKHEAD, TestSettings.LOOKUP));

        ResilientCall<String> after = upstream.charge();
        assertNotSame(before.breaker(), after.breaker());
        assertEquals(BreakerState.CLOSED, after.breaker().state());
        assertEquals(0, after.breaker().generation());
        assertNotSame(before.budget(), after.budget());
        assertEquals(20_000, after.budget().tokensMilli(), "a new budget starts full");
    }

    @Test
    void reconfigureResizesTheBulkheadInPlaceAndKeepsTheAttemptsInFlight() {
        Upstream<String> upstream = upstream(TestSettings.PAYMENT);
        Bulkhead lookups = upstream.lookup().bulkhead();
        BulkheadSlot a = lookups.tryAcquire();
        lookups.tryAcquire();

        upstream.reconfigure(TestSettings.payment(TestSettings.BREAKER, TestSettings.BUDGET,
                TestSettings.BULKHEAD, lookup(new BulkheadSettings(1))));

        assertSame(lookups, upstream.lookup().bulkhead());
        assertEquals(1, lookups.maxConcurrent());
        assertEquals(2, lookups.inFlight());
        assertNull(lookups.tryAcquire());
        a.release();
        assertNull(lookups.tryAcquire(), "still one in flight, the new limit");
        assertEquals(100, upstream.charge().bulkhead().maxConcurrent());
    }

    @Test
    void aCallRunningDuringAReloadFinishesWithThePolicyItStartedWith() throws Exception {
        Upstream<String> upstream = upstream(TestSettings.PAYMENT);
        List<Long> timeouts = new ArrayList<>();
        CallResult<String> running = upstream.charge().call(context -> {
            timeouts.add(context.timeoutMs());
            if (context.number() == 1) {
                upstream.reconfigure(withTimeout(TestSettings.PAYMENT, 15000));
                return "CONNECTION";
            }
            return "ok";
        });
        assertEquals("success", running.outcome());
        assertEquals(List.of(20000L, 20000L), timeouts);

        upstream.charge().call(context -> {
            timeouts.add(context.timeoutMs());
            return "ok";
        });
        assertEquals(15000L, timeouts.get(2), "the next call runs with the new timeout");
    }
}
