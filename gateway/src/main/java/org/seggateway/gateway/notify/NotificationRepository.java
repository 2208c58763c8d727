package org.seggateway.gateway.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.seggateway.gateway.results.SegmentMeasurement;

/** The SQL of notifications (webhooks, HL7 and FHIR result messages): writing them with their delivery's facts, claiming the next due one with a lease, its outcome. */
@ApplicationScoped
public class NotificationRepository {

    /** A claimed notification with what sending it needs; {@code claim}: the claim's id, proof that it is still ours. */
    public record Due(long id, String webhook, String eventType, long deliveryId, String studyInstanceUid, String body,
                      int attempts, Instant createdAt, UUID claim, NotificationChannel channel, Long resultId) {
    }

    /** What a notification's body tells of its delivery. */
    public record DeliveryFacts(String accessionNumber, String studyInstanceUid, String seriesInstanceUid,
                                String segSopInstanceUid, String segSeriesInstanceUid, int resultVersion, String modelName,
                                String modelVersion, UUID jobId, String destination, String deliveryState,
                                int deliveryAttempts, String lastError, String srSopInstanceUid,
                                List<SegmentMeasurement> measurements) {
    }

    public Optional<DeliveryFacts> deliveryFacts(Handle h, long deliveryId) {
        return h.createQuery("""
                        select s.accession_number, s.study_instance_uid, s.series_instance_uid, r.seg_sop_instance_uid,
                               r.seg_series_instance_uid, r.version, j.model_name, j.model_version, j.id as job_id,
                               d.destination, d.state, d.attempts, d.last_error, r.sr_sop_instance_uid,
                               r.segment_statistics::text as segment_statistics
                        from deliveries d
                        join results r on r.id = d.result_id
                        join jobs j on j.id = r.job_id
                        join series s on s.id = j.series_id
                        where d.id = :id""")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new DeliveryFacts(rs.getString("accession_number"), rs.getString("study_instance_uid"),
                        rs.getString("series_instance_uid"), rs.getString("seg_sop_instance_uid"),
                        rs.getString("seg_series_instance_uid"), rs.getInt("version"), rs.getString("model_name"),
                        rs.getString("model_version"), rs.getObject("job_id", UUID.class), rs.getString("destination"),
                        rs.getString("state"), rs.getInt("attempts"), rs.getString("last_error"),
                        rs.getString("sr_sop_instance_uid"), SegmentMeasurement.fromJson(rs.getString("segment_statistics"))))
                .findOne();
    }

    /** What an HL7/FHIR result message tells of the result of delivery {@code deliveryId}, without its event id. */
    public Optional<ResultReport> resultReport(Handle h, long deliveryId, Instant at) {
        return h.createQuery("""
                        select r.id as result_id, r.version, r.created_at, s.patient_id, s.accession_number,
                               s.study_instance_uid, s.series_instance_uid, s.modality, r.seg_series_instance_uid,
                               r.seg_sop_instance_uid, r.sr_sop_instance_uid, j.model_name, j.model_version, d.destination,
                               r.segment_statistics::text as segment_statistics
                        from deliveries d
                        join results r on r.id = d.result_id
                        join jobs j on j.id = r.job_id
                        join series s on s.id = j.series_id
                        where d.id = :id""")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new ResultReport(null, at.toString(), rs.getLong("result_id"), rs.getInt("version"),
                        rs.getTimestamp("created_at").toInstant().toString(), rs.getString("patient_id"),
                        rs.getString("accession_number"), rs.getString("study_instance_uid"),
                        rs.getString("series_instance_uid"), rs.getString("modality"), rs.getString("seg_series_instance_uid"),
                        rs.getString("seg_sop_instance_uid"), rs.getString("sr_sop_instance_uid"), rs.getString("model_name"),
                        rs.getString("model_version"), rs.getString("destination"),
                        SegmentMeasurement.fromJson(rs.getString("segment_statistics"))))
                .findOne();
    }

    /**
     * One pending result message of {@code report}'s result to {@code receiver} in {@code channel}, unless that result
     * already has one there (a result version is told once, however many of its deliveries succeed). True when written.
     */
    public boolean insertResultMessage(Handle h, NotificationChannel channel, String receiver, long deliveryId,
                                       ResultReport report, Instant at) {
        return h.createUpdate("""
                        insert into notifications (channel, webhook, event_type, event_id, delivery_id, result_id,
                                                   study_instance_uid, body, created_at, next_attempt_at)
                        values (:channel, :receiver, :eventType, :eventId, :deliveryId, :resultId, :study, cast(:body as json),
                                :at, :at)
                        on conflict (channel, webhook, result_id) where result_id is not null do nothing""")
                .bind("channel", channel.column())
                .bind("receiver", receiver)
                .bind("eventType", NotificationEvent.DELIVERED.type())
                .bind("eventId", UUID.fromString(report.eventId()))
                .bind("deliveryId", deliveryId)
                .bind("resultId", report.resultId())
                .bind("study", report.studyInstanceUid())
                .bind("body", report.toJson())
                .bind("at", at)
                .execute() > 0;
    }

    /** One pending row per webhook for the event, due at {@code at}; {@code body} is JSON. */
    public void insert(Handle h, List<String> webhooks, NotificationEvent event, UUID eventId, long deliveryId,
                       String studyInstanceUid, String body, Instant at) {
        PreparedBatch batch = h.prepareBatch("""
                insert into notifications (webhook, event_type, event_id, delivery_id, study_instance_uid, body, created_at,
                                           next_attempt_at)
                values (:webhook, :eventType, :eventId, :deliveryId, :study, cast(:body as json), :at, :at)""");
        for (String webhook : webhooks) {
            batch.bind("webhook", webhook).bind("eventType", event.type()).bind("eventId", eventId).bind("deliveryId", deliveryId)
                    .bind("study", studyInstanceUid).bind("body", body).bind("at", at).add();
        }
        if (!webhooks.isEmpty()) batch.execute();
    }

    /**
     * Claims the next pending notification due at {@code now} that no live lease holds, for {@code lease} on the
     * database's clock ({@code skip locked}: never one another claimer is taking).
     */
    public Optional<Due> claimNext(Handle h, Instant now, Duration lease) {
        return h.createQuery("""
                        update notifications set claimed_until = clock_timestamp() + :leaseMillis * interval '1 millisecond',
                                                 claimed_by = :claim
                        where id = (
                            select id from notifications
                            where state = 'pending' and next_attempt_at <= :now
                              and (claimed_until is null or claimed_until < clock_timestamp())
                            order by next_attempt_at, id
                            limit 1
                            for update skip locked)
                        returning id, webhook, event_type, delivery_id, study_instance_uid, cast(body as text) as body, attempts,
                                  created_at, claimed_by, channel, result_id""")
                .bind("leaseMillis", lease.toMillis())
                .bind("claim", UUID.randomUUID())
                .bind("now", now)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getString("webhook"), rs.getString("event_type"),
                        rs.getLong("delivery_id"), rs.getString("study_instance_uid"), rs.getString("body"),
                        rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant(), rs.getObject("claimed_by", UUID.class),
                        NotificationChannel.ofColumn(rs.getString("channel")), rs.getObject("result_id", Long.class)))
                .findOne();
    }

    /** Locks a claimed notification for recording its outcome; false when the claim is no longer ours. */
    public boolean lockClaimed(Handle h, Due due) {
        return h.createQuery("select id from notifications where id = :id and claimed_by = :claim and state = 'pending' for update")
                .bind("id", due.id())
                .bind("claim", due.claim())
                .mapTo(Long.class)
                .findOne()
                .isPresent();
    }

    /** The notification's state after an attempt, its claim released; {@code nextAttemptAt} null keeps the one it had. */
    public void recordOutcome(Handle h, long id, NotificationState state, int attempts, Instant at, Integer httpStatus,
                              String ackCode, String error, Instant nextAttemptAt) {
        h.createUpdate("""
                        update notifications set state = :state, attempts = :attempts, last_attempt_at = :at,
                                                 last_http_status = :httpStatus, last_ack_code = :ackCode,
                                                 last_error = :error,
                                                 next_attempt_at = coalesce(:next, next_attempt_at), sent_at = :sentAt,
                                                 claimed_until = null, claimed_by = null
                        where id = :id""")
                .bind("state", state.column())
                .bind("attempts", attempts)
                .bind("at", at)
                .bindByType("httpStatus", httpStatus, Integer.class)
                .bind("ackCode", ackCode)
                .bind("error", error)
                .bindByType("next", nextAttemptAt, Instant.class)
                .bindByType("sentAt", state == NotificationState.SENT ? at : null, Instant.class)
                .bind("id", id)
                .execute();
    }

    /** Marks a notification still pending and claimed by us failed with {@code error}; false when it is not. */
    public boolean markFailed(Handle h, Due due, Instant at, String error) {
        return h.createUpdate("""
                        update notifications set state = 'failed', attempts = attempts + 1, last_attempt_at = :at,
                                                 last_error = :error, claimed_until = null, claimed_by = null
                        where id = :id and state = 'pending' and claimed_by = :claim""")
                .bind("at", at)
                .bind("error", error)
                .bind("id", due.id())
                .bind("claim", due.claim())
                .execute() > 0;
    }
}
