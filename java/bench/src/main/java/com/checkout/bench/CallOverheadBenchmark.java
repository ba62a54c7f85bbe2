package com.checkout.bench;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import com.checkout.resilience.Attempt;
import com.checkout.resilience.AttemptVerdict;
import com.checkout.resilience.Bulkhead;
import com.checkout.resilience.CallSettings;
import com.checkout.resilience.CircuitBreaker;
import com.checkout.resilience.Classifier;
import com.checkout.resilience.Outcome;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.RetryBudget;
import com.checkout.resilience.Role;
import com.checkout.resilience.Sleeper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-call overhead on the success path: a bare no-op call, the same call through the kernel
 * (deadline, bulkhead, breaker, budget and the retry loop of {@link ResilientCall}, with the
 * real clock and random source), and through resilience4j's Retry around its CircuitBreaker
 * configured like config/timeout.json. Also the breaker alone in both. One shared call site, as in the gateway;
 * add {@code -t 2} to measure two threads contending for it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallOverheadBenchmark {
    private static final RetrySettings RETRY = new RetrySettings(3, 2000, 2.0, 500, 8000);
    private static final CircuitBreakerSettings BREAKER =
            new CircuitBreakerSettings(true, 5, 60000, 3);
    private static final CallSettings CALL = new CallSettings(20000, 70000, 15000, 1000, 500, RETRY);

    private static final Classifier<String> CLASSIFIER = new Classifier<>() {
        @Override
        public AttemptVerdict classifyResult(String answer) {
            return AttemptVerdict.SUCCESS;
        }

        @Override
        public AttemptVerdict classifyError(Exception error) {
            return AttemptVerdict.TIMED_OUT;
        }
    };

    /** The upstream's answer, in a field so the JIT cannot fold the call away. */
    private String answer;
    private long now;
    private Attempt<String> attempt;
    private ResilientCall<String> kernel;
    private CircuitBreaker kernelBreaker;
    private Supplier<String> resilience4j;
    private io.github.resilience4j.circuitbreaker.CircuitBreaker r4jBreaker;

    /** Builds both stacks once; every invocation shares them, like request threads do. */
    @Setup
    public void setUp() {
        answer = "ok";
        now = System.nanoTime() / 1_000_000;
        attempt = context -> upstream();
        kernelBreaker = new CircuitBreaker(BREAKER);
        kernel = new ResilientCall<>(CALL, Role.ORIGIN, new CircuitBreaker(BREAKER),
                new RetryBudget(new RetryBudgetSettings(10, 0.1)),
                new Bulkhead(new BulkheadSettings(200)), CLASSIFIER,
                () -> System.nanoTime() / 1_000_000, () -> ThreadLocalRandom.current().nextDouble(),
                Sleeper.THREAD);

        r4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("provider",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(5)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(100)
                        .waitDurationInOpenState(Duration.ofMillis(60000))
                        .permittedNumberOfCallsInHalfOpenState(3)
                        .build());
        Retry retry = Retry.of("provider", RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        Duration.ofMillis(2000), 2.0, 0.125, Duration.ofMillis(8000)))
                .build());
        resilience4j = Retry.decorateSupplier(retry,
                io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(
                        r4jBreaker, this::upstream));
    }

    private String upstream() {
        return answer;
    }

    /**
     * The no-op call itself.
     *
     * @return its answer
     */
    @Benchmark
    public String bareCall() {
        return upstream();
    }

    /**
     * The call through the kernel's full loop.
     *
     * @return its answer
     * @throws InterruptedException never on this path (no sleep)
     */
    @Benchmark
    public String kernelCall() throws InterruptedException {
        return kernel.call(attempt).orThrow();
    }

    /**
     * The call through resilience4j's Retry around its CircuitBreaker.
     *
     * @return its answer
     */
    @Benchmark
    public String resilience4jCall() {
        return resilience4j.get();
    }

    /**
     * One read of the clock the kernel is given here; {@code kernelCall} reads it twice.
     *
     * @return the clock in ms
     */
    @Benchmark
    public long clockRead() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * The kernel's breaker alone: allow and record a success. Time is a parameter, so unlike
     * {@code kernelCall} this reads no clock, like resilience4j's count-based breaker.
     *
     * @return whether the record was applied
     */
    @Benchmark
    public boolean kernelBreakerOnly() {
        return kernelBreaker.allow(now).record(Outcome.SUCCESS, now);
    }

    /**
     * resilience4j's breaker alone: acquire a permission and record a success.
     *
     * @return the breaker's state after the call
     */
    @Benchmark
    public Object resilience4jBreakerOnly() {
        r4jBreaker.acquirePermission();
        r4jBreaker.onSuccess(0, TimeUnit.NANOSECONDS);
        return r4jBreaker.getState();
    }
}
