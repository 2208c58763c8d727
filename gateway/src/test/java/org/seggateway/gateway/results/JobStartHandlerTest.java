package org.seggateway.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.results.JobStartHandler.Outcome;
import org.seggateway.gateway.api.JobQueries;
import org.seggateway.gateway.api.JobView;
import org.seggateway.inference.queue.ExecutionDevice;
import org.seggateway.inference.queue.JobStarted;

/** The ordering rules of a worker's job start against the real database: first start kept, none after the result. */
@QuarkusTest
class JobStartHandlerTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    JobStartHandler starts;
    @Inject
    JobQueries queries;
    @TempDir
    Path incoming;

    @Test
    void aQueuedJobRunsFromItsFirstStartAndAStartAfterTheResultChangesNothing() throws Exception {
        UUID job = queuedJob();
        JobStarted first = new JobStarted(job.toString(), "w1", 1, "2025-01-02T03:04:05Z");

        assertThat(starts.started(first)).isEqualTo(Outcome.STARTED);
        assertThat(pipeline.state(job)).isEqualTo("running");
        assertThat(pipeline.string("select queued_at <= started_at and started_at <= now() from jobs where id = ?", job)).isEqualTo("t");
        String startedAt = pipeline.string("select started_at::text from jobs where id = ?", job);

        // read again after a consumer restart: nothing new
        assertThat(starts.started(first)).isEqualTo(Outcome.DUPLICATE);
        // the job taken over by another worker: audited, but started_at stays the first start
        assertThat(starts.started(new JobStarted(job.toString(), "w2", 1, "2025-01-02T03:09:00Z"))).isEqualTo(Outcome.RESTARTED);
        assertThat(pipeline.string("select started_at::text from jobs where id = ?", job)).isEqualTo(startedAt);
        assertThat(startedAudits(job)).isEqualTo("w1 1 2025-01-02T03:04:05Z,w2 1 2025-01-02T03:09:00Z");

        pipeline.storeResult(job, i -> i % 7 == 0, Map.of("inference", 1.0));
        assertThat(pipeline.state(job)).isEqualTo("done");

        // a late start (a third attempt whose record comes after the result): the job stays done
        assertThat(starts.started(new JobStarted(job.toString(), "w3", 2, "2025-01-02T03:10:00Z"))).isEqualTo(Outcome.IGNORED);
        assertThat(pipeline.state(job)).isEqualTo("done");
        assertThat(pipeline.string("select started_at::text from jobs where id = ?", job)).isEqualTo(startedAt);
        assertThat(pipeline.string("select started_at <= finished_at from jobs where id = ?", job)).isEqualTo("t");
        assertThat(startedAudits(job)).isEqualTo("w1 1 2025-01-02T03:04:05Z,w2 1 2025-01-02T03:09:00Z");
    }

    @Test
    void aResultWithoutAnyStartStillFinishesTheJobAndAStartAfterItIsIgnored() throws Exception {
        UUID job = queuedJob();
        pipeline.storeResult(job, i -> false, Map.of());
        assertThat(starts.started(new JobStarted(job.toString(), "w1", 1, "2025-01-02T03:04:05Z"))).isEqualTo(Outcome.IGNORED);
        assertThat(pipeline.state(job)).isEqualTo("done");
        assertThat(pipeline.string("select started_at is null from jobs where id = ?", job)).isEqualTo("t");
        assertThat(startedAudits(job)).isNull();
    }

    @Test
    void startsOfUnknownOrForeignJobsAreIgnored() throws Exception {
        assertThat(starts.started(new JobStarted(UUID.randomUUID().toString(), "w1", 1, "2025-01-02T03:04:05Z"))).isEqualTo(Outcome.IGNORED);
        assertThat(starts.started(new JobStarted("job-of-someone-else", "w1", 1, "2025-01-02T03:04:05Z"))).isEqualTo(Outcome.IGNORED);
    }

    @Test
    void theWorkerAndItsGpuAreStoredAndShownAndAnOlderWorkersStartKeepsItsId() throws Exception {
        UUID job = queuedJob();
        assertThat(queries.job(job).orElseThrow().worker()).isNull();
        ExecutionDevice h200 = new ExecutionDevice("CUDA", "NVIDIA H200 (0)", 143771L << 20, "13, driver 580.159.03");
        assertThat(starts.started(new JobStarted(job.toString(), "gpu-0", 1, "2025-01-02T03:04:05Z", h200))).isEqualTo(Outcome.STARTED);
        assertThat(queries.job(job).orElseThrow().worker())
                .isEqualTo(new JobView.Worker("gpu-0", "CUDA", "NVIDIA H200 (0)", 143771L << 20, "13, driver 580.159.03"));
        assertThat(pipeline.string("select details->'device'->>'gpu' from audit_events where event_type = 'job.started' "
                + "and details->>'jobId' = ?::text", job)).isEqualTo("NVIDIA H200 (0)");
        // taken over by a worker without the device field: its id, no device
        assertThat(starts.started(new JobStarted(job.toString(), "old-worker", 1, "2025-01-02T03:09:00Z"))).isEqualTo(Outcome.RESTARTED);
        assertThat(queries.job(job).orElseThrow().worker()).isEqualTo(new JobView.Worker("old-worker", null, null, null, null));
    }

    private UUID queuedJob() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(24, 20, 6).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        assertThat(pipeline.state(job)).isEqualTo("queued");
        return job;
    }

    private String startedAudits(UUID job) throws Exception {
        return pipeline.string("""
                select string_agg(details->>'worker' || ' ' || (details->>'attempt') || ' ' || (details->>'workerStartedAt'), ',' order by id)
                from audit_events where event_type = 'job.started' and details->>'jobId' = ?::text""", job);
    }
}
