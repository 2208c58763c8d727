package org.seggateway.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/**
 * A job that kills every worker that runs it, with the real peers of {@link Pipeline} and workers as child JVMs: the
 * test restarts each dead worker, as a supervisor would. After {@code max-worker-starts} (3) deliveries the next worker
 * dead-letters the job instead of running it, the gateway fails it with "worker crashed 3 times on this job", and the
 * series behind it are processed by that same worker. Once with SIGKILL, once with a real OutOfMemoryError.
 */
class PoisonJobsIT {
    static final Duration QUIET_TIME = Duration.ofSeconds(2);
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);
    static final int MAX_STARTS = 3;

    static Path directory;
    static Pipeline pipeline;
    static PipelineDatabase db;

    @BeforeAll
    static void start() throws Exception {
        directory = Pipeline.workDirectory(PoisonJobsIT.class);
        pipeline = Pipeline.start(directory, QUIET_TIME);
        db = pipeline.database();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aJobThatGetsItsWorkerKilledOnEveryStartFailsAfterThreeAndTheNextSeriesIsProcessed() throws Exception {
        poisonJobEndsFailedAndLaterJobsComplete("kill", 80, 137);
    }

    @Test
    void aJobThatRunsItsWorkerOutOfMemoryOnEveryStartFailsAfterThreeAndTheNextSeriesIsProcessed() throws Exception {
        poisonJobEndsFailedAndLaterJobsComplete("oom", 88, 70);
    }

    private void poisonJobEndsFailedAndLaterJobsComplete(String mode, int poisonWidth, int deathStatus) throws Exception {
        SyntheticSeries.Written poison = SyntheticSeries.ct().size(poisonWidth, poisonWidth, 30).spacing(2.0, 2.0, 2.5)
                .noise(5, poisonWidth).write(directory.resolve(mode + "-poison"));
        assertThat(pipeline.storescu(poison.files()).exitCode()).isZero();
        String jobId = db.awaitJob(poison.seriesInstanceUid(), "queued", JOB_TIMEOUT).id();

        List<WorkerProcess> workers = new ArrayList<>();
        List<Integer> deaths = new ArrayList<>();
        WorkerProcess survivor = null;
        try {
            // a supervisor: one worker at a time, restarted when it dies, until the job has failed (or too many died)
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (survivor == null) {
                assertThat(workers).as("workers started; the job is %s", db.scalar("select state from jobs where id = ?::uuid", jobId))
                        .hasSizeLessThanOrEqualTo(MAX_STARTS + 1);
                WorkerProcess w = WorkerProcess.poisoned(pipeline.broker().bootstrapServers(), mode + "-" + workers.size(), mode,
                        poisonWidth, directory.resolve("workers").resolve(mode + "-" + workers.size() + ".log"));
                workers.add(w);
                while (true) {
                    assertThat(System.nanoTime()).as("time left").isLessThan(deadline);
                    Integer exit = w.awaitExit(Duration.ofMillis(250));
                    if (exit != null) {
                        deaths.add(exit);
                        break;
                    }
                    if ("failed".equals(db.scalar("select state from jobs where id = ?::uuid", jobId))) {
                        survivor = w;
                        break;
                    }
                }
            }

            assertThat(deaths).as("each of the first %d workers died on the job", MAX_STARTS).hasSize(MAX_STARTS)
                    .containsOnly(deathStatus);
            long dying = 0;
            for (WorkerProcess w : workers) dying += w.output().lines().filter(l -> l.startsWith(PoisonRunner.DYING + jobId)).count();
            assertThat(dying).as("the poison job reached a runner %d times, not once more", MAX_STARTS).isEqualTo(MAX_STARTS);
            assertThat(survivor.output()).contains("worker crashed 3 times on this job").doesNotContain(PoisonRunner.DYING);

            PipelineDatabase.Job failed = db.jobs(poison.seriesInstanceUid()).getFirst();
            assertThat(failed.state()).isEqualTo("failed");
            assertThat(failed.reason()).contains("worker crashed 3 times on this job");
            assertThat(db.scalar("select worker_starts from jobs where id = ?::uuid", jobId)).isEqualTo(Integer.toString(MAX_STARTS));
            assertThat(db.scalar("select count(*) from results where job_id = ?::uuid", jobId)).isEqualTo("0");
            assertThat(db.scalar("""
                    select count(*) from audit_events where event_type = 'job.failed' and details->>'jobId' = ?
                    and details->>'reason' like '%worker crashed 3 times%'""", jobId)).isEqualTo("1");
            assertThat(db.scalar("select count(*) from audit_events where event_type = 'job.started' and details->>'jobId' = ?",
                    jobId)).isEqualTo(Integer.toString(MAX_STARTS));

            // the series behind it: the surviving worker runs it
            SyntheticSeries.Written next = SyntheticSeries.ct().size(96, 96, 30).spacing(2.0, 2.0, 2.5).noise(5, poisonWidth + 1)
                    .write(directory.resolve(mode + "-next"));
            assertThat(pipeline.storescu(next.files()).exitCode()).isZero();
            String nextJob = db.awaitJob(next.seriesInstanceUid(), "done", JOB_TIMEOUT).id();
            db.awaitDeliveries(nextJob, "delivered", JOB_TIMEOUT);
            assertThat(survivor.isAlive()).isTrue();
        } finally {
            for (WorkerProcess w : workers) w.close();
        }
        Files.writeString(directory.resolve(mode + "-figures.txt"), "workers started " + workers.size() + ", died " + deaths
                + ", poison job " + jobId + " failed\n");
    }
}
