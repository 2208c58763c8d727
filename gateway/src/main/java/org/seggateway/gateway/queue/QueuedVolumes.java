package org.seggateway.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.ref.SoftReference;
import java.util.Optional;
import java.util.UUID;
import org.seggateway.dicomio.volume.Volume;

/**
 * The volume of the job queued last, kept for its result's measurements, which need the source voxels: without it the
 * result consumer reads the series' files again (a 157 MB CT: a third of a second of CPU beside the SEG build). One
 * volume at most, replaced by the next job queued, handed out once, and held by a soft reference, so that the garbage
 * collector drops it before the heap runs short; whoever finds nothing reads the files, as before. The kept volume was
 * assembled from exactly the instances recorded as the job's sources, which are what the SEG is built on.
 */
@ApplicationScoped
public class QueuedVolumes {
    private UUID jobId;
    private SoftReference<Volume> volume;

    /** Keeps {@code queued}, the volume job {@code id} was just queued with, in place of the one kept before. */
    public synchronized void keep(UUID id, Volume queued) {
        jobId = id;
        volume = new SoftReference<>(queued);
    }

    /** The volume kept for job {@code id}, given up by the holder; empty when another job's is kept or it was dropped. */
    public synchronized Optional<Volume> take(UUID id) {
        if (jobId == null || !jobId.equals(id)) return Optional.empty();
        Volume kept = volume.get();
        jobId = null;
        volume = null;
        return Optional.ofNullable(kept);
    }
}
