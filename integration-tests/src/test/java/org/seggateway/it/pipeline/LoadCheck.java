package org.seggateway.it.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The load test's verdicts, from what the senders recorded ({@link LoadLedger}), what the gateway recorded
 * (instances, series, jobs, results) and holds in its spool, and what Orthanc holds.
 */
final class LoadCheck {
    /** Problems listed in full up to this many; the counts cover all of them. */
    private static final int LISTED = 20;

    private LoadCheck() {
    }

    /**
     * Acknowledged instances checked against the instances table and the spool: {@code lost} have no row with the
     * SHA-256 of the data set sent, or its file is missing or holds other bytes. Every other row's file is checked too
     * ({@code damagedRows}).
     */
    record SpoolTally(int acknowledged, int lost, int rows, int damagedRows, List<String> problems) {
    }

    record SegTally(int series, int expected, int found, int duplicated, int missing, int jobsNotDone, List<String> problems) {
    }

    private record InstanceRow(String sha256, Path file) {
    }

    private record JobRow(int seriesVersion, String state, String reason, String segSopInstanceUid) {
    }

    static SpoolTally spool(List<LoadLedger.AcknowledgedInstance> acknowledged, PipelineDatabase db) throws SQLException, IOException {
        Map<String, List<InstanceRow>> rows = new HashMap<>();
        Map<InstanceRow, Boolean> fileMatches = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int damaged = 0;
        for (List<String> r : db.rows("select sop_instance_uid, sha256, spool_path from instances")) {
            InstanceRow row = new InstanceRow(r.get(1), Path.of(r.get(2)));
            rows.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(row);
            boolean matches = Files.isRegularFile(row.file()) && DataSetSha256.of(row.file()).equals(row.sha256());
            fileMatches.put(row, matches);
            if (!matches) {
                damaged++;
                note(problems, "row of " + r.get(0) + ": file " + row.file() + (Files.exists(row.file()) ? " holds other bytes" : " missing"));
            }
        }
        int lost = 0;
        for (LoadLedger.AcknowledgedInstance a : acknowledged) {
            InstanceRow row = rows.getOrDefault(a.sopInstanceUid(), List.of()).stream()
                    .filter(r -> r.sha256().equals(a.sha256())).findFirst().orElse(null);
            if (row == null || !fileMatches.get(row)) {
                lost++;
                note(problems, "acknowledged " + a.sopInstanceUid() + " of series " + a.seriesInstanceUid()
                        + (row == null ? ": no row with the bytes sent" : ": its spool file is missing or differs"));
            }
        }
        return new SpoolTally(acknowledged.size(), lost, fileMatches.size(), damaged, problems);
    }

    /**
     * Every series with an acknowledged instance, at every version it reached: exactly one job, done, with one result
     * whose SEG Orthanc holds; Orthanc holds no other SEG in the series' study (each sent series has a study of its own).
     */
    static SegTally segs(List<LoadLedger.SentSeries> sent, Set<String> acknowledgedSeries, PipelineDatabase db, OrthancContent orthanc)
            throws SQLException, IOException, InterruptedException {
        Map<String, Integer> versions = new HashMap<>();
        Map<String, List<JobRow>> jobs = new HashMap<>();
        for (List<String> r : db.rows("""
                select s.series_instance_uid, s.version::text, j.series_version::text, j.state, j.reason, r.seg_sop_instance_uid
                from series s left join jobs j on j.series_id = s.id left join results r on r.job_id = j.id""")) {
            versions.put(r.get(0), Integer.parseInt(r.get(1)));
            if (r.get(2) != null)
                jobs.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(new JobRow(Integer.parseInt(r.get(2)), r.get(3), r.get(4), r.get(5)));
        }
        Map<String, List<String>> segsByStudy = orthanc.segSopInstanceUidsByStudy();
        List<String> problems = new ArrayList<>();
        int series = 0, expected = 0, found = 0, duplicated = 0, missing = 0, notDone = 0;
        for (LoadLedger.SentSeries s : sent) {
            if (!acknowledgedSeries.contains(s.seriesInstanceUid())) continue;
            series++;
            Integer version = versions.get(s.seriesInstanceUid());
            if (version == null) {
                missing++;
                note(problems, "series " + s.seriesInstanceUid() + ": no series row");
                continue;
            }
            expected += version;
            Map<Integer, List<JobRow>> byVersion = new TreeMap<>();
            for (JobRow j : jobs.getOrDefault(s.seriesInstanceUid(), List.of()))
                byVersion.computeIfAbsent(j.seriesVersion(), k -> new ArrayList<>()).add(j);
            Set<String> results = new HashSet<>();
            for (int v = 1; v <= version; v++) {
                List<JobRow> atVersion = byVersion.getOrDefault(v, List.of());
                if (atVersion.size() != 1)
                    note(problems, "series " + s.seriesInstanceUid() + " version " + v + ": " + atVersion.size() + " jobs " + atVersion);
                if (atVersion.isEmpty()) missing++;
                duplicated += Math.max(0, atVersion.size() - 1);
                for (JobRow j : atVersion) {
                    if (!j.state().equals("done")) {
                        notDone++;
                        note(problems, "series " + s.seriesInstanceUid() + " version " + v + ": job " + j.state() + " " + j.reason());
                    }
                    if (j.segSopInstanceUid() != null) results.add(j.segSopInstanceUid());
                }
            }
            Set<String> inOrthanc = new HashSet<>(segsByStudy.getOrDefault(s.studyInstanceUid(), List.of()));
            for (String uid : inOrthanc) {
                if (results.contains(uid)) found++;
                else {
                    duplicated++;
                    note(problems, "series " + s.seriesInstanceUid() + ": Orthanc holds SEG " + uid + ", which no result of it names");
                }
            }
            for (String uid : results)
                if (!inOrthanc.contains(uid)) {
                    missing++;
                    note(problems, "series " + s.seriesInstanceUid() + ": SEG " + uid + " not in Orthanc");
                }
        }
        return new SegTally(series, expected, found, duplicated, missing, notDone, problems);
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < LISTED) problems.add(problem);
    }
}
