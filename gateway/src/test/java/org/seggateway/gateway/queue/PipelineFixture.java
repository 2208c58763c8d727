package org.seggateway.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import javax.sql.DataSource;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.volume.VolumeGeometry;
import org.seggateway.gateway.completion.SeriesCompletion;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.gateway.jobs.JobRepository;
import org.seggateway.gateway.results.ResultHandler;
import org.seggateway.inference.queue.ResultHeader;

/** Drives a synthetic series through store, completion and dispatch in the gateway's tests. */
@ApplicationScoped
public class PipelineFixture {
    private final InstanceStore store;
    private final SeriesCompletion completion;
    private final JobRepository jobs;
    private final JobDispatcher dispatcher;
    private final DataSource dataSource;
    private final RecordingPublisher queue;
    private final ResultHandler handler;

    PipelineFixture(InstanceStore store, SeriesCompletion completion, JobRepository jobs, JobDispatcher dispatcher, DataSource dataSource,
                    RecordingPublisher queue, ResultHandler handler) {
        this.store = store;
        this.completion = completion;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.dataSource = dataSource;
        this.queue = queue;
        this.handler = handler;
    }

    /** Stores the series' files as the listener would (the series stays receiving). */
    public void store(SyntheticSeries.Written series) throws Exception {
        for (Path f : series.files()) store.store(new ReceivedInstance(f, null, null, "1.2.840.10008.1.2.1", "CT1", new InetSocketAddress("127.0.0.1", 4000), 1));
    }

    /** Stores the series' files and completes it; returns the ids of its new jobs. */
    public List<UUID> storeAndComplete(SyntheticSeries.Written series) throws Exception {
        store(series);
        completion.completeQuietSeries(Instant.now().plusSeconds(60));
        List<UUID> ids = new ArrayList<>();
        for (var job : jobs.awaitingQueue(1000)) if (job.seriesInstanceUid().equals(series.seriesInstanceUid())) ids.add(job.id());
        assertThat(ids).as("jobs of series %s", series.seriesInstanceUid()).isNotEmpty();
        return ids;
    }

    /** Dispatches one job (and only that one). */
    public JobDispatcher.Outcome dispatch(UUID jobId) throws Exception {
        var job = jobs.awaitingQueue(1000).stream().filter(j -> j.id().equals(jobId)).findFirst().orElseThrow();
        return dispatcher.dispatch(job);
    }

    /** Stores the result of a dispatched job as a worker would send it: label 1 where {@code labelled} holds, else 0. */
    public void storeResult(UUID jobId, IntPredicate labelled, Map<String, Double> stageSeconds) throws Exception {
        VolumeGeometry g = queue.published(jobId.toString()).volume().geometry();
        byte[] labels = new byte[(int) g.voxelCount()];
        for (int i = 0; i < labels.length; i++) if (labelled.test(i)) labels[i] = 1;
        handler.store(handler.prepare(jobId.toString()).orElseThrow(),
                ResultHeader.done(jobId.toString(), "w1", labels.length, 1, stageSeconds),
                new LabelMap(g.width(), g.height(), g.depth(), labels)).orElseThrow();
    }

    public String state(UUID jobId) throws Exception {
        return string("select state || coalesce(' ' || reason, '') from jobs where id = ?", jobId);
    }

    public String string(String sql, UUID jobId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, jobId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public long count(String sql, UUID jobId) throws Exception {
        return Long.parseLong(string(sql, jobId));
    }

    /** The first column of a query's rows; the parameters bound in order. */
    public List<String> values(String sql, Object... parameters) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) values.add(rs.getString(1));
            }
        }
        return values;
    }

    public String value(String sql, Object... parameters) throws Exception {
        List<String> values = values(sql, parameters);
        return values.isEmpty() ? null : values.getFirst();
    }

    public long countOf(String sql, Object... parameters) throws Exception {
        return Long.parseLong(value(sql, parameters));
    }

    /** The jobs the live dispatcher would queue now. */
    public List<UUID> awaitingLive() throws Exception {
        return jobs.awaitingQueue(1000).stream().map(JobRepository.PendingJob::id).toList();
    }
}
