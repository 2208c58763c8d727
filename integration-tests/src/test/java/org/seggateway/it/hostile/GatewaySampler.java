package org.seggateway.it.hostile;

import java.util.concurrent.atomic.AtomicLong;
import org.seggateway.it.pipeline.GatewayProcess;

/**
 * Polls the gateway's {@code /q/metrics} every 100 ms while it runs and keeps the highest used heap
 * ({@code jvm_memory_used_bytes{area="heap"}} summed over the pools) and the most open DICOM connections
 * ({@code seggateway_dicom_connections_open}) seen.
 */
final class GatewaySampler implements AutoCloseable {

    private final GatewayProcess gateway;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakConnections = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    GatewaySampler(GatewayProcess gateway) {
        this.gateway = gateway;
        sample();
        thread = Thread.ofVirtual().name("heap-sampler").start(this::loop);
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        try {
            String metrics = gateway.get("/q/metrics");
            long used = metrics.lines()
                    .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToLong(GatewaySampler::value).sum();
            peak.accumulateAndGet(used, Math::max);
            long open = metrics.lines().filter(l -> l.startsWith("seggateway_dicom_connections_open"))
                    .mapToLong(GatewaySampler::value).sum();
            peakConnections.accumulateAndGet(open, Math::max);
        } catch (Exception e) {
            // a missed sample; the gateway's liveness is checked elsewhere
        }
    }

    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /** The most DICOM connections the gateway held open at once (half-open ones included) so far. */
    long peakOpenConnections() {
        return peakConnections.get();
    }

    /** The highest used heap seen so far, in MiB. */
    long peakMebibytes() {
        return peak.get() >> 20;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
        sample();
    }
}
