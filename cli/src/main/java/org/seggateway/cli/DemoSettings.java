package org.seggateway.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.seggateway.local.PostgresDatabase;

/**
 * One demo run.
 *
 * @param workFolder     where everything goes (services' data, spool, logs, the sample, the received SEG); empty: a
 *                       new folder under {@code target/demo/} of the project, deleted afterwards unless {@code keep}
 * @param keep           keep the work folder (a given {@code workFolder} is always kept)
 * @param size           sample series rows, columns, slices
 * @param timeout        longest wait for the SEG after the last instance was sent
 * @param postgres       the server to make a private database on when it answers
 * @param postgresBin    server programs for a private server when that one does not answer (default: the bundled ones)
 * @param modelPackage   the model package the demo route names
 */
record DemoSettings(Optional<Path> workFolder, boolean keep, int[] size, Duration timeout, PostgresDatabase postgres,
                    Optional<Path> postgresBin, Path modelPackage) {

    static DemoSettings defaults() {
        return new DemoSettings(Optional.empty(), false, new int[] {256, 256, 80}, Duration.ofMinutes(10),
                PostgresDatabase.setupDefault(), Optional.empty(), ProjectHome.get().resolve("models/demo-abdomen-unet"));
    }
}
