package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    @Test
    void startsFullAndAllowsRetries() {
        RetryBudget budget = new RetryBudget(TestSettings.BUDGET);
        assertEquals(10_000, budget.tokensMilli());
        assertEquals(10_000, budget.maxMilli());
        assertEquals(100, budget.ratioMilli());
        assertTrue(budget.allowRetry());
    }

    @Test
    void exactlyHalfRefusesAndJustAboveAllows() {
        RetryBudget budget = new RetryBudget(new RetryBudgetSettings(2, 0.001));
        budget.record(Outcome.FAILURE);
        assertEquals(1000, budget.tokensMilli());
        assertFalse(budget.allowRetry());
        budget.record(Outcome.SUCCESS);
        assertTrue(budget.allowRetry());
    }

    @Test
    void ignoredOutcomeLeavesTheBucketAlone() {
        RetryBudget budget = new RetryBudget(TestSettings.BUDGET);
        budget.record(Outcome.FAILURE);
        budget.record(Outcome.IGNORED);
        assertEquals(9000, budget.tokensMilli());
    }

    @Test
    void ratioWithThreeDecimalsIsRoundedToMilliTokens() {
        assertEquals(7, new RetryBudget(new RetryBudgetSettings(1, 0.007)).ratioMilli());
        assertEquals(1005, new RetryBudget(new RetryBudgetSettings(1, 1.005)).ratioMilli());
        assertEquals(290, new RetryBudget(new RetryBudgetSettings(1, 0.29)).ratioMilli());
    }

    @Test
    void concurrentFailuresAndSuccessesLoseNoUpdateAndStayWithinBounds() throws Exception {
        RetryBudget budget = new RetryBudget(new RetryBudgetSettings(1000, 0.5));
        int threads = 8;
        int perThread = 20_000;
        AtomicBoolean outOfBounds = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long t = budget.tokensMilli();
                if (t < 0 || t > budget.maxMilli()) {
                    outOfBounds.set(true);
                }
            }
        });
        watcher.start();
        // 8 × 20000 failures drain the bucket far below zero if unclamped; it must stop at 0.
        runTogether(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                budget.record(Outcome.FAILURE);
            }
        });
        assertEquals(0, budget.tokensMilli());
        // 8 × 500 successes of 500 milli-tokens add exactly 2_000_000, capped at 1_000_000;
        // 8 × 100 add exactly 400_000: a lost update would show.
        runTogether(threads, () -> {
            for (int i = 0; i < 100; i++) {
                budget.record(Outcome.SUCCESS);
            }
        });
        assertEquals(400_000, budget.tokensMilli());
        runTogether(threads, () -> {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
            for (int i = 0; i < perThread; i++) {
                budget.record(random.nextBoolean() ? Outcome.SUCCESS : Outcome.FAILURE);
            }
        });
        watcher.interrupt();
        watcher.join();
        assertFalse(outOfBounds.get(), "the bucket left [0, max]");
    }

    static void runTogether(int threads, Runnable body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    body.run();
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals(List.of(), failures);
    }
}
