package org.seggateway.gateway.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
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
    void namesTheMissingPackage() {
        assertThatThrownBy(() -> models.read("no-such-model")).isInstanceOf(ModelPackageException.class)
                .hasMessageContaining("no-such-model");
    }
}
