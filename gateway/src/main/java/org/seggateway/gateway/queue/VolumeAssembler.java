package org.seggateway.gateway.queue;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.volume.SeriesFiles;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeException;
import org.seggateway.dicomio.volume.VolumeLimits;
import org.seggateway.dicomio.volume.VolumeReader;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.jobs.JobRepository.PendingJob;
import org.seggateway.gateway.jobs.JobSources;
import org.seggateway.gateway.models.ModelInfo;
import org.seggateway.gateway.models.ModelPackageException;
import org.seggateway.gateway.models.ModelPackages;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;

/**
 * Assembles the volume a job goes on the queue with: the identity of its model package and the latest version of each
 * spooled instance of its series, read as one volume within {@code seg-gateway.volume-limits}. A series that cannot be
 * assembled (a {@link VolumeException}: mixed sizes or Frames of Reference, tilt, unsupported encoding, beyond the
 * limits...), instances no longer in the spool, a model package that cannot be read, and any other exception of the job's
 * own (an attribute with an unexpected VR, an {@link OutOfMemoryError}: also counted as a loop error) make the job
 * {@link JobNotQueueable}; a database failure is thrown as it is.
 */
@Startup // the volume limits are checked at start
@ApplicationScoped
class VolumeAssembler {
    private final ModelPackages models;
    private final JobSources sources;
    private final VolumeLimits volumeLimits;
    private final LoopErrors loopErrors;

    VolumeAssembler(ModelPackages models, JobSources sources, GatewayConfig config, LoopErrors loopErrors) {
        this.models = models;
        this.sources = sources;
        this.volumeLimits = config.volumeLimits().toVolumeLimits();
        this.loopErrors = loopErrors;
    }

    /** A job's volume, ready to publish, with the instances it was read from and how long that took. */
    record Assembled(ModelInfo model, List<JobSources.SourceFile> files, SeriesFiles series, Volume volume, double seconds) {
        List<Long> instanceIds() {
            return files.stream().map(JobSources.SourceFile::instanceId).toList();
        }
    }

    Assembled assemble(Handle h, PendingJob job) throws JobNotQueueable {
        long start = System.nanoTime();
        try {
            ModelInfo model = models.read(job.modelPackage());
            List<JobSources.SourceFile> files = sources.latestOf(h, job.seriesId());
            long missing = files.stream().filter(f -> !Files.exists(f.path())).count();
            if (missing > 0)
                throw new IOException(missing + " of " + files.size() + " instances are no longer in the spool (spool retention"
                        + " or removed by hand); reprocess the series (POST /api/reprocess) to retrieve them from the PACS");
            SeriesFiles series = JobSources.scan(files, job.seriesInstanceUid());
            Volume volume = VolumeReader.read(series, volumeLimits);
            return new Assembled(model, files, series, volume, Stopwatch.seconds(start));
        } catch (ModelPackageException | VolumeException | IOException e) {
            throw new JobNotQueueable("assemble", e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            if (!ItemFaults.attributableToItem(e)) throw e;
            if (e instanceof Error) loopErrors.caught(DispatchLoop.NAME, e);
            throw new JobNotQueueable("assemble", "volume not assembled: " + ItemFaults.describe(e));
        }
    }
}
