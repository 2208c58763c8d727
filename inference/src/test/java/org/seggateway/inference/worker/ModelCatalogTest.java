package org.seggateway.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VoxelType;
import org.seggateway.inference.SegmentOptions;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.TestPackages;
import org.seggateway.inference.TestVolumes;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.model.ModelPackageException;
import org.seggateway.inference.queue.JobHeader;
import org.seggateway.inference.runtime.RuntimeOptions;

/** The worker's model catalog and the job runner on top of it, with the tiny ONNX test models. */
class ModelCatalogTest {
    @TempDir
    Path dir;

    @Test
    void runsEachJobWithTheModelItNamesAndOpensEachSessionOnce() throws Exception {
        Path models = dir.resolve("models");
        TestPackages.softmax("same_c2", 2).set("name", "organs").set("version", "1.0.0").write(models.resolve("organs-1"));
        TestPackages.softmax("same_c4", 4).set("name", "organs").set("version", "2.0.0").write(models.resolve("organs-2"));
        Files.createDirectories(models.resolve("notes")); // no model.json: not a package, ignored
        AtomicInteger opened = new AtomicInteger();
        Volume volume = TestVolumes.ct(21, 17, 11, new double[] {1, 1, 1}, TestVolumes.IDENTITY, 5);

        try (ModelCatalog catalog = ModelCatalog.open(models, RuntimeOptions.cpu(1), (p, o) -> {
            opened.incrementAndGet();
            return Segmenter.open(p, o);
        })) {
            assertThat(catalog.models()).containsExactly("organs 1.0.0", "organs 2.0.0");
            assertThat(catalog.openSessions()).isZero();
            SegmenterJobRunner runner = new SegmenterJobRunner(catalog, SegmentOptions.defaults());

            Map<String, Double> seconds = new HashMap<>();
            LabelMap v2 = runner.run(job("organs", "2.0.0", volume), volume, seconds);
            LabelMap v2again = runner.run(job("organs", "2.0.0", volume), volume, new HashMap<>());
            LabelMap v1 = runner.run(job("organs", "1.0.0", volume), volume, new HashMap<>());
            assertThat(opened).hasValue(2);
            assertThat(catalog.openSessions()).isEqualTo(2);
            assertThat(seconds).containsKeys("preprocess", "inference", "blending", "postprocess", "total");
            assertThat(seconds.get("total")).isPositive().isGreaterThanOrEqualTo(seconds.get("inference"));

            assertThat(v2again.labels()).isEqualTo(v2.labels());
            assertThat(v2.labels()).isEqualTo(direct(models.resolve("organs-2"), volume));
            assertThat(v1.labels()).isEqualTo(direct(models.resolve("organs-1"), volume));
            assertThat(v1.labels()).isNotEqualTo(v2.labels()); // the job's version picked the model
            assertThat(max(v2)).isGreaterThan(max(v1)).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void explainsAnUnknownModel() throws Exception {
        TestPackages.softmax("same_c2", 2).set("name", "liver").set("version", "1.0.0").write(dir.resolve("m/liver"));
        try (ModelCatalog catalog = ModelCatalog.open(dir.resolve("m"), RuntimeOptions.cpu(1))) {
            Volume volume = TestVolumes.ct(9, 9, 9, new double[] {1, 1, 1}, TestVolumes.IDENTITY, 1);
            SegmenterJobRunner runner = new SegmenterJobRunner(catalog, SegmentOptions.defaults());
            assertThatThrownBy(() -> runner.run(job("liver", "2.0.0", volume), volume, new HashMap<>()))
                    .isInstanceOf(ModelCatalog.UnknownModelException.class)
                    .hasMessageContaining("liver 2.0.0").hasMessageContaining("[liver 1.0.0]");
            assertThat(catalog.openSessions()).isZero();
        }
    }

    @Test
    void acceptsAFolderThatIsItselfOnePackage() throws Exception {
        Path single = TestPackages.softmax("same_c2", 2).set("name", "liver").write(dir.resolve("liver"));
        try (ModelCatalog catalog = ModelCatalog.open(single, RuntimeOptions.cpu(1))) {
            assertThat(catalog.models()).containsExactly("liver 0.0.1");
        }
    }

    @Test
    void refusesDuplicateEmptyAndBrokenFolders() throws Exception {
        Path models = dir.resolve("dup");
        TestPackages.softmax("same_c2", 2).set("name", "liver").write(models.resolve("a"));
        TestPackages.softmax("same_c4", 4).set("name", "liver").write(models.resolve("b"));
        assertThatThrownBy(() -> ModelCatalog.open(models, RuntimeOptions.cpu(1)))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("a and b").hasMessageContaining("liver 0.0.1");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelCatalog.open(empty, RuntimeOptions.cpu(1)))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("no model package");
        assertThatThrownBy(() -> ModelCatalog.open(dir.resolve("missing"), RuntimeOptions.cpu(1)))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("missing");

        Path broken = dir.resolve("broken");
        TestPackages.softmax("same_c2", 2).set("overlapp", 0.5).write(broken.resolve("typo"));
        assertThatThrownBy(() -> ModelCatalog.open(broken, RuntimeOptions.cpu(1)))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("typo").hasMessageContaining("overlapp");
    }

    private static byte[] direct(Path packageDir, Volume volume) throws Exception {
        try (Segmenter s = Segmenter.open(ModelPackage.load(packageDir), RuntimeOptions.cpu(1))) {
            return s.segment(volume).labels().labels();
        }
    }

    private static int max(LabelMap m) {
        int max = 0;
        for (byte b : m.labels()) max = Math.max(max, b & 0xFF);
        return max;
    }

    private static JobHeader job(String model, String version, Volume v) {
        return new JobHeader("job-" + model + "-" + version, model, version, v.geometry(), VoxelType.INT16,
                v.geometry().voxelCount() * 2, 1);
    }
}
