#!/usr/bin/env python3
"""PyTorch reference of the sliding-window contract in inference/docs/model-package.md, steps 2-9.

The input is already in the model's orientation (step 1 and its undoing are the caller's business).
The network comes from the package's PyTorch weights (model.json "pytorch" object; for an ensemble
"weights" lists one file per member, in the order of "onnx"), so that the Java engine's ONNX run of the
same weights can be compared with it voxel for voxel.
"""
import argparse
import itertools
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unet3d import UNet3D  # noqa: E402


class ManifestError(ValueError):
    pass


def load_manifest(model_dir):
    path = Path(model_dir) / "model.json"
    if not path.is_file():
        raise ManifestError(f"{path}: no model.json")
    with open(path) as f:
        manifest = json.load(f)
    for field in ("patchSize", "normalization", "overlap", "blending", "output", "batchSize"):
        if field not in manifest:
            raise ManifestError(f"{path}: missing field '{field}'")
    if ("targetSpacing" in manifest) == ("targetShape" in manifest):
        raise ManifestError(f"{path}: field 'targetSpacing': give exactly one of targetSpacing and targetShape")
    manifest.setdefault("input", {"name": "image", "channels": 1})
    normalization = manifest["normalization"]
    channels = manifest["input"]["channels"]
    if isinstance(normalization, list) and len(normalization) != channels:
        raise ManifestError(f"{path}: field 'normalization': a list needs one object per input channel "
                            f"({channels}), got {len(normalization)}")
    manifest["resampling"] = resampling_of(manifest)
    if manifest["resampling"]["image"] == "nnunet" and channels != 1:
        raise ManifestError(f"{path}: field 'resampling.image': nnunet normalises before resampling, "
                            f"which takes one grid per input channel; input.channels must be 1, got {channels}")
    manifest.setdefault("outputPatchSize", manifest["patchSize"])
    manifest.setdefault("padding", {"kind": "constant", "value": 0})
    manifest.setdefault("mirrorAxes", [])
    margins = [p - o for p, o in zip(manifest["patchSize"], manifest["outputPatchSize"])]
    if any(m < 0 or m % 2 for m in margins):
        raise ManifestError(f"{path}: patchSize - outputPatchSize must be even and >= 0, got {margins}")
    return manifest


def load_networks(model_dir, manifest):
    """The networks of the package: a list with one UNet3D per ensemble member ("pytorch.weights" a file
    name or a list of them)."""
    spec = manifest.get("pytorch")
    if spec is None:
        raise ManifestError(f"{model_dir}/model.json: missing field 'pytorch' (weights and architecture)")
    if "archKwargs" in spec:  # a package model import-nnunet wrote
        from nnunet_networks import package_networks
        return package_networks(model_dir, manifest)
    weights = spec["weights"] if isinstance(spec["weights"], list) else [spec["weights"]]
    onnx = manifest.get("onnx", "model.onnx")
    members = len(onnx) if isinstance(onnx, list) else 1
    if len(weights) != members:
        raise ManifestError(f"{model_dir}/model.json: field 'pytorch.weights': {len(weights)} files for "
                            f"{members} ONNX files")
    networks = []
    for file in weights:
        network = UNet3D(in_channels=manifest.get("input", {}).get("channels", 1),
                         classes=manifest["output"]["channels"],
                         base_channels=spec["baseChannels"], levels=spec["levels"],
                         max_channels=spec.get("maxChannels"))
        network.load_state_dict(torch.load(Path(model_dir) / file, map_location="cpu"))
        networks.append(network.eval())
    return networks


# step 2 -------------------------------------------------------------------------------------------

def resampling_of(manifest):
    """The manifest's "resampling" with its defaults (linear, no anti-aliasing)."""
    return {"image": "linear", "antialias": False, **manifest.get("resampling", {})}


