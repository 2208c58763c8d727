package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.queue.RecordingPublisher;
import org.seggateway.gateway.results.ResultHandler;
import org.seggateway.inference.queue.ResultHeader;

/** Studies whose CT series went through the pipeline to a stored SEG (waiting for delivery). */
@ApplicationScoped
public class FinishedStudies {
    /** The labelled square on the middle slice: x and y from {@link #FROM} (inclusive) to {@link #TO} (exclusive). */
    static final int FROM = 5, TO = 11, WIDTH = 16, HEIGHT = 16, DEPTH = 5, LABELLED_SLICE = 2;

    @Inject
    PipelineFixture pipeline;
    @Inject
    ResultHandler handler;
    @Inject
    RecordingPublisher queue;

    /** Writes the series under {@code dir}, runs it through ingest and dispatch and stores a SEG of label 1 on a square. */
    public SyntheticSeries.Written create(Path dir, String accession, String patientId) throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(WIDTH, HEIGHT, DEPTH).patient("Test^Finished", patientId, accession)
                .write(dir);
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        Volume v = queue.published(job.toString()).volume();
        byte[] labels = new byte[(int) v.geometry().voxelCount()];
        for (int y = FROM; y < TO; y++)
            for (int x = FROM; x < TO; x++) labels[x + WIDTH * (y + HEIGHT * LABELLED_SLICE)] = 1;
        handler.store(handler.prepare(job.toString()).orElseThrow(),
                ResultHeader.done(job.toString(), "w1", labels.length, 1, Map.of("inference", 0.5, "total", 0.75)),
                new LabelMap(WIDTH, HEIGHT, DEPTH, labels)).orElseThrow();
        return ct;
    }
}
