package org.seggateway.cli;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seggateway.local.PostgresDatabase;

/**
 * What "nothing lost, nothing twice" means for a {@link SeriesLoad} through a {@link LocalCluster}: every instance
 * answered with Success has its row; every series has jobs that ended (none stuck in complete, queued or running); the
 * PACS holds exactly the SEGs of the series' results, one per version, and no other (a partition leadership change or
 * a consumer-group rebalance that made a second SEG would show here as a SEG SOP Instance UID the gateways never
 * recorded, or two).
 */
public final class ClusterCheck {
    /** The verdict; {@link #problems()} is empty when all holds. */
    public record Verdict(int series, int acknowledged, int segs, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return series + " series, " + acknowledged + " instances acknowledged, " + segs + " SEGs at the PACS"
                    + (ok() ? ": all held" : ": " + problems.size() + " problems: " + String.join("; ", problems.subList(0,
                    Math.min(10, problems.size()))));
        }
    }

    private final PostgresDatabase database;
    /** The SEG SOP Instance UIDs the PACS holds, by Study Instance UID; asked once a check. */
    private final PacsSegs segsAtPacs;

    /** Reads what the PACS holds. */
    @FunctionalInterface
    public interface PacsSegs {
        Map<String, ? extends Collection<String>> byStudy() throws Exception;
    }

    public ClusterCheck(PostgresDatabase database, PacsSegs segsAtPacs) {
        this.database = database;
        this.segsAtPacs = segsAtPacs;
    }

    /** Checks once; a series whose jobs have not ended counts as a problem. */
    public Verdict check(List<SeriesLoad.Series> series) throws Exception {
        Map<String, ? extends Collection<String>> pacs = segsAtPacs.byStudy();
        List<String> problems = new ArrayList<>();
        int acknowledged = 0, segs = 0;
        try (Connection c = database.connect()) {
            for (SeriesLoad.Series s : series) {
                acknowledged += s.acknowledged().size();
                Set<String> stored = strings(c, "select sop_instance_uid from instances where sop_instance_uid = any(?)",
                        s.acknowledged().toArray(String[]::new));
                if (stored.size() != s.acknowledged().size())
                    problems.add(s.seriesInstanceUid() + ": " + (s.acknowledged().size() - stored.size()) + " acknowledged instances without a row");
                Set<String> open = strings(c, """
                        select j.state || ' ' || j.id from jobs j join series r on r.id = j.series_id
                        where r.series_instance_uid = any(?) and j.state not in ('done', 'failed', 'skipped', 'cancelled')""",
                        new String[]{s.seriesInstanceUid()});
                if (!open.isEmpty()) problems.add(s.seriesInstanceUid() + ": jobs not ended: " + open);
                Set<String> results = strings(c, """
                        select x.seg_sop_instance_uid from results x join jobs j on j.id = x.job_id join series r on r.id = j.series_id
                        where r.series_instance_uid = any(?)""", new String[]{s.seriesInstanceUid()});
                Set<String> undelivered = strings(c, """
                        select d.destination || ' ' || d.state from deliveries d join results x on x.id = d.result_id
                        join jobs j on j.id = x.job_id join series r on r.id = j.series_id
                        where r.series_instance_uid = any(?) and d.state <> 'delivered'""", new String[]{s.seriesInstanceUid()});
                if (!undelivered.isEmpty()) problems.add(s.seriesInstanceUid() + ": deliveries not done: " + undelivered);
                Collection<String> held = pacs.get(s.studyInstanceUid());
                List<String> atPacsList = held == null ? List.of() : List.copyOf(held);
                Set<String> atPacs = new HashSet<>(atPacsList);
                if (atPacs.size() != atPacsList.size()) problems.add(s.seriesInstanceUid() + ": a SEG twice at the PACS: " + atPacsList);
                segs += atPacsList.size();
                if (results.isEmpty()) problems.add(s.seriesInstanceUid() + ": no result");
                else if (!atPacs.equals(results)) {
                    Set<String> extra = new HashSet<>(atPacs);
                    extra.removeAll(results);
                    Set<String> missing = new HashSet<>(results);
                    missing.removeAll(atPacs);
                    problems.add(s.seriesInstanceUid() + ": at the PACS " + atPacs.size() + " SEGs for " + results.size()
                            + " results (not recorded: " + extra + ", missing: " + missing + ")");
                }
            }
        }
        return new Verdict(series.size(), acknowledged, segs, problems);
    }

    /** Checks every second until all holds or {@code timeout} passed; returns the last verdict. */
    public Verdict await(List<SeriesLoad.Series> series, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Verdict v = check(series);
        while (!v.ok() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            v = check(series);
        }
        return v;
    }

    private static Set<String> strings(Connection c, String sql, String[] values) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("varchar", values);
            s.setArray(1, array);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(r.getString(1));
            }
        }
        return out;
    }
}
