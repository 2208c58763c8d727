package org.seggateway.it.pipeline;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the load test's senders handed to the gateway and what it acknowledged, kept from all sender threads: the
 * series sent, every instance answered with Success (with the SHA-256 of the data set that was sent), the other
 * answers by status, and the associations that ended badly.
 */
final class LoadLedger {
    record SentSeries(String studyInstanceUid, String seriesInstanceUid, int instances) {
    }

    record AcknowledgedInstance(String sopInstanceUid, String seriesInstanceUid, String sha256) {
    }

    private final ConcurrentLinkedQueue<SentSeries> series = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<AcknowledgedInstance> acknowledged = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> otherStatuses = new TreeMap<>();
    private final ConcurrentLinkedQueue<String> failedAssociations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger instancesSent = new AtomicInteger();
    private final AtomicInteger associations = new AtomicInteger();

    void sent(SentSeries s) {
        series.add(s);
        instancesSent.addAndGet(s.instances());
    }

    void association() {
        associations.incrementAndGet();
    }

    void acknowledged(AcknowledgedInstance instance) {
        acknowledged.add(instance);
    }

    /** {@code count} instances answered with a status other than Success, or not answered ("no response"). */
    synchronized void answered(String status, int count) {
        otherStatuses.merge(status, count, Integer::sum);
    }

    /** An association whose storescu exited with an error: the first lines of what it said. */
    void failedAssociation(String summary) {
        failedAssociations.add(summary);
    }

    List<SentSeries> series() {
        return List.copyOf(series);
    }

    List<AcknowledgedInstance> acknowledged() {
        return List.copyOf(acknowledged);
    }

    int instancesSent() {
        return instancesSent.get();
    }

    int associations() {
        return associations.get();
    }

    /** Answers other than Success, by status as storescu prints it. */
    synchronized Map<String, Integer> otherStatuses() {
        return new TreeMap<>(otherStatuses);
    }

    List<String> failedAssociations() {
        return List.copyOf(failedAssociations);
    }
}
