package org.seggateway.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.audit.AuditChain;
import org.seggateway.dicomio.net.ReceivedInstance;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/**
 * The {@link IngestCommitter} under concurrent stores, against the test PostgreSQL database and spool: every instance
 * answered is committed with its file, several share a transaction, the audit chain stays whole, and an instance that
 * cannot be stored fails alone while the others of its batch are stored.
 */
@QuarkusTest
class GroupCommitTest {
    private static final int SENDERS = 16;

    @Inject
    InstanceStore store;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    @Test
    void concurrentStoresAreAllCommittedWithTheirFilesAndShareTransactions() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 64).write(dir.resolve("ct"));
        List<Future<StoreOutcome>> outcomes = storeConcurrently(series.files(), f -> received(f, "1.2.840.10008.1.2.1"));
        for (Future<StoreOutcome> o : outcomes) assertThat(o.get()).isEqualTo(StoreOutcome.STORED);

        try (Connection c = dataSource.getConnection()) {
            List<String[]> rows = rows(c, series.seriesInstanceUid());
            assertThat(rows).hasSize(64);
            for (String[] row : rows) {   // sha256, spool path: every file there, with the bytes its row names
                Path file = Path.of(row[1]);
                assertThat(file).exists();
                assertThat(DataSetDigest.sha256(file)).isEqualTo(row[0]);
            }
            assertThat(transactionsOf(c, series.seriesInstanceUid())).as("transactions of 64 concurrent stores").isLessThan(64);
            try (PreparedStatement s = c.prepareStatement("select instance_count from series where series_instance_uid = ?")) {
                s.setString(1, series.seriesInstanceUid());
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(64);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "select count(*) from audit_events where event_type = 'dicom.store' and details->>'seriesInstanceUid' = ?")) {
                s.setString(1, series.seriesInstanceUid());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(64);
                }
            }
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
        assertThat(series.files()).allSatisfy(f -> assertThat(f).doesNotExist());
    }

    @Test
    void anInstanceThatCannotBeStoredFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
        SyntheticSeries.Written series = SyntheticSeries.ct().size(16, 16, 32).write(dir.resolve("mixed"));
        Path bad = series.files().get(7);
        // a transfer syntax UID longer than its column: the instance's insert fails in whatever batch it is in
        List<Future<StoreOutcome>> outcomes = storeConcurrently(series.files(),
                f -> received(f, f.equals(bad) ? "1.2.840.10008.1.2.1." + "9".repeat(60) : "1.2.840.10008.1.2.1"));

        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            try {
                StoreOutcome o = outcomes.get(i).get();
                assertThat(i).as("only the bad instance fails").isNotEqualTo(7);
                assertThat(o).isEqualTo(StoreOutcome.STORED);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(i).as("the failed instance: " + e.getCause()).isEqualTo(7);
                failures.add(e.getCause());
            }
        }
        assertThat(failures).hasSize(1);
        String badSop = series.sopInstanceUids().get(7);
        try (Connection c = dataSource.getConnection()) {
            List<String[]> rows = rows(c, series.seriesInstanceUid());
            assertThat(rows).hasSize(31);
            for (String[] row : rows) assertThat(Path.of(row[1])).exists();
            try (PreparedStatement s = c.prepareStatement("select count(*) from instances where sop_instance_uid = ?")) {
                s.setString(1, badSop);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
            }
            assertThat(AuditChain.firstBrokenRow(c)).isEmpty();
        }
        assertThat(store.spool().instancePath(series.studyInstanceUid(), series.seriesInstanceUid(), badSop, 1)).doesNotExist();
        assertThat(bad).as("the failed instance's received file is left to its receiver").exists();
    }

    private List<Future<StoreOutcome>> storeConcurrently(List<Path> files, java.util.function.Function<Path, ReceivedInstance> received)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        CyclicBarrier start = new CyclicBarrier(SENDERS);
        try {
            List<Future<StoreOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                boolean first = i < SENDERS;
                outcomes.add(pool.submit((Callable<StoreOutcome>) () -> {
                    if (first) start.await();
                    return store.store(received.apply(f));
                }));
            }
            return outcomes;
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        }
    }

    /** sha256 and spool path of each row of a series. */
    private static List<String[]> rows(Connection c, String seriesUid) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select i.sha256, i.spool_path from instances i join series s on s.id = i.series_id"
                + " where s.series_instance_uid = ?")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return rows;
    }

    /** How many transactions inserted the series' instance rows (rows inserted by one share its xmin). */
    private static int transactionsOf(Connection c, String seriesUid) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select count(distinct i.xmin::text) from instances i join series s on s.id = i.series_id"
                + " where s.series_instance_uid = ?")) {
            s.setString(1, seriesUid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static ReceivedInstance received(Path file, String transferSyntax) {
        return new ReceivedInstance(file, null, null, transferSyntax, "CT1", new InetSocketAddress("127.0.0.1", 4000), 1);
    }
}
