package org.seggateway.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.JobDispatcher;
import org.seggateway.gateway.queue.PipelineFixture;

/** Spool retention on the real database: only finished, delivered series past the retention lose their files. */
@QuarkusTest
class SpoolRetentionTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    SpoolRetention retention;
    @TempDir
    Path incoming;

    private SyntheticSeries.Written finished(String name, boolean delivered, Duration completedAgo) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(16, 16, 4).write(incoming.resolve(name));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> i % 3 == 0, Map.of());
        if (delivered)
            pipeline.values("update deliveries d set state = 'delivered' from results r where r.id = d.result_id and r.job_id = ? returning d.id", job);
        pipeline.values("update series set completed_at = ? where series_instance_uid = ? returning id",
                java.sql.Timestamp.from(Instant.now().minus(completedAgo)), ct.seriesInstanceUid());
        return ct;
    }

    private List<String> files(SyntheticSeries.Written ct) throws Exception {
        return pipeline.values("select i.spool_path from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?",
                ct.seriesInstanceUid());
    }

    @Test
    void deletesTheFilesOfFinishedSeriesPastTheRetentionOnly() throws Exception {
        SyntheticSeries.Written old = finished("old", true, Duration.ofDays(40));
        SyntheticSeries.Written recent = finished("recent", true, Duration.ofDays(2));
        SyntheticSeries.Written undelivered = finished("undelivered", false, Duration.ofDays(40));

        assertThat(retention.purgeCompletedBefore(Instant.now().minus(Duration.ofDays(30)))).isGreaterThanOrEqualTo(1);

        assertThat(files(old)).hasSize(4).allSatisfy(f -> assertThat(Path.of(f)).doesNotExist());
        assertThat(pipeline.value("select count(*) from instances i join series s on s.id = i.series_id"
                + " where s.series_instance_uid = ? and i.purged_at is not null", old.seriesInstanceUid())).isEqualTo("4");
        assertThat(pipeline.value("select (details->>'filesDeleted') || ' ' || study_instance_uid from audit_events"
                + " where event_type = 'spool.purged' and details->>'seriesInstanceUid' = ?", old.seriesInstanceUid()))
                .isEqualTo("4 " + old.studyInstanceUid());
        assertThat(pipeline.value("select seg_path from results r join jobs j on j.id = r.job_id join series s on s.id = j.series_id"
                + " where s.series_instance_uid = ?", old.seriesInstanceUid())).satisfies(seg -> assertThat(Path.of(seg)).exists());
        for (SyntheticSeries.Written kept : List.of(recent, undelivered))
            assertThat(files(kept)).hasSize(4).allSatisfy(f -> assertThat(Path.of(f)).exists());

        assertThat(retention.purgeCompletedBefore(Instant.now().minus(Duration.ofDays(30))))
                .as("nothing more to purge").isZero();

        // a new live job of the purged series (it was reopened, say) fails with what to do, not with a missing file
        UUID job = UUID.fromString(pipeline.value("""
                insert into jobs (id, series_id, series_version, route_name, model_package, state, created_at, updated_at)
                select gen_random_uuid(), id, version, 'test-ct', 'test-model', 'complete', now(), now() from series
                where series_instance_uid = ? returning id""", old.seriesInstanceUid()));
        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.FAILED);
        assertThat(pipeline.state(job)).startsWith("failed 4 of 4 instances are no longer in the spool").contains("POST /api/reprocess");
    }
}
