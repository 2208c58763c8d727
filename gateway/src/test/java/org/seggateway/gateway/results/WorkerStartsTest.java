package org.seggateway.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.JobDispatcher;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.results.JobStartHandler.Outcome;
import org.seggateway.inference.queue.JobStarted;

/**
 * Starts counted per job across workers: a worker's own retries (attempt 2, 3) are not new deliveries; the start that
 * follows max-worker-starts (3) deliveries without a result fails the job, "worker crashed 3 times on this job".
 */
@QuarkusTest
class WorkerStartsTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    JobStartHandler starts;
    @TempDir
    Path incoming;

    @Test
    void theStartAfterThreeDeliveriesWithoutAResultFailsTheJob() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(40, 40, 8).spacing(2, 2, 3).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);

        assertThat(starts.started(start(job, "w1", 1, "01"))).isEqualTo(Outcome.STARTED);
        assertThat(starts.started(start(job, "w1", 2, "02"))).isEqualTo(Outcome.RESTARTED); // the worker's own retry
        assertThat(starts.started(start(job, "w2", 1, "03"))).isEqualTo(Outcome.RESTARTED); // w1 died
        assertThat(starts.started(start(job, "w3", 1, "04"))).isEqualTo(Outcome.RESTARTED); // w2 died
        assertThat(starts.started(start(job, "w3", 1, "04"))).isEqualTo(Outcome.DUPLICATE); // read twice: not counted
        assertThat(pipeline.string("select worker_starts || ' ' || state from jobs where id = ?", job)).isEqualTo("3 running");

        assertThat(starts.started(start(job, "w4", 1, "05"))).isEqualTo(Outcome.GAVE_UP); // w3 died too
        assertThat(pipeline.state(job)).isEqualTo("failed worker crashed 3 times on this job (4 starts without a result,"
                + " seg-gateway.jobs.max-worker-starts=3); not run again");
        assertThat(pipeline.string("""
                select details->>'stage' || ' ' || (details->>'worker') from audit_events
                where event_type = 'job.failed' and details->>'jobId' = ?::text""", job)).isEqualTo("inference w4");
        // a start after the failure changes nothing
        assertThat(starts.started(start(job, "w5", 1, "06"))).isEqualTo(Outcome.IGNORED);
        assertThat(pipeline.string("select worker_starts from jobs where id = ?", job)).isEqualTo("4");
    }

    private static JobStarted start(UUID job, String worker, int attempt, String second) {
        return new JobStarted(job.toString(), worker, attempt, "2025-01-02T03:04:" + second + "Z");
    }
}
