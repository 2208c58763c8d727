package org.seggateway.dicomio.synthetic;

/**
 * A CT-like phantom defined in patient coordinates (mm), so that any slice geometry samples the same
 * anatomy: air, an elliptic-cylinder body along the patient z axis, a "liver" sphere and a "lesion"
 * sphere inside it. {@link #labelAt} is the ground truth for segmentation tests.
 */
public record Phantom(double[] liverCentre, double liverRadius, double[] lesionCentre, double lesionRadius,
                      double bodySemiAxisX, double bodySemiAxisY) {

    public static final int BACKGROUND = 0, LIVER = 1, LESION = 2;

    /** The default phantom, centred on the patient origin. */
    public static Phantom standard() {
        return new Phantom(new double[] {-40, 10, 0}, 45, new double[] {-25, 10, 8}, 11, 150, 110);
    }

    public int labelAt(double x, double y, double z) {
        if (inSphere(lesionCentre, lesionRadius, x, y, z)) return LESION;
        if (inSphere(liverCentre, liverRadius, x, y, z)) return LIVER;
        return BACKGROUND;
    }

    public boolean inBody(double x, double y) {
        double dx = x / bodySemiAxisX, dy = y / bodySemiAxisY;
        return dx * dx + dy * dy <= 1.0;
    }

    /** Noise-free CT number (HU) at a point. */
    public double houndsfieldAt(double x, double y, double z) {
        return switch (labelAt(x, y, z)) {
            case LESION -> 200;
            case LIVER -> 110;
            default -> inBody(x, y) ? 40 : -1000;
        };
    }

    private static boolean inSphere(double[] c, double r, double x, double y, double z) {
        double dx = x - c[0], dy = y - c[1], dz = z - c[2];
        return dx * dx + dy * dy + dz * dz <= r * r;
    }
}
