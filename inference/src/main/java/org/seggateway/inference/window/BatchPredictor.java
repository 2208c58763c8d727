package org.seggateway.inference.window;

import java.nio.FloatBuffer;

/** The network: a batch of input patches in, their output logits out. */
public interface BatchPredictor {

    /**
     * @param input {@code count x inputChannels x pz x py x px} floats from position 0 (direct buffer, reused after the call)
     * @return {@code count x channels x oz x oy x ox} logits
     */
    float[] predict(FloatBuffer input, int count) throws Exception;

    /** Windows per {@link #predict} call: the manifest's batchSize unless the network knows better (a GPU's free memory). */
    default int batchSize(int manifestBatch) {
        return manifestBatch;
    }
}
