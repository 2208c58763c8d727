package org.seggateway.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.SyntheticSeries;

/** The fuzz harness itself: any seed gives mutants without failing, and the same seed gives the same bytes. */
class DicomMutatorTest {
    @TempDir
    Path directory;

    @Test
    void everySeedMutatesWithoutFailingAndReproduces() throws Exception {
        List<Path> donors = SyntheticSeries.ct().size(16, 16, 4).write(directory.resolve("donor")).files();
        for (long seed = 1; seed <= 40; seed++) {
            DicomMutator first = new DicomMutator(seed), again = new DicomMutator(seed);
            for (int i = 0; i < 250; i++) {
                Path donor = donors.get(i % donors.size());
                DicomMutator.Mutant a = first.mutate(donor, directory.resolve("a.dcm"), "1.2.3", "FUZZ");
                DicomMutator.Mutant b = again.mutate(donor, directory.resolve("b.dcm"), "1.2.3", "FUZZ");
                assertThat(b.mutations()).as("seed %d case %d", seed, i).isEqualTo(a.mutations());
                assertThat(Files.mismatch(a.file(), b.file())).as("seed %d case %d: %s", seed, i, a.mutations()).isEqualTo(-1);
            }
        }
    }
}
