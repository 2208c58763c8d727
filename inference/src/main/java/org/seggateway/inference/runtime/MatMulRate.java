package org.seggateway.inference.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Measures the machine's float32 rate the way the engine uses it: an N x N x N MatMul (2 N^3 FLOPs) in
 * ONNX Runtime with the given provider settings, best of several runs. The one-node ONNX model is written
 * here as protobuf bytes (ModelProto -> GraphProto -> NodeProto/ValueInfoProto field numbers of onnx.proto).
 */
public final class MatMulRate {
    private MatMulRate() {}

    /** Best GFLOP/s over runs lasting about {@code seconds} in total. */
    public static double measure(int n, int threads, double seconds) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession s = env.createSession(model(n), o)) {
                float[] a = new float[n * n];
                for (int i = 0; i < a.length; i++) a[i] = (i % 17) * 0.01f;
                long[] shape = {n, n};
                try (OnnxTensor ta = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), shape);
                     OnnxTensor tb = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), shape)) {
                    Map<String, OnnxTensor> in = Map.of("A", ta, "B", tb);
                    s.run(in).close(); // warm-up
                    double best = 0;
                    long end = System.nanoTime() + (long) (seconds * 1e9);
                    do {
                        long t0 = System.nanoTime();
                        s.run(in).close();
                        best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9);
                    } while (System.nanoTime() < end);
                    return best;
                }
            }
        }
    }

    /**
     * GFLOP/s of CUDA device {@code device} on N x N MatMuls, TF32 as {@code tf32} says: the best time of a chain of
     * {@code chain + 1} MatMuls (C1 = A A, C2 = C1 A, ..., summed to one number) less the best time of a chain of one,
     * so that the input's upload, the launch and the sum cancel out. Call after {@link CudaRuntime#prepare} (a CUDA
     * session opened does it).
     */
    public static double measureCuda(int n, int chain, int device, boolean tf32, double seconds) throws OrtException {
        double shortest = bestCudaSeconds(n, 1, device, tf32, seconds / 2);
        double longest = bestCudaSeconds(n, chain + 1, device, tf32, seconds / 2);
        return 2.0 * n * n * n * chain / Math.max(longest - shortest, 1e-9) / 1e9;
    }

    private static double bestCudaSeconds(int n, int chain, int device, boolean tf32, double seconds) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             ai.onnxruntime.providers.OrtCUDAProviderOptions cu = new ai.onnxruntime.providers.OrtCUDAProviderOptions(device)) {
            for (var e : CudaProviderSettings.defaults().withTf32(tf32).providerOptions(device).entrySet()) cu.add(e.getKey(), e.getValue());
            o.addCUDA(cu);
            try (OrtSession s = env.createSession(chainModel(n, chain), o)) {
                float[] a = new float[n * n];
                // entries about 1/n: the chain's products stay about 1/n too (no overflow, no denormals)
                for (int i = 0; i < a.length; i++) a[i] = (1 + i % 17) / (9f * n);
                try (OnnxTensor ta = OnnxTensor.createTensor(env, FloatBuffer.wrap(a), new long[] {n, n})) {
                    Map<String, OnnxTensor> in = Map.of("A", ta);
                    s.run(in).close();
                    double best = Double.MAX_VALUE;
                    long end = System.nanoTime() + (long) (seconds * 1e9);
                    int runs = 0;
                    do {
                        long t0 = System.nanoTime();
                        s.run(in).close();
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    } while (++runs < 3 || System.nanoTime() < end);
                    return best;
                }
            }
        }
    }

    static byte[] chainModel(int n, int chain) {
        Proto graph = new Proto();
        String previous = "A";
        for (int i = 1; i <= chain; i++) {
            String out = "C" + i;
            graph.message(1, new Proto().string(1, previous).string(1, "A").string(2, out).string(4, "MatMul"));
            previous = out;
        }
        graph.message(1, new Proto().string(1, previous).string(2, "Y").string(4, "ReduceSum"));
        Proto one = new Proto().varint(1, 1);
        Proto scalarShape = new Proto().message(1, one).message(1, one);
        Proto y = new Proto().string(1, "Y").message(2, new Proto().message(1, new Proto().varint(1, 1).message(2, scalarShape)));
        graph.string(2, "matmul_chain").message(11, matrix("A", n)).message(12, y);
        Proto opset = new Proto().string(1, "").varint(2, 17);
        return new Proto().varint(1, 8).message(8, opset).message(7, graph).bytes();
    }

    static byte[] model(int n) {
        Proto node = new Proto().string(1, "A").string(1, "B").string(2, "C").string(4, "MatMul");
        Proto graph = new Proto().message(1, node).string(2, "matmul")
                .message(11, matrix("A", n)).message(11, matrix("B", n)).message(12, matrix("C", n));
        Proto opset = new Proto().string(1, "").varint(2, 17);
        return new Proto().varint(1, 8).message(8, opset).message(7, graph).bytes();
    }

    private static Proto matrix(String name, int n) {
        Proto dim = new Proto().varint(1, n);
        Proto shape = new Proto().message(1, dim).message(1, dim);
        Proto tensor = new Proto().varint(1, 1 /* FLOAT */).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** Just enough protobuf encoding: varints, strings and nested messages. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            raw((field << 3));
            raw(v);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.bytes());
        }

        private Proto bytes(int field, byte[] b) {
            raw((field << 3) | 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