def resampled_shape(shape, spacing, manifest):
    if "targetShape" in manifest:
        return tuple(manifest["targetShape"])
    target_spacing = manifest["targetSpacing"]
    if target_spacing == "native":
        return tuple(shape)
    if resampling_of(manifest)["image"] == "nnunet":
        # nnU-Net's compute_new_shape: Python's round (half to even) of spacing / target * n
        return tuple(max(1, int(round(s / t * n))) for n, s, t in zip(shape, spacing, target_spacing))
    # round half up, as Java's Math.round (Python's round() would round half to even)
    return tuple(max(1, int(math.floor(n * s / t + 0.5))) for n, s, t in zip(shape, spacing, target_spacing))


def resample_trilinear(volume, shape):
    """Trilinear with align_corners=True, computed in float64 and returned as float32."""
    if tuple(volume.shape) == tuple(shape):
        return volume.astype(np.float32, copy=False)
    v = torch.from_numpy(np.ascontiguousarray(volume, dtype=np.float64))[None, None]
    return F.interpolate(v, size=tuple(shape), mode="trilinear", align_corners=True)[0, 0].float().numpy()


def resample_image(volume, shape, spacing, resampling):
    """Step 2 with the package's resampling: linear (torch, align corners, optional Gaussian first) or, for
    cubic and nnunet, nnunet_preprocess.py's skimage/scipy re-implementation of nnU-Net's rules."""
    if resampling["image"] == "linear":
        if resampling["antialias"]:
            from scipy.ndimage import gaussian_filter1d
            volume = volume.astype(np.float64)
            for axis, (n_in, n_out) in enumerate(zip(volume.shape, shape)):
                if n_out < n_in:
                    volume = gaussian_filter1d(volume, (n_in / n_out - 1) / 2, axis=axis, mode="nearest", truncate=4.0)
        return resample_trilinear(volume, shape)
    import nnunet_preprocess
    antialias = resampling["antialias"]
    if resampling["image"] == "cubic":
        if tuple(volume.shape) == tuple(shape):
            return volume.astype(np.float32, copy=False)
        return nnunet_preprocess.resize(volume.astype(np.float64), tuple(shape), order=3, mode="edge",
                                        anti_aliasing=antialias).astype(np.float32)
    if resampling["image"] == "nnunet":
        new_spacing = [s * n / m for s, n, m in zip(spacing, volume.shape, shape)]
        return nnunet_preprocess.resize_nnunet(volume, shape, spacing, new_spacing, antialias).astype(np.float32)
    raise ManifestError(f"resampling.image: unknown '{resampling['image']}'")


