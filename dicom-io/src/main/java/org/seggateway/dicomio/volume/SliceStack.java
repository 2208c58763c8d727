package org.seggateway.dicomio.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Arranges the image planes of one series on a regular voxel grid and checks that they form one; the
 * rules (and their tolerances, the constants below) are listed on {@link VolumeReader}.
 */
final class SliceStack {
    static final double ORIENTATION_TOLERANCE = 1e-3;
    static final double DUPLICATE_TOLERANCE_MM = 0.01;
    static final double GRID_TOLERANCE = 0.1;
    static final double TILT_TOLERANCE = 0.5;
    static final int MAX_INTERPOLATED_GAP = 4;

    /** The kept planes in increasing position along the normal. */
    final List<FramePlane> planes;
    /** The z index of each kept plane; indices in between are missing slices. */
    final int[] zIndex;
    final VolumeGeometry geometry;
    final List<String> warnings;

    private SliceStack(List<FramePlane> planes, int[] zIndex, VolumeGeometry geometry, List<String> warnings) {
        this.planes = planes;
        this.zIndex = zIndex;
        this.geometry = geometry;
        this.warnings = warnings;
    }

    static SliceStack arrange(String seriesUid, List<FramePlane> all) throws VolumeException {
        List<String> warnings = new ArrayList<>();
        List<FramePlane> planes = withoutCopies(seriesUid, all, warnings);
        planes = withoutLocalizers(seriesUid, planes, warnings);
        checkOneFrameOfReference(seriesUid, planes);
        checkSameSize(seriesUid, planes);

        FramePlane first = planes.getFirst();
        double[] row = unit(Arrays.copyOfRange(first.orientation(), 0, 3));
        double[] column = unit(Arrays.copyOfRange(first.orientation(), 3, 6));
        if (Math.abs(dot(row, column)) > ORIENTATION_TOLERANCE)
            throw new VolumeException(seriesUid, "Image Orientation (Patient) " + Arrays.toString(first.orientation())
                    + " is not orthogonal (" + first.describe() + ")");
        double[] normal = cross(row, column);

        planes = new ArrayList<>(planes);
        planes.sort(Comparator.comparingDouble(p -> dot(p.position(), normal)));
        double[] along = planes.stream().mapToDouble(p -> dot(p.position(), normal)).toArray();
        checkNoDuplicatePositions(seriesUid, planes, along);
        checkNoTilt(seriesUid, planes, normal, along);

        int[] zIndex = new int[planes.size()];
        double step;
        if (planes.size() == 1) {
            step = first.sliceThickness() > 0 ? first.sliceThickness() : 1.0;
            warnings.add(warning(seriesUid, "a single slice; z spacing set to "
                    + (first.sliceThickness() > 0 ? "its Slice Thickness, " : "a default of ") + fmt(step) + " mm"));
        } else {
            step = regularSteps(seriesUid, along, zIndex, warnings);
        }

        double[] direction = new double[9];
        for (int r = 0; r < 3; r++) {
            direction[3 * r] = row[r];
            direction[3 * r + 1] = column[r];
            direction[3 * r + 2] = normal[r];
        }
        VolumeGeometry geometry = new VolumeGeometry(first.columns(), first.rows(), zIndex[zIndex.length - 1] + 1,
                new double[] {first.columnSpacing(), first.rowSpacing(), step}, planes.getFirst().position(), direction);
        return new SliceStack(List.copyOf(planes), zIndex, geometry, List.copyOf(warnings));
    }

    private static List<FramePlane> withoutCopies(String seriesUid, List<FramePlane> all, List<String> warnings)
            throws VolumeException {
        if (all.isEmpty()) throw new VolumeException(seriesUid, "no images");
        Map<String, FramePlane> unique = new LinkedHashMap<>();
        for (FramePlane p : all) unique.putIfAbsent(p.instance().sopInstanceUid() + "#" + p.frameNumber(), p);
        if (unique.size() < all.size())
            warnings.add(warning(seriesUid, (all.size() - unique.size())
                    + " image(s) found more than once (same SOP Instance UID), extra copies ignored"));
        return new ArrayList<>(unique.values());
    }

