package org.seggateway.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.seggateway.inference.SegmentOptions;
import org.seggateway.inference.queue.Topics;
import org.seggateway.inference.runtime.RuntimeOptions;
import org.seggateway.inference.worker.InferenceWorker;
import org.seggateway.inference.worker.ModelCatalog;
import org.seggateway.inference.worker.SegmenterJobRunner;
import org.seggateway.inference.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an inference worker: consumes volume jobs from Kafka (" + Topics.JOBS + "), segments each with "
                + "the model package it names (name and version) from the models folder, and publishes the label "
                + "map (" + Topics.RESULTS + ") or, after repeated failure, the error (" + Topics.JOBS_DLQ + ").",
                "",
                "Runs until SIGTERM or Ctrl-C; then it stops consuming, lets a job in progress finish (up to "
                        + "--shutdown-timeout) and closes its Kafka clients. A job cut off is run again by the next worker."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers")
    String bootstrapServers;

    @Option(names = "--models", required = true, paramLabel = "DIR",
            description = "folder of model packages (one sub-folder each), or one package folder")
    Path models;

    @Option(names = "--worker-id", paramLabel = "ID",
            description = "stable name of this worker: Kafka client ids and transactional id (default: the host name; with --device N > 0 the host name and -gpuN)")
    String workerId;

    @Option(names = "--group", defaultValue = "seg-workers", description = "consumer group (default ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE", description = {"any other Kafka client property, for both clients"
            + " (repeatable), e.g. security.protocol=SSL, or session.timeout.ms=10000 so that a dead worker's jobs move sooner"})
    Map<String, String> kafka = Map.of();

    @Option(names = "--provider", defaultValue = "auto", description = "execution provider: cpu, cuda or auto (default ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = one per core)")
    int threads;

    @Mixin
    GpuOptions gpu;

    @Option(names = "--largest-component", description = "keep only the largest connected component of each label")
    boolean largestComponent;

    @Option(names = "--max-deliveries", defaultValue = "3", paramLabel = "N",
            description = "a job taken up N times by the group's workers without an answer (each worker crash on it is one) is"
                    + " dead-lettered instead of run again (default ${DEFAULT-VALUE})")
    int maxDeliveries;

    @Option(names = "--shutdown-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "how long a shutdown waits for a job in progress (default ${DEFAULT-VALUE})")
    int shutdownTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        String id = workerId != null ? workerId : defaultWorkerId(gpu.device);
        WorkerSettings defaults = WorkerSettings.defaults(bootstrapServers, id);
        Properties extra = new Properties();
        extra.putAll(defaults.extra());
        extra.putAll(kafka);
        WorkerSettings settings = new WorkerSettings(bootstrapServers, group, id, defaults.attempts(), defaults.maxJobTime(),
                extra, maxDeliveries);
        RuntimeOptions runtime = gpu.runtime(provider, threads);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = null;
        try (ModelCatalog catalog = ModelCatalog.open(models, runtime);
             InferenceWorker worker = new InferenceWorker(settings, new SegmenterJobRunner(catalog,
                     new SegmentOptions(largestComponent, false)))) {
            System.out.println("worker " + id + ": models " + catalog.models() + ", Kafka " + bootstrapServers + ", group " + group);
            hook = Thread.ofPlatform().name("worker-shutdown").unstarted(() -> stop(worker, id, stopped));
            Runtime.getRuntime().addShutdownHook(hook);
            worker.run();
            System.out.println("worker " + id + ": stopped after " + worker.jobsDone() + " jobs done, " + worker.jobsFailed() + " failed");
        } finally {
            stopped.countDown(); // after the sessions and Kafka clients are closed
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what stopped us
                }
            }
        }
        return 0;
    }

    /** Shutdown hook: stop consuming, then wait for the worker loop to end and the resources to close. */
    private void stop(InferenceWorker worker, String id, CountDownLatch stopped) {
        System.err.println("worker " + id + ": stopping");
        worker.close();
        try {
            if (!stopped.await(shutdownTimeoutSeconds, TimeUnit.SECONDS))
                System.err.println("worker " + id + ": a job still runs after " + shutdownTimeoutSeconds
                        + " s; exiting without it (it will run again)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The host name, and for the workers of GPUs 1, 2, ... the host name with {@code -gpuN}: workers on one host need
     * ids of their own (the id names the Kafka transactional id; two workers with one id would fence each other).
     */
    static String defaultWorkerId(int device) {
        return device == 0 ? defaultWorkerId() : defaultWorkerId() + "-gpu" + device;
    }

    private static String defaultWorkerId() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "worker-" + ProcessHandle.current().pid();
        }
    }
}
