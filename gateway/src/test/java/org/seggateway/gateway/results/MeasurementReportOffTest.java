package org.seggateway.gateway.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.queue.PipelineFixture;
import org.seggateway.gateway.queue.RecordingPublisher;
import org.seggateway.inference.queue.ResultHeader;

/** A route with {@code measurement-report=false}: the result keeps its measurements, no report is written or sent. */
@QuarkusTest
@TestProfile(MeasurementReportOffTest.ReportOff.class)
class MeasurementReportOffTest {
    public static class ReportOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("seg-gateway.routes.test-ct.measurement-report", "false");
        }
    }

    @Inject
    PipelineFixture pipeline;
    @Inject
    ResultHandler handler;
    @Inject
    RecordingPublisher queue;
    @TempDir
    Path incoming;

    @Test
    void theResultIsMeasuredButNoReportGoesWithTheSeg() throws Exception {
        SyntheticSeries.Written ct = SyntheticSeries.ct().size(24, 24, 6).write(incoming.resolve("ct"));
        UUID job = pipeline.storeAndComplete(ct).getFirst();
        pipeline.dispatch(job);
        LabelMap labels = ResultHandlerTest.threshold(queue.published(job.toString()).volume());
        ResultHandler.StoredResult stored = handler.store(handler.prepare(job.toString()).orElseThrow(),
                ResultHeader.done(job.toString(), "w1", labels.labels().length, 1, Map.of()), labels).orElseThrow();

        assertThat(stored.reportFile()).isNull();
        assertThat(stored.measurements()).isNotEmpty();
        assertThat(stored.segFile().resolveSibling(job + ".sr.dcm")).doesNotExist();
        assertThat(pipeline.string("select (sr_path is null) || ' ' || (sr_sop_instance_uid is null) || ' '"
                + " || jsonb_array_length(segment_statistics) from results where job_id = ?", job)).isEqualTo("true true 2");
    }
}