    private static List<FramePlane> withoutLocalizers(String seriesUid, List<FramePlane> planes, List<String> warnings)
            throws VolumeException {
        List<FramePlane> localizers = planes.stream().filter(FramePlane::localizer).toList();
        List<FramePlane> rest = planes.stream().filter(p -> !p.localizer()).toList();
        if (!localizers.isEmpty())
            warnings.add(warning(seriesUid, "dropped " + localizers.size() + " localizer image(s) (Image Type LOCALIZER), e.g. "
                    + localizers.getFirst().describe()));
        if (rest.isEmpty()) throw new VolumeException(seriesUid, "only localizer images, nothing to stack");

        List<List<FramePlane>> byOrientation = new ArrayList<>();
        for (FramePlane p : rest) {
            List<FramePlane> group = byOrientation.stream()
                    .filter(g -> sameOrientation(g.getFirst().orientation(), p.orientation())).findFirst().orElse(null);
            if (group == null) byOrientation.add(group = new ArrayList<>());
            group.add(p);
        }
        if (byOrientation.size() == 1) return rest;
        byOrientation.sort(Comparator.comparingInt(g -> -g.size()));
        List<FramePlane> majority = byOrientation.getFirst();
        int others = rest.size() - majority.size();
        if (others > Math.max(3, rest.size() / 10) || 2 * others >= majority.size()) {
            StringBuilder groups = new StringBuilder();
            for (List<FramePlane> g : byOrientation)
                groups.append(groups.isEmpty() ? "" : ", ").append(g.size()).append(" x ").append(Arrays.toString(g.getFirst().orientation()));
            throw new VolumeException(seriesUid, "mixed image orientations: " + groups);
        }
        warnings.add(warning(seriesUid, "dropped " + others + " image(s) whose orientation differs from the other "
                + majority.size() + " (taken for localizers), e.g. " + byOrientation.get(1).getFirst().describe()));
        return majority;
    }

