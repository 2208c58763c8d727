package org.seggateway.inference.model;

/** Weighting of overlapping windows: nnU-Net's Gaussian importance map, or equal weights. */
public enum Blending { GAUSSIAN, CONSTANT }
