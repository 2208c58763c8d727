package org.seggateway.dicomio.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Assembles a series of DICOM images (single-frame, or enhanced multi-frame CT/MR) into a {@link Volume}.
 *
 * <p>Slices are sorted by Image Position (Patient) projected on the normal (row x column direction);
 * the origin is the first slice's position, the z spacing the real distance between positions (never Slice
 * Thickness). What is repaired with a warning (in {@link Volume#warnings()}, naming the series) and what
 * is refused with a {@link VolumeException}:
 * <ul>
 * <li>The same instance (and frame) found twice, e.g. in two sub-folders: extra copies ignored, warning.
 * <li>Localizers (Image Type or Frame Type value 3 LOCALIZER) and the few images whose orientation differs
 *     from the majority (at most max(3, 10%) of the images, and less than half the majority): dropped,
 *     warning. More differently oriented images than that: error (mixed orientations).
 * <li>Images kept for the volume (localizers and orientation outliers already dropped) in more than one Frame of
 *     Reference: error naming each Frame of Reference UID and its image count. A scout in another Frame of
 *     Reference is dropped as a localizer and does not refuse the series.
 * <li>Different Rows/Columns or Pixel Spacing: error (mixed sizes).
 * <li>Two images at the same position along the normal (within 0.01 mm):
 *     error, the series holds several phases, echoes or acquisitions.
 * <li>Gantry tilt / sheared stack: error when a slice's position lies more than half a pixel
 *     (0.5 x the smaller pixel spacing) off the line through the first slice along
 *     the normal. The volume grid is orthogonal, such a stack would be misplaced.
 * <li>Slice spacing: the step is the median distance between neighbours; a gap of k steps means k-1 missing
 *     slices, which are filled by linear interpolation with a warning naming the gap, if at most
 *     4 in a row (else error). Every slice must then lie within
 *     10% of the spacing of its grid plane, else error (non-uniform spacing).
 * <li>More interpolated slices than {@link VolumeLimits#maxInterpolatedFraction()} of the depth: error.
 * <li>A grid above {@link VolumeLimits#maxVoxels()} or {@link VolumeLimits#maxBytes()}: error, decided from the
 *     headers before any pixel data is read or any voxel array allocated.
 * <li>A single slice: a volume of depth 1 with a warning; its z spacing is Slice Thickness (1 mm if absent).
 * </ul>
 *
 * <p>Transfer syntaxes: Implicit/Explicit VR Little Endian and Explicit VR Big Endian are read directly;
 * Deflated, RLE Lossless, JPEG Baseline, JPEG Extended (8-bit only) and JPEG Lossless (process 14 and
 * SV1, with pixelmed-imageio on the class path) are decoded by the toolkit; JPEG-LS, JPEG 2000 and
 * 12-bit JPEG Extended give a {@link VolumeException} naming the transfer syntax.
 *
 * <p>Voxels are modality values: each slice's stored values times its Rescale Slope plus its Rescale
 * Intercept (Pixel Value Transformation for enhanced images). The voxel type follows {@link VoxelType}:
 * INT16 when every slope and intercept is an integer and all values fit, else UINT16 likewise, else FLOAT32.
 * Interpolated slices have {@link SliceSource#interpolated()} as their source.
 *
 * <p>Memory: pixels are read file by file (frame by frame) straight into one 16-bit array of the final
 * size, and rescaled in place; only a FLOAT32 result needs a second array (4 bytes per voxel) for a moment.
 */
public final class VolumeReader {

    private VolumeReader() {}

    /** One series of a folder: its volume, or why it could not be assembled. */
    public record Result(String seriesInstanceUid, Volume volume, VolumeException error) {
        public boolean ok() {
            return volume != null;
        }
    }

    /** Every image series in a folder tree; folder-level warnings are in {@code scan.warnings()}. */
    public static List<Result> readFolder(FolderScan scan) throws IOException {
        List<Result> results = new ArrayList<>();
        for (SeriesFiles series : scan.series()) {
            try {
                results.add(new Result(series.seriesInstanceUid(), read(series), null));
            } catch (VolumeException e) {
                results.add(new Result(series.seriesInstanceUid(), null, e));
            }
        }
        return results;
    }

    /** The one image series in a folder tree; an error if there is none or more than one. */
    public static Volume readSingleSeries(Path directory) throws IOException, VolumeException {
        FolderScan scan = DicomFolderScanner.scan(directory);
        if (scan.series().size() != 1)
            throw new IOException(directory + " holds " + scan.series().size() + " image series, one expected");
        return read(scan.series().getFirst());
    }

    /**
     * The grid, slice order and header that {@link #read(SeriesFiles)} would give, from the headers alone
     * (no pixel data is read): what a SEG needs to be placed on a volume read earlier from the same files.
     */
    public static VolumeLayout layout(SeriesFiles series) throws VolumeException {
        SliceStack stack = arrange(series);
        SliceSource[] sources = new SliceSource[stack.geometry.depth()];
        java.util.Arrays.fill(sources, SliceSource.interpolated());
        for (int i = 0; i < stack.planes.size(); i++) sources[stack.zIndex[i]] = stack.planes.get(i).source();
        FramePlane first = stack.planes.getFirst();
        return new VolumeLayout(series.seriesInstanceUid(), first.frameOfReferenceUid(), stack.geometry, List.of(sources),
                first.instance().header(), stack.warnings);
    }

    private static SliceStack arrange(SeriesFiles series) throws VolumeException {
        String uid = series.seriesInstanceUid();
        List<FramePlane> planes = new ArrayList<>();
        for (InstanceFile instance : series.instances()) planes.addAll(FramePlane.of(instance, uid));
        return SliceStack.arrange(uid, planes);
    }

    /** Threads that decode compressed instances of one series at once (decoding JPEG 2000 is CPU-bound, 50 ms a slice). */
    static final int DECODE_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    private record InstanceRead(InstanceFile instance, PixelReader.Format format, int[] frames, int[] z) {}

    /**
     * Reads every instance's frames into its own slices of {@code voxels} (and of min and max): in this thread when the
     * series is uncompressed (reading is I/O), else on up to {@link #DECODE_THREADS} threads, each with its own decoders.
     */
    private static void readPixels(String uid, List<InstanceRead> reads, short[] voxels, int sliceSize, int[] min, int[] max)
            throws IOException, VolumeException {
        boolean compressed = reads.stream().anyMatch(r -> !PixelReader.isNative(r.format().transferSyntax()));
        int threads = compressed ? Math.min(DECODE_THREADS, reads.size()) : 1;
        if (threads <= 1) {
            PixelReader reader = new PixelReader(uid);
            for (InstanceRead r : reads) reader.read(r.instance(), r.format(), r.frames(), r.z(), voxels, sliceSize, min, max);
            return;
        }
        ThreadLocal<PixelReader> readers = ThreadLocal.withInitial(() -> new PixelReader(uid));
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("decode-", 0).factory());
        try {
            List<Future<?>> pending = new ArrayList<>(reads.size());
            for (InstanceRead r : reads)
                pending.add(pool.submit(() -> {
                    readers.get().read(r.instance(), r.format(), r.frames(), r.z(), voxels, sliceSize, min, max);
                    return null;
                }));
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case VolumeException v -> throw v;
                        case IOException io -> throw io;
                        case RuntimeException re -> throw re;
                        case Error err -> throw err;
                        default -> throw new IllegalStateException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while decoding series " + uid, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The volume of a series within {@link VolumeLimits#DEFAULTS}. */
    public static Volume read(SeriesFiles series) throws IOException, VolumeException {
        return read(series, VolumeLimits.DEFAULTS);
    }

    /** The volume of a series; a {@link VolumeException} before any pixel is read when its headers exceed {@code limits}. */
    public static Volume read(SeriesFiles series, VolumeLimits limits) throws IOException, VolumeException {
        String uid = series.seriesInstanceUid();
        SliceStack stack = arrange(series);
        VolumeGeometry g = stack.geometry;
        limits.checkInterpolation(uid, g.depth(), stack.planes.size());
        limits.checkSize(uid, g, mayNeedFloat(stack.planes));
        int sliceSize = g.sliceSize(), depth = g.depth();

        short[] voxels = new short[(int) g.voxelCount()];
        int[] min = new int[depth], max = new int[depth];
        double[] slope = new double[depth], intercept = new double[depth];
        boolean[] unsigned = new boolean[depth], present = new boolean[depth];
        SliceSource[] sources = new SliceSource[depth];

        // group the kept planes by instance, so that a multi-frame file is opened (or decoded) once
        Map<InstanceFile, List<Integer>> byInstance = new LinkedHashMap<>();
        for (int i = 0; i < stack.planes.size(); i++)
            byInstance.computeIfAbsent(stack.planes.get(i).instance(), k -> new ArrayList<>()).add(i);
        List<InstanceRead> reads = new ArrayList<>(byInstance.size());
        for (Map.Entry<InstanceFile, List<Integer>> e : byInstance.entrySet()) {
            PixelReader.Format format = PixelReader.Format.of(uid, e.getKey());
            List<Integer> indices = e.getValue();
            int[] frames = new int[indices.size()], z = new int[indices.size()];
            for (int j = 0; j < indices.size(); j++) {
                FramePlane p = stack.planes.get(indices.get(j));
                int zi = stack.zIndex[indices.get(j)];
                frames[j] = p.frameNumber();
                z[j] = zi;
                slope[zi] = p.rescaleSlope();
                intercept[zi] = p.rescaleIntercept();
                unsigned[zi] = !format.signed();
                present[zi] = true;
                sources[zi] = p.source();
            }
            reads.add(new InstanceRead(e.getKey(), format, frames, z));
        }
        readPixels(uid, reads, voxels, sliceSize, min, max);

        VoxelType type = voxelType(slope, intercept, min, max, present);
        List<String> warnings = new ArrayList<>(stack.warnings);
        float[] floats = null;
        if (type == VoxelType.FLOAT32) {
            floats = new float[voxels.length];
            for (int z = 0; z < depth; z++) if (present[z]) toFloat(voxels, floats, z * sliceSize, sliceSize, slope[z], intercept[z], unsigned[z]);
            voxels = null;
        } else {
            for (int z = 0; z < depth; z++)
                if (present[z]) rescaleInPlace(voxels, z * sliceSize, sliceSize, (int) slope[z], (int) intercept[z], unsigned[z]);
        }
        for (int z = 0; z < depth; z++) {
            if (present[z]) continue;
            int before = z - 1, after = z + 1;
            while (!present[before]) before--;
            while (!present[after]) after++;
            interpolate(type, voxels, floats, sliceSize, before, z, after);
            sources[z] = SliceSource.interpolated();
        }

        FramePlane first = stack.planes.getFirst();
        return new Volume(uid, first.frameOfReferenceUid(), g, List.of(sources), first.instance().header(), type,
                voxels, floats, warnings);
    }

    /**
     * Whether the values may end up FLOAT32 ({@link #voxelType}), judged from the headers: a non-integer rescale,
     * or a rescaled range of the stored bits that fits neither INT16 nor UINT16.
     */
    static boolean mayNeedFloat(List<FramePlane> planes) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (FramePlane p : planes) {
            double slope = p.rescaleSlope(), intercept = p.rescaleIntercept();
            if (slope != Math.rint(slope) || intercept != Math.rint(intercept)) return true;
            AttributeList l = p.instance().header().attributeList();
            int allocated = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 16);
            int bits = Math.clamp(Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsStored,
                    allocated), 1, 16);
            boolean signed = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.PixelRepresentation, 0) == 1;
            double storedLo = signed ? -(1 << (bits - 1)) : 0, storedHi = signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
            double a = storedLo * slope + intercept, b = storedHi * slope + intercept;
            lo = Math.min(lo, Math.min(a, b));
            hi = Math.max(hi, Math.max(a, b));
        }
        boolean int16 = lo >= Short.MIN_VALUE && hi <= Short.MAX_VALUE, uint16 = lo >= 0 && hi <= 0xFFFF;
        return !int16 && !uint16;
    }

    static VoxelType voxelType(double[] slope, double[] intercept, int[] min, int[] max, boolean[] present) {
        boolean integral = true;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int z = 0; z < slope.length; z++) {
            if (!present[z]) continue;
            integral &= slope[z] == Math.rint(slope[z]) && intercept[z] == Math.rint(intercept[z]);
            double a = min[z] * slope[z] + intercept[z], b = max[z] * slope[z] + intercept[z];
            lo = Math.min(lo, Math.min(a, b));
            hi = Math.max(hi, Math.max(a, b));
        }
        if (integral && lo >= Short.MIN_VALUE && hi <= Short.MAX_VALUE) return VoxelType.INT16;
        if (integral && lo >= 0 && hi <= 0xFFFF) return VoxelType.UINT16;
        return VoxelType.FLOAT32;
    }

    private static void rescaleInPlace(short[] v, int offset, int length, int slope, int intercept, boolean unsigned) {
        if (slope == 1 && intercept == 0) return; // the 16-bit pattern is already the value
        for (int p = offset; p < offset + length; p++) {
            int stored = unsigned ? v[p] & 0xFFFF : v[p];
            v[p] = (short) (stored * slope + intercept);
        }
    }

    private static void toFloat(short[] v, float[] out, int offset, int length, double slope, double intercept, boolean unsigned) {
        for (int p = offset; p < offset + length; p++)
            out[p] = (float) ((unsigned ? v[p] & 0xFFFF : v[p]) * slope + intercept);
    }

    /** Fills missing slice z linearly from the nearest present slices {@code before} and {@code after}. */
    private static void interpolate(VoxelType type, short[] v, float[] f, int sliceSize, int before, int z, int after) {
        double w = (double) (z - before) / (after - before);
        int a = before * sliceSize, b = after * sliceSize, o = z * sliceSize;
        for (int p = 0; p < sliceSize; p++) {
            switch (type) {
                case INT16 -> v[o + p] = (short) Math.round((1 - w) * v[a + p] + w * v[b + p]);
                case UINT16 -> v[o + p] = (short) Math.round((1 - w) * (v[a + p] & 0xFFFF) + w * (v[b + p] & 0xFFFF));
                case FLOAT32 -> f[o + p] = (float) ((1 - w) * f[a + p] + w * f[b + p]);
            }
        }
    }
}
