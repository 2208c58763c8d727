package org.seggateway.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.JobDispatcher;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.results.JobStartHandler;
import org.seggateway.inference.queue.JobStarted;

/** Jobs stuck 'queued' (no worker took them) and 'running' (no result after the latest start) fail after their timeouts. */
@QuarkusTest
class JobTimeoutsTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    JobTimeouts timeouts;
    @Inject
    JobStartHandler starts;
    @TempDir
    Path incoming;

    @Test
    void queuedAndRunningJobsPastTheirTimeoutsFailWithTheReasonAndOthersStay() throws Exception {
        UUID stuckQueued = queued("stuck-queued");
        UUID freshQueued = queued("fresh-queued");
        UUID stuckRunning = queued("stuck-running");
        UUID restarted = queued("restarted");
        starts.started(new JobStarted(stuckRunning.toString(), "w1", 1, "2025-01-02T03:04:05Z"));
        starts.started(new JobStarted(restarted.toString(), "w1", 1, "2025-01-02T03:04:05Z"));
        Instant now = Instant.now();
        // defaults: queued-timeout 6h, running-timeout 1h
        backdate("update jobs set queued_at = now() - interval '7 hours' where id = ?", stuckQueued);
        backdate("update jobs set queued_at = now() - interval '5 hours' where id = ?", freshQueued);
        backdate("update jobs set started_at = now() - interval '2 hours', last_started_at = now() - interval '2 hours'"
                + " where id = ?", stuckRunning);
        // first started long ago, but taken over by another worker 10 minutes ago: the latest start counts
        backdate("update jobs set started_at = now() - interval '2 hours', last_started_at = now() - interval '10 minutes'"
                + " where id = ?", restarted);

        assertThat(timeouts.failOverdue(now)).extracting(JobTimeouts.TimedOut::jobId).containsExactlyInAnyOrder(stuckQueued, stuckRunning);

        assertThat(pipeline.state(stuckQueued)).isEqualTo("failed no worker took the job within seg-gateway.jobs.queued-timeout"
                + " (PT6H) after it was queued");
        assertThat(pipeline.state(stuckRunning)).isEqualTo("failed no result within seg-gateway.jobs.running-timeout (PT1H)"
                + " after the job's latest start (1 worker start(s))");
        assertThat(pipeline.state(freshQueued)).isEqualTo("queued");
        assertThat(pipeline.state(restarted)).isEqualTo("running");
        assertThat(pipeline.value("""
                select string_agg(details->>'stage' || ' ' || (details->>'state'), ',') from audit_events
                where event_type = 'job.failed' and details->>'jobId' in (?::text, ?::text)""", stuckQueued, stuckRunning))
                .contains("timeout queued").contains("timeout running");
        // once only: a second check (another gateway) finds nothing
        assertThat(timeouts.failOverdue(Instant.now())).extracting(JobTimeouts.TimedOut::jobId).doesNotContain(stuckQueued, stuckRunning);
    }

    private void backdate(String sql, UUID job) throws Exception {
        pipeline.values(sql.replace("update jobs", "with u as (update jobs") + " returning 1) select count(*) from u", job);
    }

    private UUID queued(String name) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(40, 40, 8).spacing(2, 2, 3).write(incoming.resolve(name));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);
        return job;
    }
}
