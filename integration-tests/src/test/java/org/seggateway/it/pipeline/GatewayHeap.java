package org.seggateway.it.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the gateway's heap in use (the sum of {@code jvm_memory_used_bytes{area="heap"}} on its open
 * {@code /q/metrics}) every {@code period} on a daemon thread and keeps the peak, until closed.
 */
final class GatewayHeap implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final AtomicLong peak = new AtomicLong(-1);
    private final AtomicLong samples = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    private GatewayHeap(int httpPort, Duration period) {
        this.metrics = URI.create("http://127.0.0.1:" + httpPort + "/q/metrics");
        this.thread = Thread.ofPlatform().daemon().name("gateway-heap").start(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static GatewayHeap sample(int httpPort, Duration period) {
        return new GatewayHeap(httpPort, period);
    }

    /** The highest heap in use seen, in bytes; -1 when no sample could be read. */
    long peakBytes() {
        return peak.get();
    }

    long samples() {
        return samples.get();
    }

    private void sample() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return;
            double heap = r.body().lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            if (heap > 0) {
                peak.accumulateAndGet((long) heap, Math::max);
                samples.incrementAndGet();
            }
        } catch (Exception gatewayBusyOrDown) {
            // a missed sample; the next one counts
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
