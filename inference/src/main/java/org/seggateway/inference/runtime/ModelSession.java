package org.seggateway.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.seggateway.inference.model.ModelManifest;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.model.ModelPackageException;
import org.seggateway.inference.model.Shape3;
import org.seggateway.inference.window.BatchPredictor;

/**
 * The ONNX Runtime sessions of a model package, one per ONNX file (several for an ensemble), all with the
 * same options, opened once and reused for every volume. Opening checks each ONNX model's input and output
 * (name, element type, rank 5, channels, patch sizes, batch dimension) against the manifest. Not for
 * concurrent {@link BatchPredictor#predict} calls from several threads.
 */
public final class ModelSession implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.LOG;

    private final ModelPackage modelPackage;
    private final List<Member> members;
    private final ExecutionProvider provider;
    private final int threads;
    private GpuDevice gpu; // on CUDA, as nvidia-smi reported it when the session opened; else null
    private int cudaMajor; // on CUDA: the CUDA generation of the ONNX Runtime build loaded

    private ModelSession(ModelPackage p, List<Member> members, ExecutionProvider provider, int threads) {
        this.modelPackage = p;
        this.members = List.copyOf(members);
        this.provider = provider;
        this.threads = threads;
        for (Member m : members) m.onCuda = provider == ExecutionProvider.CUDA;
    }

    /** One ONNX file's session: a {@link BatchPredictor}. */
    private static final class Member implements BatchPredictor {
        private final ModelManifest manifest;
        private final OrtEnvironment env;
        private final OrtSession session;
        private final long fixedBatch; // > 0 when the model's batch dimension is static
        private final long[] inputPatch;
        private boolean onCuda;
        private int windowBatch; // windows per network run

        Member(ModelPackage p, Path file, OrtEnvironment env, OrtSession session) {
            this.manifest = p.manifest();
            this.env = env;
            this.session = session;
            this.fixedBatch = check(p, file, session);
            Shape3 patch = manifest.patchSize();
            this.inputPatch = new long[] {manifest.inputChannels(), patch.z(), patch.y(), patch.x()};
            this.windowBatch = fixedBatch > 0 ? (int) fixedBatch : manifest.batchSize();
        }

        @Override
        public int batchSize(int manifestBatch) {
            return windowBatch;
        }

        @Override
        public float[] predict(FloatBuffer input, int count) throws OrtException {
            // on CUDA a last, smaller batch runs at the full batch size: a new input shape would start cuDNN's algorithm search again
            long batch = fixedBatch > 0 ? fixedBatch : onCuda ? Math.max(count, windowBatch) : count;
            long per = inputPatch[0] * inputPatch[1] * inputPatch[2] * inputPatch[3];
            FloatBuffer view = input.duplicate();
            view.position(0).limit((int) (batch * per));
            long[] shape = {batch, inputPatch[0], inputPatch[1], inputPatch[2], inputPatch[3]};
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, view, shape);
                 OrtSession.Result result = session.run(Map.of(manifest.inputName(), tensor), Set.of(manifest.outputName()))) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] logits = new float[out.remaining()];
                out.get(logits);
                return logits;
            }
        }
    }

    public static ModelSession open(ModelPackage p, RuntimeOptions options) {
        OrtEnvironment env = null; // loaded after CudaRuntime.prepare, which may name the natives to load
        int threads = options.effectiveThreads();
        ExecutionProvider wanted = options.provider();
        if (wanted != ExecutionProvider.CPU) {
            CudaRuntime.Prepared cuda = CudaRuntime.prepare(options.cuda()); // before ONNX Runtime's natives load
            if (!cuda.usable()) {
                if (wanted == ExecutionProvider.CUDA)
                    throw new IllegalStateException("model " + p.displayName() + ": the CUDA execution provider does not load: "
                            + cuda.problem());
                LOG.cudaUnavailable(p.displayName(), cuda.problem());
            } else {
                try {
                    env = OrtEnvironment.getEnvironment();
                    ModelSession s = new ModelSession(p, openAll(p, env, threads, options.cudaDevice(), options.cuda().provider()),
                            ExecutionProvider.CUDA, threads);
                    s.onCuda(options, cuda.major());
                    return s;
                } catch (OrtException | UnsatisfiedLinkError e) {
                    if (wanted == ExecutionProvider.CUDA)
                        throw new IllegalStateException("model " + p.displayName() + ": the CUDA execution provider does not load: "
                                + e.getMessage() + " (available: " + OrtEnvironment.getAvailableProviders() + "; " + cuda.describe() + ")", e);
                    LOG.cudaUnavailable(p.displayName(), firstLine(e.getMessage()));
                }
            }
        }
        if (env == null) env = OrtEnvironment.getEnvironment();
        try {
            return new ModelSession(p, openAll(p, env, threads, 0, null), ExecutionProvider.CPU, threads);
        } catch (OrtException e) {
            throw new IllegalStateException("model " + p.displayName() + ": " + e.getMessage(), e);
        }
    }

    /** Opens and checks every member ({@code cuda} null: on the CPU); on any failure closes the ones already open. */
    private static List<Member> openAll(ModelPackage p, OrtEnvironment env, int threads, int device, CudaProviderSettings cuda)
            throws OrtException {
        List<Member> opened = new ArrayList<>();
        try {
            for (Path file : p.onnxFiles()) {
                OrtSession s;
                try {
                    s = create(env, file, threads, device, cuda);
                } catch (OrtException e) {
                    if (cuda != null) throw e;
                    throw new ModelPackageException("model package " + p.directory() + ": ONNX Runtime cannot load "
                            + file.getFileName() + ": " + e.getMessage(), e);
                }
                try {
                    opened.add(new Member(p, file, env, s));
                } catch (RuntimeException e) {
                    s.close();
                    throw e;
                }
            }
            return opened;
        } catch (OrtException | RuntimeException | Error e) {
            for (Member m : opened) m.session.close();
            throw e;
        }
    }

    private static OrtSession create(OrtEnvironment env, Path file, int threads, int device, CudaProviderSettings cuda)
            throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            if (cuda == null) return env.createSession(file.toString(), o);
            try (OrtCUDAProviderOptions cu = new OrtCUDAProviderOptions(device)) {
                for (Map.Entry<String, String> e : cuda.providerOptions(device).entrySet()) cu.add(e.getKey(), e.getValue());
                o.addCUDA(cu);
                return env.createSession(file.toString(), o);
            }
        }
    }

    /**
     * On CUDA: the GPU's figures, and the window batch its free memory allows (for a model with a dynamic batch; the
     * members of an ensemble run one after another, so each needs the room of one batch).
     */
    private void onCuda(RuntimeOptions options, int major) {
        CudaSetup setup = options.cuda();
        this.cudaMajor = major;
        this.gpu = GpuDevice.query(options.cudaDevice()).orElse(null);
        Member first = members.getFirst();
        if (first.fixedBatch <= 0 && gpu != null) {
            long perWindow = setup.gpuBytesPerWindow() > 0 ? setup.gpuBytesPerWindow() : WindowBatchSize.estimate(modelPackage.manifest());
            int batch = WindowBatchSize.fromFreeMemory(gpu.freeBytes(), perWindow, modelPackage.manifest().batchSize(),
                    setup.maxWindowBatch());
            for (Member m : members) m.windowBatch = batch;
        }
        LOG.cudaSession(modelPackage.displayName(), options.cudaDevice(), gpu == null ? "nvidia-smi did not answer" : gpu.summary(),
                first.windowBatch, setup.provider().providerOptions(options.cudaDevice()));
    }

    /** Checks input and output against the manifest; returns the static batch size, or -1 if dynamic. */
    private static long check(ModelPackage p, Path file, OrtSession s) {
        ModelManifest m = p.manifest();
        try {
            long[] in = tensorShape(p, file, "input", m.inputName(), s.getInputInfo());
            long[] out = tensorShape(p, file, "output", m.outputName(), s.getOutputInfo());
            Shape3 pi = m.patchSize(), po = m.outputPatchSize();
            expect(p, file, "input", m.inputName(), in, 1, m.inputChannels(), "input.channels");
            expect(p, file, "output", m.outputName(), out, 1, m.outputChannels(), "output.channels");
            long[][] spatial = {{pi.z(), pi.y(), pi.x()}, {po.z(), po.y(), po.x()}};
            for (int d = 0; d < 3; d++) {
                expect(p, file, "input", m.inputName(), in, 2 + d, spatial[0][d], "patchSize");
                expect(p, file, "output", m.outputName(), out, 2 + d, spatial[1][d], m.sameSize() ? "patchSize" : "outputPatchSize");
            }
            if (in[0] > 0 && in[0] != m.batchSize())
                throw mismatch(p, file, "input", m.inputName(), in, "batchSize " + m.batchSize() + " (the model's batch dimension is fixed at " + in[0] + ")");
            if (out[0] > 0 && in[0] != out[0])
                throw mismatch(p, file, "output", m.outputName(), out, "the input's batch dimension " + in[0]);
            return in[0];
        } catch (OrtException e) {
            throw new ModelPackageException("model package " + p.directory() + ": cannot read the ONNX model's inputs and outputs: " + e.getMessage(), e);
        }
    }

    private static long[] tensorShape(ModelPackage p, Path file, String role, String name, Map<String, NodeInfo> infos) {
        NodeInfo info = infos.get(name);
        if (info == null)
            throw new ModelPackageException("model package " + p.directory() + ": " + file.getFileName() + " has no " + role
                    + " named '" + name + "' (field '" + role + ".name' in model.json); its " + role + "s are " + infos.keySet());
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT)
            throw new ModelPackageException("model package " + p.directory() + ": " + role + " '" + name + "' of "
                    + file.getFileName() + " is not a float32 tensor: " + info.getInfo());
        long[] shape = t.getShape();
        if (shape.length != 5)
            throw new ModelPackageException("model package " + p.directory() + ": " + role + " '" + name + "' of "
                    + file.getFileName() + " has shape " + Arrays.toString(shape) + ", expected 5 dimensions [N, C, Z, Y, X]");
        return shape;
    }

    private static void expect(ModelPackage p, Path file, String role, String name, long[] shape, int dim, long value, String field) {
        if (shape[dim] > 0 && shape[dim] != value) throw mismatch(p, file, role, name, shape, "field '" + field + "' of model.json");
    }

    private static ModelPackageException mismatch(ModelPackage p, Path file, String role, String name, long[] shape, String what) {
        return new ModelPackageException("model package " + p.directory() + ": " + role + " '" + name + "' of "
                + file.getFileName() + " has shape " + Arrays.toString(shape) + " ([N, C, Z, Y, X], -1 = dynamic), "
                + "which does not match " + what);
    }

    /** On CUDA: the GPU as the session found it when it opened (null on CPU, or when nvidia-smi did not answer). */
    public GpuDevice gpu() {
        return gpu;
    }

    /** On CUDA: the CUDA generation of the ONNX Runtime build (12 or 13); 0 on CPU. */
    public int cudaMajor() {
        return cudaMajor;
    }

    /** Windows per network run: the manifest's batchSize, or on CUDA what the GPU's free memory allows. */
    public int windowBatch() {
        return members.getFirst().windowBatch;
    }

    /** The provider the session actually runs on (AUTO resolved). */
    public ExecutionProvider provider() {
        return provider;
    }

    public int threads() {
        return threads;
    }

    public ModelPackage modelPackage() {
        return modelPackage;
    }

    /** One predictor per ONNX file, in the manifest's order. */
    public List<BatchPredictor> members() {
        return List.copyOf(members);
    }

    @Override
    public void close() throws OrtException {
        OrtException first = null;
        for (Member m : members) {
            try {
                m.session.close();
            } catch (OrtException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
