package org.seggateway.it.pipeline;

import java.time.Duration;
import java.util.Properties;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.WorkerSettings;

/**
 * An inference worker as its own JVM for the fault tests: {@code WorkerMain BOOTSTRAP WORKER_ID DELAY_MILLIS [MODE WIDTH]}
 * runs an {@link InferenceWorker} with a {@link ThresholdRunner} until SIGTERM; with {@code MODE WIDTH} a
 * {@link PoisonRunner} that dies ({@code kill}: SIGKILL, {@code oom}: out of memory) on volumes of that width. Its group
 * session times out after 6 s (the broker's minimum), so that a killed worker's partitions move to a new one quickly.
 * When the worker stops on an {@link Error} the JVM exits with status 70, as a supervised worker would.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3 && args.length != 5)
            throw new IllegalArgumentException("usage: WorkerMain BOOTSTRAP WORKER_ID DELAY_MILLIS [kill|oom WIDTH]");
        System.setProperty("org.jboss.logging.provider", "jdk"); // as bin/seg-gateway worker (SegGateway.main)
        Properties kafka = new Properties();
        kafka.put("session.timeout.ms", "6000");
        kafka.put("heartbeat.interval.ms", "1000");
        WorkerSettings settings = new WorkerSettings(args[0], "seg-workers", args[1], 3, Duration.ofMinutes(5), kafka);
        ThresholdRunner threshold = new ThresholdRunner(Long.parseLong(args[2]));
        InferenceWorker worker = new InferenceWorker(settings, args.length == 5
                ? new PoisonRunner(threshold, args[3], Integer.parseInt(args[4])) : threshold);
        Thread thread = Thread.ofPlatform().name("worker").start(() -> {
            try {
                worker.run();
            } catch (Error e) {
                e.printStackTrace(System.out);
                System.out.flush();
                Runtime.getRuntime().halt(70);
            }
        });
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
