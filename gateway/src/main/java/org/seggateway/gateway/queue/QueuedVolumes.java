package org.seggateway.gateway.queue;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.ref.SoftReference;
import java.util.Optional;
import java.util.UUID;
import org.seggateway.dicomio.volume.SeriesFiles;
import org.seggateway.dicomio.volume.Volume;

/**
 * The volume of the job queued last and the headers of its files, kept for its result: the SEG is placed with the
 * headers and the measurements need the voxels, and without them the result consumer reads the series' files again (a
 * 157 MB CT: a third of a second of CPU beside the SEG build, and a tenth to scan the 300 headers before it). One job's
 * at most, replaced by the next job queued, the volume handed out once, both held by soft references, so that the
 * garbage collector drops them before the heap runs short; whoever finds nothing reads the files, as before. They come
 * from exactly the instances recorded as the job's sources, which are what the SEG is built on.
 */
@ApplicationScoped
public class QueuedVolumes {
    private UUID jobId;
    private SoftReference<Volume> volume;
    private SoftReference<SeriesFiles> files;

    /** Keeps {@code queued}, the volume job {@code id} was just queued with, in place of the one kept before. */
    public synchronized void keep(UUID id, Volume queued) {
        keep(id, queued, null);
    }

    /** Keeps the volume job {@code id} was just queued with and the scanned headers of its files ({@code series}, may be null). */
    public synchronized void keep(UUID id, Volume queued, SeriesFiles series) {
        jobId = id;
        volume = new SoftReference<>(queued);
        files = new SoftReference<>(series);
    }

    /** The headers of the files job {@code id} was queued from, when kept; they stay kept. */
    public synchronized Optional<SeriesFiles> files(UUID id) {
        if (jobId == null || !jobId.equals(id)) return Optional.empty();
        return Optional.ofNullable(files.get());
    }

    /** The volume kept for job {@code id}, given up by the holder with its files; empty when another job's is kept or it was dropped. */
    public synchronized Optional<Volume> take(UUID id) {
        if (jobId == null || !jobId.equals(id)) return Optional.empty();
        Volume kept = volume.get();
        jobId = null;
        volume = null;
        files = null;
        return Optional.ofNullable(kept);
    }
}
