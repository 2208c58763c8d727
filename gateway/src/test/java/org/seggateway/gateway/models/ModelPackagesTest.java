package org.seggateway.gateway.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.SegmentDescription;

@QuarkusTest
class ModelPackagesTest {
    @Inject
    ModelPackages models;

    @Test
    void readsNameVersionAndSegmentsOfARoutesModelPackage() throws Exception {
        ModelInfo model = models.read("test-model");
        assertThat(model.name()).isEqualTo("test-threshold");
        assertThat(model.version()).isEqualTo("1.2.0");
        assertThat(model.segments()).extracting(SegmentDescription::labelValue, SegmentDescription::label,
                s -> s.type().value(), SegmentDescription::algorithmName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "Liver", "10200004", "test-threshold"),
                        org.assertj.core.groups.Tuple.tuple(2, "Lesion", "52988006", "test-threshold"));
    }

    @Test
    void referencesOutsideTheModelRootAreRefusedByDotsAbsolutePathsAndSymbolicLinks(@TempDir Path outside) throws Exception {
        Path elsewhere = Files.createDirectories(outside.resolve("elsewhere"));
        copyPackage(models.root().resolve("test-model"), elsewhere);
        Path link = models.root().resolve("link-" + UUID.randomUUID());
        Files.createSymbolicLink(link, elsewhere);
        try {
            for (String reference : List.of("../test-model", "a/../../test-model",
                    elsewhere.toString(), link.getFileName().toString(), link.getFileName() + "/."))
                assertThatThrownBy(() -> models.read(reference)).as(reference).isInstanceOf(ModelPackageException.class)
                        .hasMessageContaining("lies outside the model root");
            assertThat(models.read(models.root().resolve("test-model").toString()).name()).as("absolute, inside").isEqualTo("test-threshold");
            assertThat(models.read("./sub/../test-model").name()).isEqualTo("test-threshold");
        } finally {
            Files.delete(link);
        }
    }

    private static void copyPackage(Path from, Path to) throws Exception {
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    @Test
    void namesTheMissingPackage() {
        assertThatThrownBy(() -> models.read("no-such-model")).isInstanceOf(ModelPackageException.class)
                .hasMessageContaining("no-such-model");
    }
}
