package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.imports.NnunetImporter;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.ModelPackage;

/**
 * A package that {@code nnunet_import.py} wrote from an nnU-Net-format folder (make_nnunet_folder.py: random-weight
 * PlainConvUNet, two folds, ct-percentile-zscore, mirroring over all axes) run by the Java engine and by the PyTorch
 * script on the same volume, as {@link TorchCrossCheckTest} does. The volume has the package's target spacing, so
 * resampling is the identity whatever rule either side implements.
 */
class NnunetPackageCrossCheckTest {

    @TempDir
    Path work;

    @Test
    void importedNnunetEnsembleMatchesPyTorch() throws Exception {
        Path python = ProjectFiles.root().resolve("inference/python");
        Path folder = Path.of(run(List.of(NnunetImporter.pythonExecutable(), python.resolve("make_nnunet_folder.py").toString(),
                "--preset", "small-plain", "--out", work.resolve("nnunet").toString()), "make").getLast());
        Path pkg = work.resolve("pkg");
        run(List.of(NnunetImporter.pythonExecutable(), python.resolve("nnunet_import.py").toString(), folder.toString(),
                "--out", pkg.toString(), "--folds", "0,1", "--orientation", "LPS"), "import");

        // labels carry names only here: the reader takes their codes from the built-in table
        ModelManifest m = ModelPackage.load(pkg).manifest();
        assertThat(m.ensembleSize()).isEqualTo(2);
        assertThat(m.labels()).extracting(l -> l.type().value()).containsExactly("10200004", "78961009", "64033007");

        Volume volume = PhantomVolume.ct(40, 36, 20, new double[] {0.8, 0.8, 3.0}, 10, 7);
        byte[] labels = TorchCrossCheckTest.compare(pkg, volume, work.resolve("cross"));
        assertThat(labels).hasSize(40 * 36 * 20);
    }

    private List<String> run(List<String> cmd, String name) throws Exception {
        Path log = work.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = p.waitFor();
        List<String> lines = Files.readAllLines(log);
        assertThat(exit).as(name + ": " + String.join("\n", lines)).isZero();
        return lines;
    }
}
