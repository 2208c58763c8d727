package org.seggateway.it.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.worker.JobRunner;

/**
 * A {@link ThresholdRunner} that dies on the volumes of one width, the poison jobs of the fault tests: {@code kill} sends
 * SIGKILL to its own JVM, {@code oom} fills the heap until a real {@link OutOfMemoryError}. Other volumes run normally.
 */
public record PoisonRunner(ThresholdRunner normal, String mode, int poisonWidth) implements JobRunner {
    /** Printed when a poison job reaches the runner, just before it dies. */
    public static final String DYING = "runner dying on job ";

    @Override
    public LabelMap run(JobHeader job, Volume volume, Map<String, Double> stageSeconds) throws Exception {
        if (volume.geometry().width() != poisonWidth) return normal.run(job, volume, stageSeconds);
        System.out.println(DYING + job.jobId() + " (" + mode + ")");
        System.out.flush();
        switch (mode) {
            case "kill" -> {
                new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
                Thread.sleep(60_000); // SIGKILL arrives before this ends
                throw new IllegalStateException("not killed");
            }
            case "oom" -> {
                List<long[]> hog = new ArrayList<>();
                while (true) hog.add(new long[8 << 20]); // 64 MiB at a time, until the heap is full
            }
            default -> throw new IllegalArgumentException("unknown poison mode " + mode);
        }
    }
}
