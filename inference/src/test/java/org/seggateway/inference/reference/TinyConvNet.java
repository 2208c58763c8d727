package org.seggateway.inference.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward pass of a test model (make_test_models.py) in plain double-precision loops, from the JSON
 * weights written next to the ONNX file: 3D convolutions (cross-correlation, zero padding) with bias and
 * optional ReLU. Arrays are [channel][z][y][x] flattened x fastest.
 */
public final class TinyConvNet {

    record Layer(int out, int in, int k, double[] weight, double[] bias, int pad, boolean relu) {}

    private final List<Layer> layers;

    private TinyConvNet(List<Layer> layers) {
        this.layers = layers;
    }

    public static TinyConvNet load(String modelName) throws IOException {
        try (InputStream in = TinyConvNet.class.getResourceAsStream("/models/" + modelName + ".weights.json")) {
            if (in == null) throw new IOException("no weights fixture for " + modelName);
            JsonNode root = new ObjectMapper().readTree(in);
            List<Layer> layers = new ArrayList<>();
            for (JsonNode l : root.get("layers")) {
                JsonNode shape = l.get("shape");
                double[] w = new double[l.get("weight").size()];
                for (int i = 0; i < w.length; i++) w[i] = l.get("weight").get(i).asDouble();
                double[] b = new double[l.get("bias").size()];
                for (int i = 0; i < b.length; i++) b[i] = l.get("bias").get(i).asDouble();
                layers.add(new Layer(shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt(), w, b,
                        l.get("pad").asInt(), l.get("relu").asBoolean()));
            }
            return new TinyConvNet(layers);
        }
    }

    /** Output size along an axis for an input of {@code n}. */
    public int outputLength(int n) {
        for (Layer l : layers) n = n + 2 * l.pad - l.k + 1;
        return n;
    }

    /** @param dims x, y, z of the single input channel; returns [channel][voxel] logits. */
    public double[][] forward(double[] input, int[] dims) {
        return forward(new double[][] {input}, dims);
    }

    /** @param input [channel][voxel]; dims x, y, z of each channel; returns [channel][voxel] logits. */
    public double[][] forward(double[][] input, int[] dims) {
        if (input.length != layers.getFirst().in)
            throw new IllegalArgumentException("the network takes " + layers.getFirst().in + " input channels, got " + input.length);
        double[][] x = input;
        int[] d = dims.clone();
        for (Layer l : layers) {
            int[] o = {d[0] + 2 * l.pad - l.k + 1, d[1] + 2 * l.pad - l.k + 1, d[2] + 2 * l.pad - l.k + 1};
            double[][] y = new double[l.out][o[0] * o[1] * o[2]];
            for (int co = 0; co < l.out; co++)
                for (int z = 0; z < o[2]; z++)
                    for (int yy = 0; yy < o[1]; yy++)
                        for (int xx = 0; xx < o[0]; xx++) {
                            double s = l.bias[co];
                            for (int ci = 0; ci < l.in; ci++)
                                for (int kz = 0; kz < l.k; kz++)
                                    for (int ky = 0; ky < l.k; ky++)
                                        for (int kx = 0; kx < l.k; kx++) {
                                            int iz = z + kz - l.pad, iy = yy + ky - l.pad, ix = xx + kx - l.pad;
                                            if (iz < 0 || iy < 0 || ix < 0 || iz >= d[2] || iy >= d[1] || ix >= d[0]) continue;
                                            double w = l.weight[(((co * l.in + ci) * l.k + kz) * l.k + ky) * l.k + kx];
                                            s += w * x[ci][(iz * d[1] + iy) * d[0] + ix];
                                        }
                            y[co][(z * o[1] + yy) * o[0] + xx] = l.relu ? Math.max(0, s) : s;
                        }
            x = y;
            d = o;
        }
        return x;
    }
}
