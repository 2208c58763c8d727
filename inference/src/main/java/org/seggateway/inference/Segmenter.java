package org.seggateway.inference;

import java.util.List;
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
 * Volume + model package -> label map on the volume's own grid, following docs/model-package.md. Holds the
 * package's ONNX Runtime sessions (one per ensemble member), reused for every volume; one segmentation at a
 * time per instance.
 */
public final class Segmenter implements AutoCloseable {

    private final ModelPackage modelPackage;
    private final List<BatchPredictor> members;
    private final AutoCloseable owned;

    private Segmenter(ModelPackage modelPackage, List<BatchPredictor> members, AutoCloseable owned) {
        if (members.size() != modelPackage.manifest().ensembleSize())
            throw new IllegalArgumentException("model " + modelPackage.displayName() + " names " + modelPackage.manifest().ensembleSize()
                    + " ONNX files, got " + members.size() + " networks");
        this.modelPackage = modelPackage;
        this.members = List.copyOf(members);
        this.owned = owned;
    }

    /** Opens the package's ONNX model (checked against its manifest) with the given execution provider. */
    public static Segmenter open(ModelPackage modelPackage, RuntimeOptions options) {
        ModelSession session = ModelSession.open(modelPackage, options);
        try {
            return new Segmenter(modelPackage, session.members(), session);
        } catch (RuntimeException e) {
            try {
                session.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A segmenter over any network implementation (tests, other runtimes); the caller owns it. */
    public static Segmenter withNetwork(ModelPackage modelPackage, BatchPredictor network) {
        return new Segmenter(modelPackage, List.of(network), null);
    }

    /** A segmenter over the members of an ensemble, in the manifest's order; the caller owns them. */
    public static Segmenter withNetworks(ModelPackage modelPackage, List<? extends BatchPredictor> members) {
        return new Segmenter(modelPackage, List.copyOf(members), null);
    }

    public SegmentationResult segment(Volume volume) throws Exception {
        return segment(volume, SegmentOptions.defaults(), ProgressListener.NONE);
    }

    public synchronized SegmentationResult segment(Volume volume, SegmentOptions options, ProgressListener progress)
            throws Exception {
        long t0 = System.nanoTime();
        PreparedVolume prepared = Preprocessor.prepare(volume, modelPackage.manifest());
        long t1 = System.nanoTime();
        WindowResult windows = SlidingWindow.run(prepared, modelPackage.manifest(), members, options.keepProbabilities(), progress);
        prepared = prepared.withoutData(); // let the model grid be collected before postprocessing
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
