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
import org.seggateway.gateway.queue.JobDispatcher;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.queue.WrongVrInstances;

/**
 * A result whose SEG cannot be built because its source series now throws an unchecked exception when read (a spooled
 * source replaced by an instance with the Per-frame Functional Groups Sequence as LO): the job fails alone with the
 * reason and an audit row, where the exception used to escape to the result consumer (which read the same result again
 * and again); the next job's result becomes its SEG.
 */
@QuarkusTest
class PoisonResultTest {
    @Inject
    PipelineFixture pipeline;
    @Inject
    ResultHandler handler;
    @TempDir
    Path incoming;

    @Test
    void aResultWhoseSegBuildThrowsFailsItsJobAloneAndTheNextResultIsStored() throws Exception {
        UUID poisoned = queued("poisoned");
        UUID next = queued("next");
        Path spooled = Path.of(pipeline.string("""
                select i.spool_path from jobs j join instances i on i.id = j.source_instance_ids[1] where j.id = ?""", poisoned));
        WrongVrInstances.withPerFrameFunctionalGroupsAsLongString(spooled, spooled);

        assertThat(handler.prepare(poisoned.toString())).isEmpty();

        assertThat(pipeline.state(poisoned)).startsWith("failed source series no longer readable for the SEG: ClassCastException");
        assertThat(pipeline.string("""
                select details->>'stage' from audit_events where event_type = 'job.failed' and details->>'jobId' = ?::text""",
                poisoned)).isEqualTo("seg");
        pipeline.storeResult(next, i -> i % 5 == 0, Map.of("inference", 1.0));
        assertThat(pipeline.state(next)).isEqualTo("done");
    }

    private UUID queued(String name) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(40, 40, 8).spacing(2, 2, 3).write(incoming.resolve(name));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        assertThat(pipeline.dispatch(job)).isEqualTo(JobDispatcher.Outcome.QUEUED);
        return job;
    }
}
