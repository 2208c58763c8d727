package org.seggateway.gateway.egress;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The SQL of deliveries: the next due one, its attempts, its outcome. */
@ApplicationScoped
public class DeliveryRepository {

    /** A due delivery with what sending it needs. */
    public record Due(long id, long resultId, String destination, int attempts, String segPath, String segSopInstanceUid,
                      String studyInstanceUid) {
    }

    /** The next due pending delivery, locked by the handle's transaction ({@code skip locked}: never one another holds). */
    public Optional<Due> claimNext(Handle h, Instant now) {
        return h.createQuery("""
                        select d.id, d.result_id, d.destination, d.attempts, r.seg_path, r.seg_sop_instance_uid,
                               s.study_instance_uid
                        from deliveries d
                        join results r on r.id = d.result_id
                        join jobs j on j.id = r.job_id
                        join series s on s.id = j.series_id
                        where d.state = 'pending' and d.next_attempt_at <= :now
                        order by d.next_attempt_at, d.id
                        limit 1
                        for update of d skip locked""")
                .bind("now", now)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getLong("result_id"), rs.getString("destination"),
                        rs.getInt("attempts"), rs.getString("seg_path"), rs.getString("seg_sop_instance_uid"),
                        rs.getString("study_instance_uid")))
                .findOne();
    }

    /** Attempts so far that the destination answered with a refusal of the object itself (0xA9xx, 0xCxxx). */
    public int refusalsSoFar(Handle h, long deliveryId) {
        return h.createQuery("""
                        select count(*) from delivery_attempts
                        where delivery_id = :id and (dicom_status between 43264 and 43519 or dicom_status between 49152 and 53247)""")
                .bind("id", deliveryId) // 0xA900..0xA9FF, 0xC000..0xCFFF
                .mapTo(Integer.class)
                .one();
    }

    public void insertAttempt(Handle h, long deliveryId, Instant at, Integer dicomStatus, String error) {
        h.createUpdate("""
                        insert into delivery_attempts (delivery_id, attempted_at, dicom_status, error)
                        values (:id, :at, :status, :error)""")
                .bind("id", deliveryId)
                .bind("at", at)
                .bindByType("status", dicomStatus, Integer.class)
                .bind("error", error)
                .execute();
    }

    /** The delivery's state after an attempt; {@code nextAttemptAt} null keeps the one it had. */
    public void recordOutcome(Handle h, long deliveryId, DeliveryState state, Instant nextAttemptAt, String lastError,
                              Instant deliveredAt) {
        h.createUpdate("""
                        update deliveries set state = :state, attempts = attempts + 1,
                                              next_attempt_at = coalesce(:next, next_attempt_at), last_error = :lastError,
                                              delivered_at = :deliveredAt
                        where id = :id""")
                .bind("state", state.column())
                .bindByType("next", nextAttemptAt, Instant.class)
                .bind("lastError", lastError)
                .bindByType("deliveredAt", deliveredAt, Instant.class)
                .bind("id", deliveryId)
                .execute();
    }

    /** Marks a still pending delivery failed with {@code error}; false when it is no longer pending. */
    public boolean markFailed(Handle h, long deliveryId, String error) {
        return h.createUpdate("""
                        update deliveries set state = 'failed', attempts = attempts + 1, last_error = :error
                        where id = :id and state = 'pending'""")
                .bind("error", error)
                .bind("id", deliveryId)
                .execute() > 0;
    }
}
