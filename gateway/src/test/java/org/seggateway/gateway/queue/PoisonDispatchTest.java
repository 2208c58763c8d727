package org.seggateway.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.seggateway.gateway.security.TestUsers.asViewer;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/**
 * An instance that is stored with Success but breaks volume assembly with an unchecked exception (the Per-frame Functional
 * Groups Sequence with VR LO): its job fails alone, with the reason in the database, the API and the audit trail, and
 * the series completed after it is queued in the same pass.
 */
@QuarkusTest
class PoisonDispatchTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    JobDispatcher dispatcher;
    @TempDir
    Path incoming;

    @Test
    void aVolumeThatThrowsAtAssemblyFailsItsJobAloneAndTheNextSeriesIsQueued() throws Exception {
        SyntheticSeries.Written poison = SyntheticSeries.ct().size(40, 40, 8).spacing(2, 2, 3).write(incoming.resolve("poison"));
        Path first = poison.files().getFirst();
        WrongVrInstances.withPerFrameFunctionalGroupsAsLongString(first, first);
        UUID poisonJob = pipeline.storeAndComplete(poison).getFirst();
        SyntheticSeries.Written next = SyntheticSeries.ct().size(40, 40, 8).spacing(2, 2, 3).write(incoming.resolve("next"));
        UUID nextJob = pipeline.storeAndComplete(next).getFirst();

        dispatcher.dispatchPending();

        assertThat(pipeline.state(poisonJob)).startsWith("failed volume not assembled: ClassCastException");
        assertThat(pipeline.state(nextJob)).isEqualTo("queued");
        assertThat(pipeline.string("""
                select details->>'stage' || ' ' || (details->>'reason') from audit_events
                where event_type = 'job.failed' and details->>'jobId' = ?::text""", poisonJob))
                .startsWith("assemble volume not assembled: ClassCastException");
        asViewer().get("/api/jobs/" + poisonJob).then().statusCode(200)
                .body("state", equalTo("failed")).body("reason", containsString("ClassCastException"));
        // the spooled instances stay: the series can be sent again or reprocessed
        assertThat(pipeline.countOf("""
                select count(*) from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?""",
                poison.seriesInstanceUid())).isEqualTo(8);
    }
}
