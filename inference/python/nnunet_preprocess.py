#!/usr/bin/env python3
"""nnU-Net v2's image preprocessing re-implemented from its documented rules on skimage and scipy, to check
the Java engine's `nnunet` (and `cubic`) resampling, docs/model-package.md "The arithmetic", step 2.

nnU-Net (nnunetv2/preprocessing/resampling/default_resampling.py, DefaultPreprocessor):
- the image is normalised first, then resampled;
- new shape = round(spacing / target_spacing * shape) per axis (Python's round);
- "separate z" when the source spacing is anisotropic (max / min > 3), else when the target spacing is;
  the low-resolution axis is the one with the largest spacing of the deciding spacing, and there is no
  separate z when two or three axes share it;
- without separate z: skimage.transform.resize(image, new_shape, order=3, mode="edge",
  anti_aliasing=False) on the whole volume; with it: the same resize in 2-D on every slice across the
  low-resolution axis, then order 0 along that axis with scipy.ndimage.map_coordinates(mode="nearest")
  at coordinates (n_in / n_out) (i + 0.5) - 0.5;
- nothing at all when the shape does not change.

`cubic` is skimage.transform.resize(order=3, mode="edge") on the whole volume after our rounding rule,
normalised after resampling. `antialias` passes anti_aliasing=True to every resize (skimage's Gaussian,
sigma = max(0, (n_in / n_out - 1) / 2), mode "nearest", truncate 4).

Input: float32 .npy [z, y, x] already in the model's orientation; output float32 .npy of the model grid
(no padding).
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
from scipy.ndimage import map_coordinates
from skimage.transform import resize

ANISOTROPY_THRESHOLD = 3


def normalise(image, normalization):
    kind = normalization["kind"]
    if kind == "ct-zscore":
        lo, hi = normalization["clip"]
        return (np.clip(image, lo, hi) - normalization["mean"]) / normalization["std"]
    if kind == "ct-percentile-zscore":  # nnU-Net's CTNormalization
        lo, hi = normalization["percentile_00_5"], normalization["percentile_99_5"]
        return (np.clip(image, lo, hi) - normalization["mean"]) / max(normalization["std"], 1e-8)
    if kind == "ct-window":
        lo, hi = normalization["window"]
        return (np.clip(image, lo, hi) - lo) / (hi - lo)
    if kind == "mr-zscore":
        foreground = image[image > normalization.get("foregroundThreshold", 0)].astype(np.float64)
        if foreground.size == 0:
            return image
        std = foreground.std()
        return (image - foreground.mean()) / (std if std > 0 else 1.0)
    if kind == "none":
        return image
    raise ValueError(f"normalization.kind: unknown {kind!r}")


def low_resolution_axis(current_spacing, new_spacing):
    """The separate-z axis by nnU-Net's rule, or None."""
    for spacing in (current_spacing, new_spacing):
        spacing = np.asarray(spacing, dtype=np.float64)
        if spacing.max() / spacing.min() > ANISOTROPY_THRESHOLD:
            axes = np.flatnonzero(spacing.max() / spacing == 1)
            return int(axes[0]) if len(axes) == 1 else None
    return None


def resize_nnunet(image, new_shape, current_spacing, new_spacing, antialias):
    shape = np.array(image.shape)
    new_shape = np.array(new_shape)
    if np.all(shape == new_shape):
        return image
    image = image.astype(np.float64)
    axis = low_resolution_axis(current_spacing, new_spacing)
    if axis is None:
        return resize(image, tuple(new_shape), order=3, mode="edge", anti_aliasing=antialias)
    in_plane = tuple(int(n) for a, n in enumerate(new_shape) if a != axis)
    slices = []
    for s in range(shape[axis]):
        plane = np.take(image, s, axis=axis)
        slices.append(resize(plane, in_plane, order=3, mode="edge", anti_aliasing=antialias))
    stacked = np.stack(slices, axis=axis)
    if shape[axis] == new_shape[axis]:
        return stacked
    scale = [stacked.shape[a] / new_shape[a] for a in range(3)]
    grid = np.meshgrid(*[scale[a] * (np.arange(new_shape[a]) + 0.5) - 0.5 for a in range(3)], indexing="ij")
    return map_coordinates(stacked, np.array(grid), order=0, mode="nearest")


def prepare(manifest, image, spacing):
    """The model grid (float32 [z, y, x]) of `image` (float32 [z, y, x], model orientation, spacing z, y, x)."""
    resampling = manifest.get("resampling", {})
    method = resampling.get("image", "linear")
    antialias = bool(resampling.get("antialias", False))
    normalization = manifest["normalization"]
    if isinstance(normalization, list):
        normalization = normalization[0]
    shape = image.shape
    if "targetShape" in manifest:
        new_shape = tuple(manifest["targetShape"])
        new_spacing = [s * n / m for s, n, m in zip(spacing, shape, new_shape)]
    elif manifest["targetSpacing"] == "native":
        new_shape, new_spacing = shape, list(spacing)
    else:
        new_spacing = manifest["targetSpacing"]
        if method == "nnunet":
            new_shape = tuple(max(1, int(round(s / t * n))) for s, t, n in zip(spacing, new_spacing, shape))
        else:
            new_shape = tuple(max(1, int(math.floor(n * s / t + 0.5))) for s, t, n in zip(spacing, new_spacing, shape))
    if method == "nnunet":
        image = normalise(image.astype(np.float32), normalization).astype(np.float32)
        return resize_nnunet(image, new_shape, spacing, new_spacing, antialias).astype(np.float32)
    if method == "cubic":
        out = image if tuple(new_shape) == tuple(shape) else \
            resize(image.astype(np.float64), new_shape, order=3, mode="edge", anti_aliasing=antialias)
        return normalise(out, normalization).astype(np.float32)
    raise ValueError(f"resampling.image {method!r}: this script covers 'nnunet' and 'cubic'")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model package folder (model.json)")
    parser.add_argument("--input", required=True, help="float32 .npy [z, y, x] in the model's orientation")
    parser.add_argument("--spacing", required=True, type=float, nargs=3, metavar=("SZ", "SY", "SX"))
    parser.add_argument("--out", required=True, help="float32 .npy [z, y, x]: the normalised model grid")
    args = parser.parse_args(argv)
    with open(Path(args.model) / "model.json") as f:
        manifest = json.load(f)
    image = np.load(args.input)
    np.save(args.out, np.ascontiguousarray(prepare(manifest, image, args.spacing)))


if __name__ == "__main__":
    main()
