package org.seggateway.it.pipeline;

import java.time.Duration;
import java.util.Properties;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * An inference worker as its own JVM for the fault tests: {@code WorkerMain BOOTSTRAP WORKER_ID DELAY_MILLIS} runs an
 * {@link InferenceWorker} with a {@link ThresholdRunner} until SIGTERM. Its group session times out after 6 s (the
 * broker's minimum), so that a killed worker's partitions move to a new one quickly.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) throw new IllegalArgumentException("usage: WorkerMain BOOTSTRAP WORKER_ID DELAY_MILLIS");
        Properties kafka = new Properties();
        kafka.put("session.timeout.ms", "6000");
        kafka.put("heartbeat.interval.ms", "1000");
        WorkerSettings settings = new WorkerSettings(args[0], "seg-workers", args[1], 3, Duration.ofMinutes(5), kafka);
        InferenceWorker worker = new InferenceWorker(settings, new ThresholdRunner(Long.parseLong(args[2])));
        Thread thread = Thread.ofPlatform().name("worker").start(worker);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("worker " + args[1] + " running");
        thread.join();
    }
}
