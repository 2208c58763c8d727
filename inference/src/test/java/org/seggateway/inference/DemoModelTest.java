package org.seggateway.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.seggateway.dicomio.synthetic.Phantom;
import org.seggateway.dicomio.synthetic.PhantomVolume;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.runtime.RuntimeOptions;

/**
 * The committed demo model segments the standard phantom (the first "standard phantom" row of its README:
 * 143 x 143 x 120 voxels at 2.5 mm, noise 10 HU) with Dice no more than {@value #MARGIN} below the
 * documented figures. The noise realisation differs from the one the README was measured on (Java's
 * random stream, not NumPy's), hence the margin.
 */
class DemoModelTest {

    static final double MARGIN = 0.05;

    @Test
    void segmentsThePhantomAsDocumented() throws Exception {
        Path dir = ProjectFiles.demoModel();
        double[] documented = documentedDice(dir.resolve("README.md"), "[120, 143, 143]", "[2.5, 2.5, 2.5]");
        ModelPackage p = ModelPackage.load(dir);
        Volume volume = PhantomVolume.ct(143, 143, 120, new double[] {2.5, 2.5, 2.5}, 10, 7);
        SegmentationResult result;
        try (Segmenter segmenter = Segmenter.open(p, RuntimeOptions.cpu(2))) {
            result = segmenter.segment(volume);
        }
        byte[] truth = PhantomVolume.groundTruth(volume.geometry());
        double liver = Dice.of(result.labels().labels(), truth, Phantom.LIVER);
        double lesion = Dice.of(result.labels().labels(), truth, Phantom.LESION);
        System.out.printf("demo model on the phantom: Dice liver %.3f (README %.3f), lesion %.3f (README %.3f); %s%n",
                liver, documented[0], lesion, documented[1], result.timings().summary());
        assertThat(liver).as("liver Dice").isGreaterThan(documented[0] - MARGIN);
        assertThat(lesion).as("lesion Dice").isGreaterThan(documented[1] - MARGIN);
    }

    /** liver and lesion Dice from the README row "| standard phantom SHAPE at SPACING mm ... | liver | lesion |". */
    static double[] documentedDice(Path readme, String shape, String spacing) throws Exception {
        String text = Files.readString(readme);
        Matcher m = Pattern.compile("\\| standard phantom " + Pattern.quote(shape) + " at " + Pattern.quote(spacing)
                + "[^|]*\\|\\s*([0-9.]+)\\s*\\|\\s*([0-9.]+)\\s*\\|").matcher(text);
        assertThat(m.find()).as(readme + " must document the Dice on the standard phantom " + shape + " at " + spacing + " mm").isTrue();
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }
}
