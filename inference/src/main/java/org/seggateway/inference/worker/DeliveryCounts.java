package org.seggateway.inference.worker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times each job of one partition of {@code seg.jobs} was taken up by a worker of the group without an
 * answer, kept in the metadata string of the group's committed offset for that partition. The count is committed with
 * the job's {@code started} record, in the same Kafka transaction, and read back by whichever worker gets the partition
 * next, so it survives the crash of the worker that ran the job (and any number of crashes). Format:
 * {@code starts:<job id>=<n>,<job id>=<n>}; anything else reads as no counts.
 */
final class DeliveryCounts {
    static final String PREFIX = "starts:";
    /** Kafka's default offset.metadata.max.bytes is 4096: the oldest entries are dropped beyond this. */
    private static final int MAX_CHARS = 3500;

    private final LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();

    static DeliveryCounts parse(String metadata) {
        DeliveryCounts d = new DeliveryCounts();
        if (metadata == null || !metadata.startsWith(PREFIX)) return d;
        for (String entry : metadata.substring(PREFIX.length()).split(",")) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) continue;
            try {
                d.counts.put(entry.substring(0, eq), Integer.parseInt(entry.substring(eq + 1)));
            } catch (NumberFormatException e) {
                // not ours: ignored
            }
        }
        return d;
    }

    int of(String jobId) {
        return counts.getOrDefault(jobId, 0);
    }

    void set(String jobId, int n) {
        counts.remove(jobId);
        counts.put(jobId, n);
    }

    void remove(String jobId) {
        counts.remove(jobId);
    }

    String encode() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Integer> e : counts.reversed().entrySet()) {
            String entry = e.getKey() + "=" + e.getValue();
            if (PREFIX.length() + b.length() + entry.length() + 1 > MAX_CHARS) break; // newest first: the oldest fall out
            if (!b.isEmpty()) b.insert(0, ',');
            b.insert(0, entry);
        }
        return PREFIX + b;
    }
}
