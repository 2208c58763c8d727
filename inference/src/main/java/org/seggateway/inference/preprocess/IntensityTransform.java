package org.seggateway.inference.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.seggateway.inference.model.Normalization;

/**
 * One input channel's normalisation resolved for one volume: every kind is a clip to [lo, hi] followed by
 * {@code (v - shift) / divisor}, computed in float32. The sliding window applies it to the padded model
 * grid while it gathers a window, so the grid is stored once however many channels the model takes.
 */
public record IntensityTransform(float lo, float hi, float shift, float divisor) {

    public static final IntensityTransform IDENTITY =
            new IntensityTransform(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, 1f);

    public float apply(float v) {
        return (Math.min(Math.max(v, lo), hi) - shift) / divisor;
    }

    /** The transforms of every input channel; per-volume statistics (mr-zscore) come from the model grid of {@code grid}. */
    public static List<IntensityTransform> perChannel(List<Normalization> normalizations, PreparedVolume grid) {
        List<IntensityTransform> list = new ArrayList<>();
        for (Normalization n : normalizations) list.add(of(n, grid));
        return list;
    }

    static IntensityTransform of(Normalization n, PreparedVolume grid) {
        return switch (n) {
            case Normalization.CtZScore c -> new IntensityTransform((float) c.lo(), (float) c.hi(), (float) c.mean(), (float) c.std());
            case Normalization.CtWindow w -> new IntensityTransform((float) w.lo(), (float) w.hi(), (float) w.lo(), (float) (w.hi() - w.lo()));
            case Normalization.CtPercentileZScore c ->
                    new IntensityTransform((float) c.lo(), (float) c.hi(), (float) c.mean(), (float) c.divisor());
            case Normalization.MrZScore m -> {
                double[] stats = foregroundStats(grid, m.foregroundThreshold());
                yield new IntensityTransform(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, (float) stats[0], (float) stats[1]);
            }
            case Normalization.None none -> IDENTITY;
        };
    }

    /** Mean and population std of the model-grid voxels above the threshold (mean 0 if there are none; std 1 if 0). */
    static double[] foregroundStats(PreparedVolume grid, double threshold) {
        float[] v = grid.data();
        int[] model = grid.modelSize(), before = grid.padBefore(), margin = grid.margin();
        int dx = grid.dataSize(0), dy = grid.dataSize(1);
        double count = 0, sum = 0, squares = 0;
        for (int z = 0; z < model[2]; z++)
            for (int y = 0; y < model[1]; y++) {
                int row = ((z + before[2] + margin[2]) * dy + y + before[1] + margin[1]) * dx + before[0] + margin[0];
                for (int x = 0; x < model[0]; x++) {
                    double value = v[row + x];
                    if (value > threshold) {
                        count++;
                        sum += value;
                        squares += value * value;
                    }
                }
            }
        if (count == 0) return new double[] {0, 1};
        double mean = sum / count;
        double std = Math.sqrt(Math.max(0, squares / count - mean * mean));
        return new double[] {mean, std > 0 ? std : 1};
    }
}
