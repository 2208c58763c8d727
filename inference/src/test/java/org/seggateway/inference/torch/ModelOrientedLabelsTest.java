package org.seggateway.inference.torch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.postprocess.LabelResampler;
import org.seggateway.inference.preprocess.AxisMapping;

/** What bench infer relies on: labels the PyTorch script gives in model orientation go back to the series' own order. */
class ModelOrientedLabelsTest {

    @Test
    void labelsInModelOrientationGoBackToTheVolumesOwnOrder() {
        Volume v = PhantomVolume.ct(7, 5, 3, new double[] {1, 1, 1}, 10, 3);
        int[] source = {7, 5, 3};
        for (String orientation : new String[] {"LPS", "RAS", "SPL", "IAR"}) {
            AxisMapping mapping = AxisMapping.toOrientation(v.geometry().direction(), orientation);
            int[] size = new int[3];
            float[] oriented = TorchSlidingWindow.modelOriented(v, mapping, size);
            byte[] orientedLabels = new byte[oriented.length];
            for (int i = 0; i < oriented.length; i++) orientedLabels[i] = (byte) Math.floorMod((int) oriented[i], 251);
            byte[] back = LabelResampler.toSource(orientedLabels, size, source, mapping);
            for (int s = 0; s < back.length; s++)
                assertThat(back[s]).as("%s voxel %d", orientation, s).isEqualTo((byte) Math.floorMod((int) v.value(s), 251));
        }
    }
}
