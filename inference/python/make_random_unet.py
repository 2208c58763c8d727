#!/usr/bin/env python3
"""Writes a model package of an nnU-Net-sized 3D U-Net with random weights, for the GPU check's benchmark:
UNet3D (unet3d.py) with nnU-Net's 3d_fullres widths by default (32 base channels, 6 levels, capped at 320),
patch 128^3, 4 classes. Same seed, same weights: weights.pt for the PyTorch reference and model.onnx (exported from
those very weights) for the Java worker, so both run the same network. Made where it runs (the GPU machine has
PyTorch; the package is ~120 MB, too big to carry), in a few seconds.
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from unet3d import UNet3D, conv_flops  # noqa: E402


def export_onnx(network, patch, path):
    dummy = torch.zeros(1, 1, *patch)
    kwargs = dict(input_names=["image"], output_names=["logits"],
                  dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17, do_constant_folding=True)
    try:
        torch.onnx.export(network, dummy, str(path), dynamo=False, **kwargs)  # the TorchScript exporter, where it still is
    except TypeError:  # PyTorch before 2.5: no dynamo argument, the TorchScript exporter anyway
        torch.onnx.export(network, dummy, str(path), **kwargs)
    except Exception as e:  # a PyTorch without the TorchScript exporter: its default (may write model.onnx.data beside)
        print(f"TorchScript export failed ({e}); exporting with PyTorch's default exporter", file=sys.stderr)
        torch.onnx.export(network, dummy, str(path), **kwargs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="package folder to write")
    parser.add_argument("--base-channels", type=int, default=32)
    parser.add_argument("--levels", type=int, default=6)
    parser.add_argument("--max-channels", type=int, default=320)
    parser.add_argument("--classes", type=int, default=4, help="output channels, background included")
    parser.add_argument("--patch", type=int, nargs=3, default=[128, 128, 128], metavar=("Z", "Y", "X"))
    parser.add_argument("--target-spacing", type=float, nargs=3, default=[1.0, 0.8, 0.8], metavar=("Z", "Y", "X"))
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    network = UNet3D(1, args.classes, args.base_channels, args.levels, args.max_channels).eval()
    # random weights give near-constant logits; spread the output layer so that labels vary across the volume
    with torch.no_grad():
        network.head.weight.mul_(20.0)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(network.state_dict(), out / "weights.pt")
    export_onnx(network, args.patch, out / "model.onnx")
    # FLOPs scale with the voxels: count on a patch 8 times smaller, on CPU
    small = [p // 2 for p in args.patch]
    flops = conv_flops(network, small) * 8
    colours = [[221, 130, 101], [241, 214, 69], [128, 174, 128], [111, 184, 210]]
    manifest = {
        "name": "random-unet-nnunet-sized", "version": "1.0.0",
        "description": "nnU-Net-sized 3D U-Net with random weights, for benchmarks only (inference/python/make_random_unet.py)",
        "onnx": "model.onnx",
        "input": {"name": "image", "channels": 1},
        "output": {"name": "logits", "channels": args.classes, "kind": "softmax"},
        "patchSize": args.patch, "outputPatchSize": args.patch, "targetSpacing": args.target_spacing,
        "orientation": "LPS",
        "normalization": {"kind": "ct-zscore", "clip": [-250.0, 450.0], "mean": 50.0, "std": 120.0},
        "padding": {"kind": "constant", "value": -1000},
        "overlap": 0.5, "blending": "gaussian", "mirrorAxes": [], "batchSize": args.batch_size,
        "labels": [{"value": v, "name": f"Structure {v}",
                    "category": {"code": "123037004", "scheme": "SCT", "meaning": "Anatomical Structure"},
                    "type": {"code": "10200004", "scheme": "SCT", "meaning": "Liver"},
                    "color": colours[(v - 1) % len(colours)]} for v in range(1, args.classes)],
        "flopsPerWindow": flops,
        "pytorch": {"weights": "weights.pt", "module": "inference/python/unet3d.py", "class": "UNet3D",
                    "baseChannels": args.base_channels, "levels": args.levels, "maxChannels": args.max_channels},
    }
    (out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    parameters = sum(p.numel() for p in network.parameters())
    print(f"{out}: UNet3D base {args.base_channels}, {args.levels} levels, max {args.max_channels} channels, "
          f"{parameters:,} parameters, patch {args.patch}, {flops / 1e9:.0f} GFLOP per window")


if __name__ == "__main__":
    main()
