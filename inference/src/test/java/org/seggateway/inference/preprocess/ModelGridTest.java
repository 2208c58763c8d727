package org.seggateway.inference.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.inference.TestPackages;
import org.seggateway.inference.model.ModelManifest;

/** The model grid's size, spacing, convention and nnU-Net's separate axis (docs/model-package.md step 2). */
class ModelGridTest {

    @TempDir
    Path dir;

    private ModelManifest manifest(Object targetSpacing, Object targetShape, String method) throws Exception {
        TestPackages.Spec spec = TestPackages.softmax("same_c2", 2).set("targetSpacing", targetSpacing)
                .set("targetShape", targetShape).set("resampling", Map.of("image", method));
        return spec.load(dir.resolve(method + System.nanoTime())).manifest();
    }

    @Test
    void nnunetRoundsHalfToEvenWhereLinearRoundsHalfUp() throws Exception {
        // 5, 7, 9 voxels of 1 mm to 2 mm: 2.5, 3.5, 4.5
        int[] source = {9, 7, 5};
        double[] spacing = {1, 1, 1};
        ModelGrid nnunet = ModelGrid.of(source, spacing, manifest(List.of(2.0, 2.0, 2.0), null, "nnunet"));
        ModelGrid linear = ModelGrid.of(source, spacing, manifest(List.of(2.0, 2.0, 2.0), null, "linear"));
        assertThat(nnunet.size()).containsExactly(4, 4, 2);
        assertThat(linear.size()).containsExactly(5, 4, 3);
        assertThat(nnunet.pixelCentres()).isTrue();
        assertThat(linear.pixelCentres()).isFalse();
    }

    @Test
    void targetShapeKeepsTheExtentForPixelCentresAndTheCornersForLinear() throws Exception {
        int[] source = {11, 21, 9};
        double[] spacing = {1.0, 0.5, 3.0};
        ModelGrid cubic = ModelGrid.of(source, spacing, manifest(null, List.of(4, 6, 5), "cubic"));
        ModelGrid linear = ModelGrid.of(source, spacing, manifest(null, List.of(4, 6, 5), "linear"));
        assertThat(cubic.size()).containsExactly(5, 6, 4);
        assertThat(cubic.spacing()[0]).isCloseTo(11.0 / 5, within(1e-12));
        assertThat(cubic.spacing()[2]).isCloseTo(27.0 / 4, within(1e-12));
        assertThat(linear.spacing()[0]).isCloseTo(10.0 / 4, within(1e-12));
        assertThat(linear.spacing()[1]).isCloseTo(10.0 / 5, within(1e-12));
    }

    @Test
    void separateAxisFollowsNnunetsRule() {
        // the source decides when it is anisotropic
        assertThat(ModelGrid.separateAxis(new double[] {0.7, 0.7, 4.0}, new double[] {1, 1, 2})).isEqualTo(2);
        // else the target
        assertThat(ModelGrid.separateAxis(new double[] {1, 1, 1}, new double[] {3.5, 1, 1})).isEqualTo(0);
        // a ratio of exactly 3 is not anisotropic
        assertThat(ModelGrid.separateAxis(new double[] {1, 1, 3}, new double[] {1, 1, 1})).isEqualTo(-1);
        // two axes share the largest spacing: no separate axis, and the target is not asked
        assertThat(ModelGrid.separateAxis(new double[] {4, 4, 1}, new double[] {1, 1, 5})).isEqualTo(-1);
    }

    @Test
    void onlyNnunetHasASeparateAxis() throws Exception {
        int[] source = {20, 20, 6};
        double[] spacing = {0.8, 0.8, 4.0};
        assertThat(ModelGrid.of(source, spacing, manifest(List.of(2.0, 1.0, 1.0), null, "nnunet")).separateAxis()).isEqualTo(2);
        assertThat(ModelGrid.of(source, spacing, manifest(List.of(2.0, 1.0, 1.0), null, "cubic")).separateAxis()).isEqualTo(-1);
    }
}
