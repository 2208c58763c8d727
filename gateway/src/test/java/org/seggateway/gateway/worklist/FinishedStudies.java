package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;

/** Studies whose CT series went through the pipeline to a stored SEG (waiting for delivery). */
@ApplicationScoped
public class FinishedStudies {
    /** The labelled square on the middle slice: x and y from {@link #FROM} (inclusive) to {@link #TO} (exclusive). */
    static final int FROM = 5, TO = 11, WIDTH = 16, HEIGHT = 16, DEPTH = 5, LABELLED_SLICE = 2;

    @Inject
    PipelineFixture pipeline;

    /** Writes the series under {@code dir}, runs it through ingest and dispatch and stores a SEG of label 1 on a square. */
    public SyntheticSeries.Written create(Path dir, String accession, String patientId) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(WIDTH, HEIGHT, DEPTH).patient("Test^Finished", patientId, accession)
                .write(dir);
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        pipeline.storeResult(job, i -> {
            int x = i % WIDTH, y = i / WIDTH % HEIGHT, z = i / (WIDTH * HEIGHT);
            return z == LABELLED_SLICE && x >= FROM && x < TO && y >= FROM && y < TO;
        }, Map.of("inference", 0.5, "total", 0.75));
        return ct;
    }
}
