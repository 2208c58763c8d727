#!/usr/bin/env python3
"""Writes a model package of version 2 around small random-weight 3D U-Nets, for the PyTorch cross-check:
two input channels (two CT windows), an ensemble of folds, label channels with a background channel.
Each fold is saved as PyTorch weights (what torch_sliding_window.py loads) and exported to ONNX (what the
Java engine runs), so both implementations run the same networks.

    /usr/bin/python3 inference/src/test/python/make_unet_ensemble.py OUT_DIR [--folds 2] [--seed 1]
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "python"))
from unet3d import UNet3D  # noqa: E402

CLASSES = 4
PATCH = [16, 16, 16]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--folds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(args.seed)
    onnx_files, weights = [], []
    for fold in range(args.folds):
        network = UNet3D(in_channels=2, classes=CLASSES, base_channels=4, levels=2).eval()
        weights.append(f"fold_{fold}.pt")
        onnx_files.append(f"fold_{fold}.onnx")
        torch.save(network.state_dict(), out / weights[-1])
        torch.onnx.export(network, torch.zeros(1, 2, *PATCH), str(out / onnx_files[-1]), input_names=["image"],
                          output_names=["logits"], dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
                          opset_version=17, do_constant_folding=True)
    code = {"code": "123037004", "scheme": "SCT", "meaning": "Anatomical Structure"}
    manifest = {
        "name": "test-unet-ensemble", "version": "2.0.0",
        "onnx": onnx_files,
        "input": {"name": "image", "channels": 2},
        "output": {"name": "logits", "channels": CLASSES, "kind": "softmax"},
        "patchSize": PATCH,
        "targetSpacing": [2.0, 1.5, 1.5],
        "orientation": "LPS",
        "normalization": [
            {"kind": "ct-window", "window": [-150, 250]},
            {"kind": "ct-percentile-zscore", "percentile_00_5": -100.0, "percentile_99_5": 200.0,
             "mean": 60.0, "std": 70.0},
        ],
        "padding": {"kind": "constant", "value": -1000},
        "overlap": 0.5, "blending": "gaussian", "mirrorAxes": ["x"], "batchSize": 2,
        "pytorch": {"weights": weights, "baseChannels": 4, "levels": 2},
        "labels": [
            {"value": 1, "channel": 3, "name": "Liver", "category": code,
             "type": {"code": "10200004", "scheme": "SCT", "meaning": "Liver"}},
            {"value": 150, "channel": 1, "name": "Spleen", "category": code,
             "type": {"code": "78961009", "scheme": "SCT", "meaning": "Spleen"}},
        ],
    }
    (out / "model.json").write_text(json.dumps(manifest, indent=2))
    print("wrote", out)


if __name__ == "__main__":
    main()
