package org.seggateway.inference.window;

/** Called from the blending thread after each window has been accumulated. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void windowsDone(int done, int total);
}