def nearest_source_indices(n_in, n_out, pixel_centres=False):
    """For each index j of the source grid (n_in), the model-grid index (n_out) it takes its label from,
    exact in integers: align corners floor(j * (n_out - 1) / (n_in - 1) + 0.5); pixel centres (cubic,
    nnunet) floor((j + 0.5) * n_out / n_in)."""
    j = np.arange(n_in, dtype=np.int64)
    if pixel_centres:
        return np.minimum((2 * j + 1) * n_out // (2 * n_in), n_out - 1)
    if n_in == 1:
        return np.zeros(1, np.int64)
    return (2 * j * (n_out - 1) + (n_in - 1)) // (2 * (n_in - 1))


# step 3 -------------------------------------------------------------------------------------------

def normalizer(normalization, volume):
    """The intensity transform as a function, so that the constant padding value goes through it too."""
    kind = normalization["kind"]
    if kind == "ct-percentile-zscore":
        lo, hi = normalization["percentile_00_5"], normalization["percentile_99_5"]
        mean, std = float(normalization["mean"]), max(float(normalization["std"]), 1e-8)
        return lambda v: (np.clip(v, lo, hi) - mean) / std
    if kind == "ct-zscore":
        lo, hi = normalization["clip"]
        mean, std = float(normalization["mean"]), float(normalization["std"])
        return lambda v: (np.clip(v, lo, hi) - mean) / std
    if kind == "ct-window":
        lo, hi = normalization["window"]
        return lambda v: (np.clip(v, lo, hi) - lo) / (hi - lo)
    if kind == "ct-percentile-zscore":
        # nnU-Net's CTNormalization with the dataset's foreground statistics from plans.json
        lo, hi = float(normalization["percentile_00_5"]), float(normalization["percentile_99_5"])
        mean, std = float(normalization["mean"]), float(normalization["std"])
        return lambda v: (np.clip(v, lo, hi) - mean) / max(std, 1e-8)
    if kind == "mr-zscore":
        threshold = normalization.get("foregroundThreshold", 0)
        foreground = volume[volume > threshold].astype(np.float64)
        mean = foreground.mean() if foreground.size else 0.0
        std = foreground.std() if foreground.size else 1.0
        std = std if std > 0 else 1.0
        return lambda v: (v - mean) / std
    if kind == "none":
        return lambda v: v
    raise ManifestError(f"normalization.kind: unknown '{kind}'")


def normalizers(manifest, volume):
    """One transform per input channel: the "normalization" list, or its single object for every channel."""
    normalization = manifest["normalization"]
    channels = manifest.get("input", {}).get("channels", 1)
    if isinstance(normalization, dict):
        normalization = [normalization] * channels
    return [normalizer(n, volume) for n in normalization]


def label_values(manifest):
    """Label value of each output channel (0 = background): the labels' "channel" fields, else the default
    rule (softmax channel c = value c, sigmoid channel c = value c + 1)."""
    output = manifest["output"]
    sigmoid = output["kind"] == "sigmoid"
    labels = manifest.get("labels")
    if labels is None or not any("channel" in label for label in labels):
        return np.arange(output["channels"], dtype=np.int64) + (1 if sigmoid else 0)
    values = np.zeros(output["channels"], np.int64)
    for label in labels:
        values[label["channel"]] = label["value"]
    return values


# step 4 -------------------------------------------------------------------------------------------

def reflect_indices(n, before, after):
    """Indices into an axis of length n for mirror padding without repeating the edge voxel, any width."""
    idx = np.arange(-before, n + after)
    if n == 1:
        return np.zeros_like(idx)
    period = 2 * (n - 1)
    idx = np.mod(idx, period)
    return np.where(idx >= n, period - idx, idx)


def pad(volume, widths, kind, value):
    """widths: [(before, after)] per axis; kind 'constant' (value already normalised) or 'mirror'."""
    if all(b == 0 and a == 0 for b, a in widths):
        return volume
    if kind == "constant":
        return np.pad(volume, widths, mode="constant", constant_values=value)
    if kind == "mirror":
        return volume[np.ix_(*[reflect_indices(n, b, a) for n, (b, a) in zip(volume.shape, widths)])]
    raise ManifestError(f"padding.kind: unknown '{kind}'")


def patch_padding(shape, patch):
    return [((p - n) // 2, p - n - (p - n) // 2) if n < p else (0, 0) for n, p in zip(shape, patch)]


# steps 5 and 6 ------------------------------------------------------------------------------------

def tile_starts(length, patch, overlap):
    if length <= patch:
        return [0]
    n = math.ceil((length - patch) / (patch * (1 - overlap))) + 1
    return [int(math.floor(i * (length - patch) / (n - 1) + 0.5)) for i in range(n)]


def importance_map(patch, blending):
    if blending == "constant":
        return np.ones(patch, np.float32)
    if blending != "gaussian":
        raise ManifestError(f"blending: unknown '{blending}'")
    w = np.ones((1, 1, 1), np.float64)
    for axis, p in enumerate(patch):
        i = np.arange(p, dtype=np.float64)
        sigma = p / 8.0
        g = np.exp(-(i - (p - 1) / 2.0) ** 2 / (2 * sigma ** 2))
        shape = [1, 1, 1]
        shape[axis] = p
        w = w * g.reshape(shape)
    w = w / w.max()
    return np.maximum(w, 1e-3).astype(np.float32)


# the whole run ------------------------------------------------------------------------------------

def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def segment(networks, manifest, volume, spacing, timings=None, device=None):
    """Steps 2-9 on `volume` (float32 [z, y, x], model orientation, `spacing` mm [z, y, x]).

    `networks`: one network, or the list of an ensemble's members (probabilities averaged over members
    and mirrorings). Returns (labels uint8 on the input grid, probabilities float32 [C, z, y, x] on the
    resampled model grid with the padding cropped off).
    """
    networks = networks if isinstance(networks, (list, tuple)) else [networks]
    timings = {} if timings is None else timings
    device = torch.device("cpu") if device is None else device
    clock = time.perf_counter()

    # 2-4: preprocess
    model_shape = resampled_shape(volume.shape, spacing, manifest)
    resampling = resampling_of(manifest)
    if resampling["image"] == "nnunet":  # nnU-Net normalises on the source grid, then resamples (one channel)
        first = normalizers(manifest, volume)[0]
        image = resample_image(first(volume).astype(np.float32), model_shape, spacing, resampling)
        transforms = [(lambda v: v, first)]  # (image, padding value)
    else:
        image = resample_image(volume, model_shape, spacing, resampling)
        transforms = [(t, t) for t in normalizers(manifest, image)]
    patch, out_patch = list(manifest["patchSize"]), list(manifest["outputPatchSize"])
    margins = [(p - o) // 2 for p, o in zip(patch, out_patch)]
    padding = manifest["padding"]
    to_patch = patch_padding(image.shape, patch)
    channels_in = []
    for transform, pad_transform in transforms:  # one normalised, padded copy per input channel
        pad_value = float(pad_transform(np.float64(padding.get("value", 0))))
        channel = pad(transform(image).astype(np.float32), to_patch, padding["kind"], pad_value)
        region = channel.shape  # what the output tiles must cover
        if any(margins):
            channel = pad(channel, [(m, m) for m in margins], "mirror", None)
        channels_in.append(channel)
    image = np.stack(channels_in)
    timings["preprocess"] = time.perf_counter() - clock

    # 5-7: sliding window
    starts = [tile_starts(s, p, manifest["overlap"]) for s, p in zip(region, out_patch)]
    windows = list(itertools.product(*starts))
    weight = torch.from_numpy(importance_map(out_patch, manifest["blending"])).to(device)
    channels = manifest["output"]["channels"]
    sigmoid = manifest["output"]["kind"] == "sigmoid"
    accumulated = torch.zeros((channels, *region), dtype=torch.float32, device=device)
    weight_sum = torch.zeros(region, dtype=torch.float32, device=device)
    flip_sets = [tuple(2 + "zyx".index(a) for a in combo)
                 for r in range(len(manifest["mirrorAxes"]) + 1)
                 for combo in itertools.combinations(manifest["mirrorAxes"], r)]
    image_t = torch.from_numpy(image).to(device)
    inference_seconds = blending_seconds = 0.0
    batch_size = int(manifest["batchSize"])
    with torch.inference_mode():
        for first in range(0, len(windows), batch_size):
            batch_windows = windows[first:first + batch_size]
            batch = torch.stack([image_t[:, s[0]:s[0] + patch[0], s[1]:s[1] + patch[1], s[2]:s[2] + patch[2]]
                                 for s in batch_windows])
            clock = time.perf_counter()
            outputs = []
            for network in networks:
                for flips in flip_sets:
                    out = network(torch.flip(batch, flips) if flips else batch)
                    outputs.append(torch.flip(out, flips) if flips else out)
            _sync(device)
            inference_seconds += time.perf_counter() - clock
            clock = time.perf_counter()
            # mean over members of the mean over flips (equal counts, so one mean over all runs)
            probabilities = sum((torch.sigmoid(o) if sigmoid else torch.softmax(o, dim=1)) for o in outputs)
            probabilities = probabilities / len(outputs)
            for s, p in zip(batch_windows, probabilities):
                view = (slice(s[0], s[0] + out_patch[0]), slice(s[1], s[1] + out_patch[1]),
                        slice(s[2], s[2] + out_patch[2]))
                accumulated[(slice(None), *view)] += p * weight
                weight_sum[view] += weight
            _sync(device)
            blending_seconds += time.perf_counter() - clock
    clock = time.perf_counter()
    accumulated /= weight_sum
    crop = tuple(slice(b, b + n) for (b, _), n in zip(to_patch, model_shape))
    probabilities = accumulated[(slice(None), *crop)]
    blending_seconds += time.perf_counter() - clock
    timings["inference"] = inference_seconds
    timings["blending"] = blending_seconds

    # 8-9: labels, back to the source grid
    clock = time.perf_counter()
    values = label_values(manifest)
    probabilities = probabilities.cpu()
    best = torch.argmax(probabilities, dim=0).numpy()
    labels = values[best]
    if sigmoid:
        labels = np.where(torch.gather(probabilities, 0, torch.from_numpy(best)[None])[0].numpy() > 0.5, labels, 0)
    labels = labels.astype(np.uint8)
    if labels.shape != volume.shape:
        pixel_centres = resampling["image"] != "linear"
        index = [nearest_source_indices(n_in, n_out, pixel_centres) for n_in, n_out in zip(volume.shape, model_shape)]
        labels = labels[np.ix_(*index)]
    timings["postprocess"] = time.perf_counter() - clock
    timings["windows"] = len(windows)
    timings["voxels"] = int(np.prod(volume.shape))
    timings["modelGridShape"] = list(model_shape)
    return np.ascontiguousarray(labels), probabilities.numpy()


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="PyTorch sliding-window segmentation per inference/docs/model-package.md, steps 2-9 "
                    "(the input must already be in the model's orientation).")
    parser.add_argument("--model", required=True, help="model package folder (model.json + PyTorch weights)")
    parser.add_argument("--input", required=True, help="float32 .npy [z, y, x] in HU (or input units)")
    parser.add_argument("--spacing", required=True, type=float, nargs=3, metavar=("SZ", "SY", "SX"),
                        help="voxel spacing of the input in mm")
    parser.add_argument("--out", required=True, help="uint8 .npy [z, y, x] labels on the input grid")
    parser.add_argument("--probabilities-out",
                        help="float32 .npy [C, z, y, x] probabilities (after blending, before the label step) on "
                             "the MODEL grid: resampled to targetSpacing or targetShape, padding cropped off, i.e. "
                             "shape [C, *round(n * spacing / targetSpacing)] or [C, *targetShape]")
    parser.add_argument("--timings-out", help="JSON: seconds per stage (preprocess, inference, blending, "
                                              "postprocess, total), windows, voxels")
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads (default: torch's)")
    parser.add_argument("--device", default="cpu", help="torch device: cpu (default) or cuda[:N]; on CUDA the image, "
                                                        "the network and the blending live on the GPU")
    parser.add_argument("--batch-size", type=int, help="windows per network run (default: the manifest's batchSize)")
    parser.add_argument("--tf32", action="store_true", help="on CUDA: let convolutions and matrix products use TF32 "
                                                            "(PyTorch's default for convolutions; off here by default, "
                                                            "as in the Java worker)")
    args = parser.parse_args(argv)
    device = torch.device(args.device)
    if device.type == "cuda":
        torch.backends.cudnn.allow_tf32 = args.tf32
        torch.backends.cuda.matmul.allow_tf32 = args.tf32
        torch.backends.cudnn.benchmark = True  # one window shape: pick the fastest algorithm once, as the Java worker does
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    manifest = load_manifest(args.model)
    networks = [n.to(device) for n in load_networks(args.model, manifest)]
    if args.batch_size:
        manifest["batchSize"] = args.batch_size
    if device.type == "cuda":  # warm-up outside the timings: CUDA context, cuDNN's algorithm search for the window shape
        with torch.inference_mode():
            for network in networks:
                network(torch.zeros((int(manifest["batchSize"]), manifest.get("input", {}).get("channels", 1),
                                     *manifest["patchSize"]), device=device))
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
    volume = np.load(args.input)
    if volume.ndim != 3:
        raise SystemExit(f"{args.input}: expected a 3-D array [z, y, x], got shape {volume.shape}")
    timings = {}
    started = time.perf_counter()
    labels, probabilities = segment(networks, manifest, volume.astype(np.float32, copy=False), args.spacing, timings, device)
    timings["total"] = time.perf_counter() - started
    timings["threads"] = torch.get_num_threads()
    timings["device"] = str(device)
    if device.type == "cuda":
        timings["gpuPeakBytes"] = torch.cuda.max_memory_allocated(device)
    np.save(args.out, labels)
    if args.probabilities_out:
        np.save(args.probabilities_out, probabilities)
    if args.timings_out:
        with open(args.timings_out, "w") as f:
            json.dump(timings, f, indent=2)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
