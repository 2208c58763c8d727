package org.seggateway.gateway.work;

import static org.seggateway.gateway.work.WorkLog.LOG;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What a loop that picks up work does with a throwable it did not expect: it logs it with the loop's name, counts it in
 * {@code seggateway_loop_errors_total{loop,kind}} and, through {@link #backoff}, waits before its next pass, so that
 * no thread dies silently and a failure that repeats does not spin. {@code kind} is the throwable's simple class name
 * ({@code OutOfMemoryError}, {@code StackOverflowError}, {@code ClassCastException}...). Alert on any increase.
 */
@ApplicationScoped
public class LoopErrors {
    private final MeterRegistry registry;

    LoopErrors(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Logs and counts a throwable caught by loop {@code loop}. */
    public void caught(String loop, Throwable t) {
        try {
            Counter.builder("seggateway.loop.errors").description("Unexpected throwables caught by the work loops, by loop and kind")
                    .tag("loop", loop).tag("kind", t.getClass().getSimpleName()).register(registry).increment();
            LOG.unexpected(t, loop, ItemFaults.describe(t));
        } catch (Throwable again) {
            // out of memory again, most likely: the loop must survive even if it cannot say so
        }
    }

    /** Sleeps {@code wait}; false when interrupted (the loop should end). */
    public static boolean backoff(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
