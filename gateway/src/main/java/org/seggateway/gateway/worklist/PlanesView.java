package org.seggateway.gateway.worklist;

import java.util.Map;

/**
 * What the detail view needs to page through a series' latest result on three planes.
 *
 * @param planes by {@link Plane#label()}: how many slices, and the one to show first (the middle of the labelled ones)
 * @param ct     whether the series is CT (then pictures are windowed in HU; by default {@link #DEFAULT_WINDOW} at
 *               {@link #DEFAULT_LEVEL})
 */
public record PlanesView(boolean ct, Map<String, PlaneExtent> planes) {
    public static final int DEFAULT_WINDOW = 400, DEFAULT_LEVEL = 40;

    public record PlaneExtent(int count, int initial) {
    }
}
