package org.seggateway.gateway.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The SQL of webhook notifications: writing them with their delivery's facts, the next due one, its outcome. */
@ApplicationScoped
public class NotificationRepository {

    /** A due notification with what sending it needs. */
    public record Due(long id, String webhook, String eventType, long deliveryId, String studyInstanceUid, String body,
                      int attempts, Instant createdAt) {
    }

    /** What a notification's body tells of its delivery. */
    public record DeliveryFacts(String accessionNumber, String studyInstanceUid, String seriesInstanceUid,
                                String segSopInstanceUid, String segSeriesInstanceUid, int resultVersion, String modelName,
                                String modelVersion, UUID jobId, String destination, String deliveryState,
                                int deliveryAttempts, String lastError) {
    }

    public Optional<DeliveryFacts> deliveryFacts(Handle h, long deliveryId) {
        return h.createQuery("""
                        select s.accession_number, s.study_instance_uid, s.series_instance_uid, r.seg_sop_instance_uid,
                               r.seg_series_instance_uid, r.version, j.model_name, j.model_version, j.id as job_id,
                               d.destination, d.state, d.attempts, d.last_error
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
                        rs.getString("state"), rs.getInt("attempts"), rs.getString("last_error")))
                .findOne();
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

    /** The next due pending notification, locked by the handle's transaction ({@code skip locked}). */
    public Optional<Due> claimNext(Handle h, Instant now) {
        return h.createQuery("""
                        select id, webhook, event_type, delivery_id, study_instance_uid, cast(body as text) as body, attempts, created_at
                        from notifications
                        where state = 'pending' and next_attempt_at <= :now
                        order by next_attempt_at, id
                        limit 1
                        for update skip locked""")
                .bind("now", now)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getString("webhook"), rs.getString("event_type"),
                        rs.getLong("delivery_id"), rs.getString("study_instance_uid"), rs.getString("body"),
                        rs.getInt("attempts"), rs.getTimestamp("created_at").toInstant()))
                .findOne();
    }

    /** The notification's state after an attempt; {@code nextAttemptAt} null keeps the one it had. */
    public void recordOutcome(Handle h, long id, NotificationState state, int attempts, Instant at, Integer httpStatus,
                              String error, Instant nextAttemptAt) {
        h.createUpdate("""
                        update notifications set state = :state, attempts = :attempts, last_attempt_at = :at,
                                                 last_http_status = :httpStatus, last_error = :error,
                                                 next_attempt_at = coalesce(:next, next_attempt_at), sent_at = :sentAt
                        where id = :id""")
                .bind("state", state.column())
                .bind("attempts", attempts)
                .bind("at", at)
                .bindByType("httpStatus", httpStatus, Integer.class)
                .bind("error", error)
                .bindByType("next", nextAttemptAt, Instant.class)
                .bindByType("sentAt", state == NotificationState.SENT ? at : null, Instant.class)
                .bind("id", id)
                .execute();
    }

    /** Marks a still pending notification failed with {@code error}; false when it is no longer pending. */
    public boolean markFailed(Handle h, long id, Instant at, String error) {
        return h.createUpdate("""
                        update notifications set state = 'failed', attempts = attempts + 1, last_attempt_at = :at,
                                                 last_error = :error
                        where id = :id and state = 'pending'""")
                .bind("at", at)
                .bind("error", error)
                .bind("id", id)
                .execute() > 0;
    }
}
