package org.seggateway.it.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.seggateway.local.PostgresBinaries;
import org.seggateway.local.PostgresDatabase;
import org.seggateway.local.PrivateDatabase;

/**
 * A fresh database for one test class ({@link PrivateDatabase}): on the PostgreSQL server that {@code scripts/setup.sh}
 * prepares (role {@code seggateway} with CREATEDB), else on a private server of the bundled binaries; dropped or
 * stopped by {@link #close()}. The gateway migrates it at start. The queries read what the gateway recorded.
 */
public final class PipelineDatabase implements AutoCloseable {
    private final PrivateDatabase database;

    private PipelineDatabase(PrivateDatabase database) {
        this.database = database;
    }

    /** @param serverFolder where a private server keeps its data, when one is needed */
    public static PipelineDatabase create(Path serverFolder) throws IOException {
        return new PipelineDatabase(PrivateDatabase.open(PostgresDatabase.setupDefault(), "seggateway_it", serverFolder,
                () -> PostgresBinaries.bundled(PostgresBinaries.defaultCacheRoot())));
    }

    public String jdbcUrl() {
        return database.database().jdbcUrl();
    }

    public String username() {
        return database.database().username();
    }

    public String password() {
        return database.database().password();
    }

    /** One row of the jobs table. */
    public record Job(String id, String state, String reason, int attempts) {
    }

    /** One row of the deliveries table. */
    public record Delivery(String destination, String state, int attempts, String lastError) {
    }

    /** One row of delivery_attempts; {@code dicomStatus} null when the destination gave none (not reachable). */
    public record Attempt(Integer dicomStatus, String error) {
    }

    /** The jobs of a series, oldest first. */
    public List<Job> jobs(String seriesInstanceUid) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        for (List<String> r : rows("""
                select j.id::text, j.state, j.reason, j.attempts::text from jobs j join series s on s.id = j.series_id
                where s.series_instance_uid = ? order by j.created_at""", seriesInstanceUid))
            jobs.add(new Job(r.get(0), r.get(1), r.get(2), Integer.parseInt(r.get(3))));
        return jobs;
    }

    /** Waits until the series has a job in {@code state}; fails early when it fails instead. */
    public Job awaitJob(String seriesInstanceUid, String state, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Job> last = List.of();
        while (System.nanoTime() < deadline) {
            last = jobs(seriesInstanceUid);
            for (Job job : last) {
                if (job.state().equals(state)) return job;
                if (job.state().equals("failed") && !state.equals("failed")) throw new AssertionError("job failed: " + job);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no job of series " + seriesInstanceUid + " in state '" + state + "' within " + timeout + "; jobs: " + last);
    }

    public List<Delivery> deliveries(String jobId) throws SQLException {
        List<Delivery> deliveries = new ArrayList<>();
        for (List<String> r : rows("""
                select d.destination, d.state, d.attempts::text, d.last_error from deliveries d join results r on r.id = d.result_id
                where r.job_id = ?::uuid order by d.id""", jobId))
            deliveries.add(new Delivery(r.get(0), r.get(1), Integer.parseInt(r.get(2)), r.get(3)));
        return deliveries;
    }

    /** Waits until every delivery of the job is in {@code state} (and there is at least one). */
    public List<Delivery> awaitDeliveries(String jobId, String state, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Delivery> last = List.of();
        while (System.nanoTime() < deadline) {
            last = deliveries(jobId);
            if (!last.isEmpty() && last.stream().allMatch(d -> d.state().equals(state))) return last;
            Thread.sleep(250);
        }
        throw new AssertionError("deliveries of job " + jobId + " not all '" + state + "' within " + timeout + ": " + last);
    }

    public List<Attempt> attempts(String jobId) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        for (List<String> r : rows("""
                select a.dicom_status::text, a.error from delivery_attempts a join deliveries d on d.id = a.delivery_id
                join results r on r.id = d.result_id where r.job_id = ?::uuid order by a.id""", jobId))
            attempts.add(new Attempt(r.get(0) == null ? null : Integer.valueOf(r.get(0)), r.get(1)));
        return attempts;
    }

    /** The first column of the first row, as text (null when there is no row). */
    public String scalar(String sql, Object... parameters) throws SQLException {
        List<List<String>> rows = rows(sql, parameters);
        return rows.isEmpty() ? null : rows.getFirst().getFirst();
    }

    /** All rows, every column as text. */
    public List<List<String>> rows(String sql, Object... parameters) throws SQLException {
        try (Connection c = database.database().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) s.setObject(i + 1, parameters[i]);
            try (ResultSet rs = s.executeQuery()) {
                List<List<String>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) row.add(rs.getString(i));
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    @Override
    public void close() throws Exception {
        database.close();
    }
}
