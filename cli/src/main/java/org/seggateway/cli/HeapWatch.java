package org.seggateway.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap while something runs: the largest used heap seen by a sampler every 5 ms, and the sum of the
 * heap pools' own peaks (an upper bound: pools peak at different moments).
 */
final class HeapWatch implements AutoCloseable {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long sampledPeak;

    HeapWatch() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        sampler = Thread.ofPlatform().daemon().name("heap-watch").start(() -> {
            while (running) {
                sampledPeak = Math.max(sampledPeak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    long sampledPeakBytes() {
        return sampledPeak;
    }

    long poolPeakSumBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        return sum;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.join();
    }
}
