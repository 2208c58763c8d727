package org.seggateway.inference.model;

/** What the network's output channels are. */
public enum OutputKind {
    /** Logits, one channel per class, channel 0 = background: softmax then argmax. */
    SOFTMAX,
    /** One logit per label value 1..n: sigmoid, then the most probable channel above 0.5. */
    SIGMOID
}
