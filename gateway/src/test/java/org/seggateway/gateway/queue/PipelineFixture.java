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
import java.util.UUID;
import javax.sql.DataSource;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.gateway.completion.SeriesCompletion;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.gateway.ingest.InstanceStore;
import org.seggateway.gateway.jobs.JobRepository;

/** Drives a synthetic series through store, completion and dispatch in the gateway's tests. */
@ApplicationScoped
public class PipelineFixture {
    private final InstanceStore store;
    private final SeriesCompletion completion;
    private final JobRepository jobs;
    private final JobDispatcher dispatcher;
    private final DataSource dataSource;

    PipelineFixture(InstanceStore store, SeriesCompletion completion, JobRepository jobs, JobDispatcher dispatcher, DataSource dataSource) {
        this.store = store;
        this.completion = completion;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
        this.dataSource = dataSource;
    }

    /** Stores the series' files and completes it; returns the ids of its new jobs. */
    public List<UUID> storeAndComplete(SyntheticSeries.Written series) throws Exception {
        for (Path f : series.files()) store.store(new ReceivedInstance(f, null, null, "1.2.840.10008.1.2.1", "CT1", new InetSocketAddress("127.0.0.1", 4000), 1));
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
}
