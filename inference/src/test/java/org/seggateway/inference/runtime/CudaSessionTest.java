package org.seggateway.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.seggateway.inference.SegmentOptions;
import org.seggateway.inference.SegmentationResult;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.TestVolumes;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.window.ProgressListener;

/**
 * The demo model on CUDA against CPU. Runs only where CUDA, its libraries and an ONNX Runtime build for it are found
 * (CI has no GPU): elsewhere it is skipped, and the GPU check is {@code scripts/gpu-check.sh} on a GPU machine
 * (docs/operator-guide.md, "GPU workers").
 */
class CudaSessionTest {

    @Test
    void demoModelOnCudaMatchesCpu() throws Exception {
        CudaRuntime.Prepared cuda = CudaRuntime.prepare(CudaSetup.defaults());
        assumeThat(cuda.usable()).as("no CUDA here (%s); the GPU check is scripts/gpu-check.sh, run on a GPU machine", cuda.problem())
                .isTrue();
        assumeThat(GpuDevice.query(0)).as("no GPU answers nvidia-smi here; the GPU check is scripts/gpu-check.sh, run on a GPU machine")
                .isPresent();
        ModelPackage p = ModelPackage.load(Path.of("../models/demo-abdomen-unet"));
        var volume = TestVolumes.ct(96, 96, 48, new double[] {2.5, 2.5, 2.5}, TestVolumes.IDENTITY, 3);
        SegmentOptions keep = new SegmentOptions(false, true);
        try (Segmenter gpu = Segmenter.open(p, new RuntimeOptions(ExecutionProvider.CUDA, 1, 0));
             Segmenter cpu = Segmenter.open(p, RuntimeOptions.cpu(1))) {
            assertThat(gpu.session().provider()).isEqualTo(ExecutionProvider.CUDA);
            SegmentationResult a = gpu.segment(volume, keep, ProgressListener.NONE), b = cpu.segment(volume, keep, ProgressListener.NONE);
            float worst = 0;
            for (int c = 0; c < a.probabilities().length; c++)
                for (int i = 0; i < a.probabilities()[c].length; i++)
                    worst = Math.max(worst, Math.abs(a.probabilities()[c][i] - b.probabilities()[c][i]));
            assertThat(worst).isLessThan(1e-3f);
            int differ = 0;
            byte[] la = a.labels().labels(), lb = b.labels().labels();
            for (int i = 0; i < la.length; i++) if (la[i] != lb[i]) differ++;
            assertThat(differ).isLessThan(la.length / 10_000 + 1);
        }
    }
}