    /**
     * The images kept for the volume must share one Frame of Reference UID (a missing one counts as a value of its
     * own): a volume, and the SEG placed on it, has one patient coordinate system, and positions in two Frames of
     * Reference cannot be compared. Images already dropped above (localizers, the few differently oriented ones)
     * are not judged: a scout in another Frame of Reference never enters the volume, so it does not refuse it.
     */
    private static void checkOneFrameOfReference(String seriesUid, List<FramePlane> planes) throws VolumeException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (FramePlane p : planes) counts.merge(p.frameOfReferenceUid().isBlank() ? "(none)" : p.frameOfReferenceUid(), 1, Integer::sum);
        if (counts.size() > 1) {
            StringBuilder s = new StringBuilder();
            counts.forEach((uid, count) -> s.append(s.isEmpty() ? "" : ", ").append(count).append(" image(s) in ").append(uid));
            throw new VolumeException(seriesUid, "images of " + counts.size() + " Frames of Reference in one series: " + s
                    + "; one volume needs one Frame of Reference (send each acquisition as a series of its own)");
        }
    }

    private static void checkSameSize(String seriesUid, List<FramePlane> planes) throws VolumeException {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (FramePlane p : planes)
            sizes.merge(p.columns() + "x" + p.rows() + " pixels of " + fmt(p.columnSpacing()) + "x" + fmt(p.rowSpacing()) + " mm",
                    1, Integer::sum);
        if (sizes.size() > 1) {
            StringBuilder s = new StringBuilder();
            sizes.forEach((size, count) -> s.append(s.isEmpty() ? "" : ", ").append(count).append(" image(s) of ").append(size));
            throw new VolumeException(seriesUid, "mixed image sizes or pixel spacings: " + s);
        }
    }

    private static void checkNoDuplicatePositions(String seriesUid, List<FramePlane> planes, double[] along)
            throws VolumeException {
        int duplicates = 0, example = -1;
        for (int i = 1; i < along.length; i++) {
            if (along[i] - along[i - 1] < DUPLICATE_TOLERANCE_MM) {
                duplicates++;
                if (example < 0) example = i;
            }
        }
        if (duplicates > 0)
            throw new VolumeException(seriesUid, duplicates + " image(s) share their position with another (several phases, "
                    + "echoes or acquisitions in one series?), e.g. " + planes.get(example - 1).describe() + " and "
                    + planes.get(example).describe() + " at " + fmt(along[example]) + " mm along the normal");
    }

    private static void checkNoTilt(String seriesUid, List<FramePlane> planes, double[] normal, double[] along)
            throws VolumeException {
        double[] origin = planes.getFirst().position();
        double tolerance = TILT_TOLERANCE * Math.min(planes.getFirst().rowSpacing(), planes.getFirst().columnSpacing());
        double worst = 0;
        int worstIndex = 0;
        for (int i = 1; i < planes.size(); i++) {
            double[] d = minus(planes.get(i).position(), origin);
            double offNormal = norm(minus(d, scale(normal, dot(d, normal))));
            if (offNormal > worst) {
                worst = offNormal;
                worstIndex = i;
            }
        }
        if (worst > tolerance) {
            double angle = Math.toDegrees(Math.atan2(worst, along[worstIndex] - along[0]));
            throw new VolumeException(seriesUid, "slice positions are not along the slice normal (gantry tilt or sheared stack): "
                    + planes.get(worstIndex).describe() + " lies " + fmt(worst) + " mm off it, about " + fmt(angle)
                    + " degrees; tolerance " + fmt(tolerance) + " mm");
        }
    }

    /** Fills zIndex with each plane's grid index and returns the slice spacing. */
    private static double regularSteps(String seriesUid, double[] along, int[] zIndex, List<String> warnings)
            throws VolumeException {
        double[] steps = new double[along.length - 1];
        for (int i = 1; i < along.length; i++) steps[i - 1] = along[i] - along[i - 1];
        double[] sorted = steps.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        for (int i = 1; i < along.length; i++) {
            long k = Math.round(steps[i - 1] / median);
            if (k < 1)
                throw new VolumeException(seriesUid, "non-uniform slice spacing: step of " + fmt(steps[i - 1])
                        + " mm where most are " + fmt(median) + " mm");
            if (k - 1 > MAX_INTERPOLATED_GAP)
                throw new VolumeException(seriesUid, "gap of " + fmt(steps[i - 1]) + " mm between slices at "
                        + fmt(along[i - 1]) + " and " + fmt(along[i]) + " mm along the normal: about " + (k - 1)
                        + " slices missing, more than the " + MAX_INTERPOLATED_GAP + " that are interpolated");
            zIndex[i] = zIndex[i - 1] + (int) k;
            if (k > 1)
                warnings.add(warning(seriesUid, (k - 1) + " slice(s) missing: gap of " + fmt(steps[i - 1]) + " mm between "
                        + fmt(along[i - 1]) + " and " + fmt(along[i]) + " mm along the normal where the spacing is "
                        + fmt(median) + " mm; filled by linear interpolation"));
        }
        double spacing = (along[along.length - 1] - along[0]) / zIndex[zIndex.length - 1];
        double tolerance = GRID_TOLERANCE * spacing;
        for (int i = 0; i < along.length; i++) {
            double off = along[i] - (along[0] + zIndex[i] * spacing);
            if (Math.abs(off) > tolerance)
                throw new VolumeException(seriesUid, "non-uniform slice spacing: the slice at " + fmt(along[i])
                        + " mm along the normal is " + fmt(off) + " mm off a regular grid of " + fmt(spacing)
                        + " mm (tolerance " + fmt(tolerance) + " mm)");
        }
        return spacing;
    }

    private static boolean sameOrientation(double[] a, double[] b) {
        for (int i = 0; i < 6; i++) if (Math.abs(a[i] - b[i]) > ORIENTATION_TOLERANCE) return false;
        return true;
    }

    static String warning(String seriesUid, String text) {
        return "series " + seriesUid + ": " + text;
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.equals("-0") ? "0" : s;
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] unit(double[] a) {
        return scale(a, 1 / norm(a));
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }
}
