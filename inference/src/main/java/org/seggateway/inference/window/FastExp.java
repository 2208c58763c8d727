package org.seggateway.inference.window;

/**
 * {@code e^x} in float32 arithmetic only (no calls, no branches), so that loops over it vectorise:
 * x = n ln2 + r with n the nearest integer (by the 1.5 x 2^23 rounding trick) and |r| <= ln2 / 2,
 * e^r by a degree-6 Taylor polynomial (truncation error below 1.5e-7 relative), 2^n by building the
 * exponent bits. Inputs below -87 give e^-87 (about 1.6e-38) instead of denormals or 0; the engine only
 * feeds it values <= 0 (softmax) or logits (sigmoid), where that is far below float resolution of the result.
 */
final class FastExp {
    private FastExp() {}

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f, LN2_LO = 1.42860682030941723212e-6f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23

    static float exp(float x) {
        x = Math.min(Math.max(x, -87f), 88f);
        float n = (x * LOG2E + ROUND) - ROUND;
        float r = x - n * LN2_HI - n * LN2_LO;
        float p = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
