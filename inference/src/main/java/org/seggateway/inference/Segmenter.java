package org.seggateway.inference;

import org.seggateway.dicomio.seg.LabelMap;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.postprocess.LabelResampler;
import org.seggateway.inference.postprocess.LargestComponent;
import org.seggateway.inference.preprocess.PreparedVolume;
import org.seggateway.inference.preprocess.Preprocessor;
import org.seggateway.inference.runtime.ModelSession;
import org.seggateway.inference.runtime.RuntimeOptions;
import org.seggateway.inference.window.BatchPredictor;
import org.seggateway.inference.window.ProgressListener;
import org.seggateway.inference.window.SlidingWindow;
import org.seggateway.inference.window.WindowResult;

/**
 * Volume + model package -> label map on the volume's own grid, following docs/model-package.md. Holds one
 * ONNX Runtime session, reused for every volume; one segmentation at a time per instance.
 */
public final class Segmenter implements AutoCloseable {

    private final ModelPackage modelPackage;
    private final BatchPredictor network;
    private final AutoCloseable owned;

    private Segmenter(ModelPackage modelPackage, BatchPredictor network, AutoCloseable owned) {
        this.modelPackage = modelPackage;
        this.network = network;
        this.owned = owned;
    }

    /** Opens the package's ONNX model (checked against its manifest) with the given execution provider. */
    public static Segmenter open(ModelPackage modelPackage, RuntimeOptions options) {
        ModelSession session = ModelSession.open(modelPackage, options);
        return new Segmenter(modelPackage, session, session);
    }

    /** A segmenter over any network implementation (tests, other runtimes); the caller owns it. */
    public static Segmenter withNetwork(ModelPackage modelPackage, BatchPredictor network) {
        return new Segmenter(modelPackage, network, null);
    }

    public SegmentationResult segment(Volume volume) throws Exception {
        return segment(volume, SegmentOptions.defaults(), ProgressListener.NONE);
    }

    public synchronized SegmentationResult segment(Volume volume, SegmentOptions options, ProgressListener progress)
            throws Exception {
        long t0 = System.nanoTime();
        PreparedVolume prepared = Preprocessor.prepare(volume, modelPackage.manifest());
        long t1 = System.nanoTime();
        WindowResult windows = SlidingWindow.run(prepared, modelPackage.manifest(), network, options.keepProbabilities(), progress);
        prepared = dropData(prepared);
        long t2 = System.nanoTime();
        int[] model = prepared.modelSize();
        byte[] modelLabels = windows.labels();
        if (options.largestComponent()) LargestComponent.apply(modelLabels, model[0], model[1], model[2]);
        byte[] labels = LabelResampler.toSource(modelLabels, model, prepared.sourceSize(), prepared.mapping(),
                prepared.pixelCentres());
        long t3 = System.nanoTime();
        var g = volume.geometry();
        StageTimings timings = new StageTimings(t1 - t0, windows.timings().gatherNanos(), windows.timings().inferenceNanos(),
                windows.timings().blendNanos(), t2 - t1, t3 - t2, t3 - t0);
        return new SegmentationResult(new LabelMap(g.width(), g.height(), g.depth(), labels), model,
                windows.probabilities(), windows.windows(), timings);
    }

    /** The padded model-grid image is not needed after the sliding window; let it be collected before postprocessing. */
    private static PreparedVolume dropData(PreparedVolume p) {
        return new PreparedVolume(p.mapping(), p.sourceSize(), p.modelSize(), p.coverSize(), p.padBefore(), p.margin(), null, p.pixelCentres());
    }

    public ModelPackage modelPackage() {
        return modelPackage;
    }

    /** The ONNX session, or null for {@link #withNetwork}. */
    public ModelSession session() {
        return owned instanceof ModelSession s ? s : null;
    }

    @Override
    public void close() throws Exception {
        if (owned != null) owned.close();
    }
}
