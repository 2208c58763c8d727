package org.seggateway.gateway.egress;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The SQL of deliveries: claiming the next due one with a lease, its attempts, its outcome. */
@ApplicationScoped
public class DeliveryRepository {

    /**
     * A claimed delivery with what sending it needs; {@code claim}: the claim's id, proof that it is still ours;
     * {@code srPath}: the result's measurement report, sent after the SEG in the same association, null when none.
     */
    public record Due(long id, long resultId, String destination, int attempts, String segPath, String srPath, String segSopInstanceUid,
                      String studyInstanceUid, UUID jobId, String seriesInstanceUid, UUID claim) {
    }

    /**
     * Claims the next pending delivery due at {@code now} that no live lease holds, for {@code lease} on the database's
     * clock. The row lock ({@code skip locked}: never one another claimer is taking) lasts only as long as the caller's
     * short transaction; the lease keeps other claimers away after it.
     */
    public Optional<Due> claimNext(Handle h, Instant now, Duration lease) {
        return h.createQuery("""
                        update deliveries d set claimed_until = clock_timestamp() + :leaseMillis * interval '1 millisecond',
                                                claimed_by = :claim
                        from results r
                        join jobs j on j.id = r.job_id
                        join series s on s.id = j.series_id
                        where r.id = d.result_id and d.id = (
                            select id from deliveries
                            where state = 'pending' and next_attempt_at <= :now
                              and (claimed_until is null or claimed_until < clock_timestamp())
                            order by next_attempt_at, id
                            limit 1
                            for update skip locked)
                        returning d.id, d.result_id, d.destination, d.attempts, r.seg_path, r.sr_path, r.seg_sop_instance_uid,
                                  s.study_instance_uid, j.id as job_id, s.series_instance_uid, d.claimed_by""")
                .bind("leaseMillis", lease.toMillis())
                .bind("claim", UUID.randomUUID())
                .bind("now", now)
                .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getLong("result_id"), rs.getString("destination"),
                        rs.getInt("attempts"), rs.getString("seg_path"), rs.getString("sr_path"), rs.getString("seg_sop_instance_uid"),
                        rs.getString("study_instance_uid"), rs.getObject("job_id", UUID.class),
                        rs.getString("series_instance_uid"), rs.getObject("claimed_by", UUID.class)))
                .findOne();
    }

    /**
     * Locks a claimed delivery for recording its outcome; false when the claim is no longer ours (its lease ran out
     * and another claimer took the row, or it was marked failed meanwhile).
     */
    public boolean lockClaimed(Handle h, Due due) {
        return h.createQuery("select id from deliveries where id = :id and claimed_by = :claim and state = 'pending' for update")
                .bind("id", due.id())
                .bind("claim", due.claim())
                .mapTo(Long.class)
                .findOne()
                .isPresent();
    }

    /** Attempts so far that the destination answered with a refusal of the object itself (0xA9xx, 0xCxxx). */
    public int refusalsSoFar(Handle h, long deliveryId) {
        return h.createQuery("""
                        select count(*) from delivery_attempts
                        where delivery_id = :id and (dicom_status between 43264 and 43519 or dicom_status between 49152 and 53247
                          or dicom_status is null and http_status between 400 and 499 and http_status not in (408, 429))""")
                .bind("id", deliveryId) // 0xA900..0xA9FF, 0xC000..0xCFFF; an HTTP client error without a DICOM status
                .mapTo(Integer.class)
                .one();
    }

    public void insertAttempt(Handle h, long deliveryId, Instant at, Integer dicomStatus, String error) {
        insertAttempt(h, deliveryId, at, dicomStatus, null, error);
    }

    public void insertAttempt(Handle h, long deliveryId, Instant at, Integer dicomStatus, Integer httpStatus, String error) {
        h.createUpdate("""
                        insert into delivery_attempts (delivery_id, attempted_at, dicom_status, http_status, error)
                        values (:id, :at, :status, :http, :error)""")
                .bind("id", deliveryId)
                .bind("at", at)
                .bindByType("status", dicomStatus, Integer.class)
                .bindByType("http", httpStatus, Integer.class)
                .bind("error", error)
                .execute();
    }

    /** The delivery's state after an attempt, its claim released; {@code nextAttemptAt} null keeps the one it had. */
    public void recordOutcome(Handle h, long deliveryId, DeliveryState state, Instant nextAttemptAt, String lastError,
                              Instant deliveredAt) {
        h.createUpdate("""
                        update deliveries set state = :state, attempts = attempts + 1,
                                              next_attempt_at = coalesce(:next, next_attempt_at), last_error = :lastError,
                                              delivered_at = :deliveredAt, claimed_until = null, claimed_by = null
                        where id = :id""")
                .bind("state", state.column())
                .bindByType("next", nextAttemptAt, Instant.class)
                .bind("lastError", lastError)
                .bindByType("deliveredAt", deliveredAt, Instant.class)
                .bind("id", deliveryId)
                .execute();
    }

    /** Marks a delivery still pending and claimed by us failed with {@code error}; false when it is not. */
    public boolean markFailed(Handle h, Due due, String error) {
        return h.createUpdate("""
                        update deliveries set state = 'failed', attempts = attempts + 1, last_error = :error,
                                              claimed_until = null, claimed_by = null
                        where id = :id and state = 'pending' and claimed_by = :claim""")
                .bind("error", error)
                .bind("id", due.id())
                .bind("claim", due.claim())
                .execute() > 0;
    }
}
