package org.seggateway.gateway.metrics;

import static org.seggateway.gateway.metrics.MetricsLog.LOG;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumMap;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.seggateway.gateway.completion.SeriesCompletion.SeriesCompleted;
import org.seggateway.gateway.database.Transactions;
import org.seggateway.gateway.jobs.JobState;

/**
 * The queue side's Prometheus metrics (GET /q/metrics, {@code seggateway_*}): series completed, jobs by
 * state, jobs queued, results stored, inference / assembly / SEG-build seconds. Jobs by state are counted in
 * the database (at most every few seconds, when scraped), so they survive restarts. Instances and bytes
 * received are counted by the listener, delivery failures by the egress.
 */
@Startup
@ApplicationScoped
public class GatewayMetrics {
    private static final long JOB_COUNT_MAX_AGE_NANOS = 5_000_000_000L;

    private final Transactions transactions;
    private final Counter seriesCompleted, jobsQueued, resultsStored;
    private final DistributionSummary inferenceSeconds, segBuildSeconds, assembleSeconds;
    private final Map<JobState, Long> jobCounts = new EnumMap<>(JobState.class);
    private long jobCountsAt;

    GatewayMetrics(MeterRegistry registry, Transactions transactions) {
        this.transactions = transactions;
        seriesCompleted = Counter.builder("seggateway.series.completed").description("Series declared complete").register(registry);
        jobsQueued = Counter.builder("seggateway.jobs.queued").description("Jobs published to seg.jobs").register(registry);
        resultsStored = Counter.builder("seggateway.results.stored").description("SEGs built from label maps").register(registry);
        inferenceSeconds = DistributionSummary.builder("seggateway.inference.seconds").description("Worker time per job")
                .baseUnit("seconds").register(registry);
        segBuildSeconds = DistributionSummary.builder("seggateway.seg.build.seconds").description("SEG build time per result")
                .baseUnit("seconds").register(registry);
        assembleSeconds = DistributionSummary.builder("seggateway.assemble.seconds").description("Volume assembly time per job")
                .baseUnit("seconds").register(registry);
        for (JobState state : JobState.values())
            Gauge.builder("seggateway.jobs", this, m -> m.jobCount(state)).tag("state", state.column())
                    .description("Jobs in the database by state").register(registry);
    }

    void seriesCompleted(@Observes SeriesCompleted event) {
        seriesCompleted.increment();
    }

    public void jobQueued(double assembleSeconds) {
        jobsQueued.increment();
        this.assembleSeconds.record(assembleSeconds);
    }

    public void resultStored(double inferenceSeconds, double segBuildSeconds) {
        resultsStored.increment();
        if (inferenceSeconds > 0) this.inferenceSeconds.record(inferenceSeconds);
        this.segBuildSeconds.record(segBuildSeconds);
    }

    private synchronized double jobCount(JobState state) {
        if (System.nanoTime() - jobCountsAt > JOB_COUNT_MAX_AGE_NANOS) {
            try {
                Map<JobState, Long> counts = transactions.withHandle(h -> h.createQuery(
                                "select state, count(*) as jobs from jobs group by state")
                        .reduceRows(new EnumMap<JobState, Long>(JobState.class), (map, row) -> {
                            map.put(JobState.valueOf(row.getColumn("state", String.class).toUpperCase(java.util.Locale.ROOT)),
                                    row.getColumn("jobs", Long.class));
                            return map;
                        }));
                jobCounts.clear();
                jobCounts.putAll(counts);
                jobCountsAt = System.nanoTime();
            } catch (JdbiException e) {
                LOG.jobsNotCounted(e.getMessage());
                return Double.NaN;
            }
        }
        return jobCounts.getOrDefault(state, 0L);
    }
}
