package org.seggateway.gateway.worklist;

import java.util.Arrays;
import java.util.Locale;

/**
 * The three planes the detail view draws through a series' voxel grid. {@code axial} is the plane of the images (one
 * per slice), {@code coronal} a row of every image, {@code sagittal} a column of every image: the anatomical planes for
 * an axially acquired series, the acquisition's own planes otherwise.
 */
public enum Plane {
    AXIAL, CORONAL, SAGITTAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Plane ofLabel(String label) {
        for (Plane p : values()) if (p.label().equals(label)) return p;
        throw new IllegalArgumentException("unknown plane '" + label + "'; one of "
                + Arrays.stream(values()).map(Plane::label).toList());
    }
}
