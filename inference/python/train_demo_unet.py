#!/usr/bin/env python3
"""Trains the demo 3D U-Net on synthetic CT-like patches and writes the model package.

    python3 inference/python/train_demo_unet.py --out models/demo-abdomen-unet --minutes 18 --threads 2

Patches are generated on the fly at the model's target spacing (synthetic_ct.random_case: body, liver
ellipsoid, lesions, distractors, elastic deformation, random intensities, blur and noise). The loss is
soft Dice over the foreground classes plus class-weighted cross-entropy. Training stops after the time
budget; the package gets model.onnx, weights.pt (state_dict), model.json and a README with the Dice
measured on held-out volumes through torch_sliding_window.segment (the contract's arithmetic).
Not run by CI.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic_ct  # noqa: E402
from torch_sliding_window import segment  # noqa: E402
from unet3d import UNet3D, conv_flops  # noqa: E402

NAME = "demo-abdomen-unet"
CLASSES = 3
LABELS = [
    {"value": 1, "name": "Liver",
     "category": {"code": "123037004", "scheme": "SCT", "meaning": "Anatomical Structure"},
     "type": {"code": "10200004", "scheme": "SCT", "meaning": "Liver"},
     "color": [221, 130, 101]},
    {"value": 2, "name": "Lesion",
     "category": {"code": "49755003", "scheme": "SCT", "meaning": "Morphologically Altered Structure"},
     "type": {"code": "4147007", "scheme": "SCT", "meaning": "Mass"},
     "color": [241, 214, 69]},
]
NORMALIZATION = {"kind": "ct-zscore", "clip": [-250.0, 450.0], "mean": 50.0, "std": 120.0}
CLASS_WEIGHTS = [1.0, 1.5, 5.0]


def normalise(hu):
    lo, hi = NORMALIZATION["clip"]
    return (np.clip(hu, lo, hi) - NORMALIZATION["mean"]) / NORMALIZATION["std"]


def batch(rng, size, patch, spacing):
    images, labels = [], []
    for _ in range(size):
        hu, lab = synthetic_ct.random_case(rng, patch, spacing)
        images.append(normalise(hu).astype(np.float32))
        labels.append(lab.astype(np.int64))
    return torch.from_numpy(np.stack(images))[:, None], torch.from_numpy(np.stack(labels))


def loss_fn(logits, target, class_weights):
    ce = F.cross_entropy(logits, target, weight=class_weights)
    probabilities = torch.softmax(logits, dim=1)
    one_hot = F.one_hot(target, CLASSES).permute(0, 4, 1, 2, 3).float()
    dims = (0, 2, 3, 4)  # batch Dice: sums over the whole batch, per class
    intersection = (probabilities * one_hot).sum(dims)
    denominator = probabilities.sum(dims) + one_hot.sum(dims)
    dice = (2 * intersection + 1.0) / (denominator + 1.0)
    return ce + (1 - dice[1:].mean()), dice.detach()


def _batch_of(task):
    seed, step, size, patch, spacing = task
    return batch(np.random.default_rng([seed, step]), size, patch, spacing)


def batches(args, patch, spacing):
    """Training batches, endless: made here, or by --workers processes (each batch from its own seed sequence)."""
    if args.workers <= 0:
        rng = np.random.default_rng(args.seed)
        while True:
            yield batch(rng, args.batch, patch, spacing)
    import itertools
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(args.workers, initializer=torch.set_num_threads, initargs=(1,)) as pool:
        tasks = ((args.seed, step, args.batch, patch, spacing) for step in itertools.count())
        yield from pool.imap(_batch_of, tasks, chunksize=2)


def train(network, args, patch, spacing, log):
    source = batches(args, patch, spacing)
    first = next(source)  # the patch makers fork before CUDA starts in this process
    device = torch.device(args.device)
    network.to(device)
    optimiser = torch.optim.Adam(network.parameters(), lr=args.lr, weight_decay=1e-5)
    class_weights = torch.tensor(CLASS_WEIGHTS, device=device)
    budget = args.minutes * 60
    started = time.perf_counter()
    step, running = 0, None
    network.train()
    while (elapsed := time.perf_counter() - started) < budget:
        for group in optimiser.param_groups:  # poly decay over the time budget
            group["lr"] = args.lr * (1 - elapsed / budget) ** 0.9
        images, labels = first if step == 0 else next(source)
        images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        loss, dice = loss_fn(network(images), labels, class_weights)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        step += 1
        if step % 25 == 0:  # .item() waits for the GPU: only now and then
            values = np.array([loss.item(), dice[1].item(), dice[2].item()])
            running = values if running is None else 0.8 * running + 0.2 * values
        if step % (25 if device.type == "cpu" else 250) == 0:
            log(f"step {step:5d}  {elapsed:6.0f} s  loss {running[0]:.3f}  "
                f"soft Dice liver {running[1]:.3f} lesion {running[2]:.3f}")
    source.close()
    network.eval()
    network.to("cpu")
    return step, time.perf_counter() - started


def evaluate(network, manifest, args, spacing, log):
    """Dice per class on held-out volumes (a seed sequence training never draws) and on the Java phantom."""
    rng = np.random.default_rng(10_000 + args.seed)
    per_case = []
    for i in range(args.eval_cases):
        hu, truth = synthetic_ct.random_case(rng, tuple(args.eval_shape), spacing, centre_on_body=True)
        labels, _ = segment(network, manifest, hu, spacing)
        per_case.append([synthetic_ct.dice(labels, truth, c) for c in (1, 2)])
        log(f"held-out case {i}: Dice liver {per_case[-1][0]:.3f} lesion {per_case[-1][1]:.3f} "
            f"(voxels {np.bincount(truth.ravel(), minlength=3).tolist()})")
    phantoms = []
    for shape, phantom_spacing in (((120, 143, 143), (2.5, 2.5, 2.5)), ((100, 256, 256), (3.0, 1.4, 1.4))):
        hu, truth = synthetic_ct.standard_phantom(shape, phantom_spacing, noise_sigma=10.0, seed=7)
        labels, _ = segment(network, manifest, hu, phantom_spacing)
        phantoms.append({"shape": list(shape), "spacing": list(phantom_spacing),
                         "liver": synthetic_ct.dice(labels, truth, 1), "lesion": synthetic_ct.dice(labels, truth, 2)})
        log(f"standard phantom {shape} at {phantom_spacing} mm: Dice liver {phantoms[-1]['liver']:.3f} "
            f"lesion {phantoms[-1]['lesion']:.3f}")
    return np.array(per_case), phantoms


def export_onnx(network, patch, path):
    import onnx
    dummy = torch.zeros(1, 1, *patch)
    torch.onnx.export(network, dummy, str(path), input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17,
                      do_constant_folding=True)
    model = onnx.load(str(path))
    onnx.checker.check_model(model)
    return model.opset_import[0].version, model.ir_version


def write_readme(path, manifest, results):
    per_case, phantoms = results["perCase"], results["phantoms"]
    lines = [
        f"# {NAME} {manifest['version']}",
        "",
        "A small 3D U-Net (Ronneberger et al. shape: two 3x3x3 convolutions + instance norm + ReLU per level, "
        "2x2x2 max pooling, channel doubling, 2x2x2 transposed-convolution decoder with concatenated skips, "
        f"1x1x1 output convolution; same-size convolutions; {results['levels']} levels, "
        f"{results['baseChannels']} base channels, {results['parameters']:,} parameters) "
        "trained on synthetic CT-like volumes only. It segments the phantom of "
        "`org.seggateway.dicomio.synthetic.Phantom` (label 1 liver, label 2 lesion); it knows nothing of "
        "real anatomy. Not for clinical use.",
        "",
        "Files: `model.onnx` (opset %d, input `image` [N,1,%d,%d,%d], output `logits` [N,3,%d,%d,%d], dynamic N), "
        "`weights.pt` (PyTorch state_dict of `inference/python/unet3d.py` `UNet3D`), `model.json` "
        "(the manifest, see `inference/docs/model-package.md`)." % (results["opset"], *manifest["patchSize"],
                                                                    *manifest["patchSize"]),
        "",
        "## Training",
        "",
        f"`python3 inference/python/train_demo_unet.py --out models/{NAME} --minutes {results['minutes']:g} "
        f"--threads {results['threads']} --seed {results['seed']}`: {results['steps']} steps of batch "
        f"{results['batch']} patches {manifest['patchSize']} (z,y,x) at {manifest['targetSpacing']} mm, generated "
        "on the fly (random elliptic body, liver ellipsoid with 0-3 lesions, fat/bone distractors; 35 % of patches centred near a lesion, elastic "
        "deformation, random intensities, blur, noise sigma 0-25 HU); Adam, poly learning-rate decay; loss = "
        f"soft Dice (liver, lesion) + cross-entropy weighted {CLASS_WEIGHTS}. Wall time "
        f"{results['trainSeconds'] / 60:.1f} min ({results['cpuSeconds'] / 60:.1f} CPU min) on "
        + (f"{results['threads']} CPU threads of a shared machine" if results["device"] == "cpu"
           else f"{results['device']} ({results['workers']} processes making the patches)")
        + (f", continuing from the weights of an earlier run ({results['init']})." if results["init"] else "."),
        "",
        "## Measured Dice",
        "",
        "Through `inference/python/torch_sliding_window.py` (the package's sliding-window arithmetic, overlap "
        f"{manifest['overlap']}, {manifest['blending']} blending), labels compared with the ground truth at voxel "
        "centres on the input grid.",
        "",
        "| volumes | liver Dice | lesion Dice |",
        "| --- | --- | --- |",
        f"| {len(per_case)} held-out random volumes {results['evalShape']} (z,y,x) at 2.5 mm, mean | "
        f"{per_case[:, 0].mean():.3f} | {per_case[:, 1].mean():.3f} |",
        f"| same, worst case | {per_case[:, 0].min():.3f} | {per_case[:, 1].min():.3f} |",
    ]
    for p in phantoms:
        lines.append(f"| standard phantom {p['shape']} at {p['spacing']} mm, noise 10 HU | {p['liver']:.3f} | "
                     f"{p['lesion']:.3f} |")
    lines += [
        "",
        "Held-out volumes come from a random-number stream that training never draws from; a volume without a "
        "lesion in either truth or prediction counts as lesion Dice 1.0, one with a lesion missed or invented "
        "as 0.0.",
        "",
        "## Cost",
        "",
        f"Convolution FLOPs per window (2 per multiply-add, transposed convolutions included, norms and "
        f"activations left out): {manifest['flopsPerWindow'] / 1e9:.2f} GFLOP (`flopsPerWindow` in model.json).",
        "",
    ]
    path.write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=f"models/{NAME}")
    parser.add_argument("--minutes", type=float, default=18.0, help="training wall-time budget")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--patch", type=int, nargs=3, default=[32, 64, 64])
    parser.add_argument("--spacing", type=float, default=2.5, help="isotropic target spacing, mm")
    parser.add_argument("--base-channels", type=int, default=8)
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--eval-cases", type=int, default=20)
    parser.add_argument("--eval-shape", type=int, nargs=3, default=[64, 128, 128])
    parser.add_argument("--model-version", default="1.0.0", help="the version model.json declares")
    parser.add_argument("--device", default="cpu", help="cpu, or cuda to train on a GPU (evaluation and export stay on the CPU)")
    parser.add_argument("--workers", type=int, default=0, help="processes making training patches (0: the training process)")
    parser.add_argument("--init", help="state_dict to start from (continue an earlier run) instead of random weights")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log_file = open(out / "training.log", "a")  # a continued run appends

    def log(message):
        print(message, flush=True)
        log_file.write(message + "\n")
        log_file.flush()

    patch, spacing = tuple(args.patch), (args.spacing,) * 3
    network = UNet3D(1, CLASSES, args.base_channels, args.levels)
    parameters = sum(p.numel() for p in network.parameters())
    if args.init:
        network.load_state_dict(torch.load(args.init, map_location="cpu"))
        log(f"starting from {args.init}")
    log(f"UNet3D levels {args.levels} base {args.base_channels}: {parameters} parameters; patch {patch}")
    cpu_started = time.process_time()
    steps, seconds = train(network, args, patch, spacing, log)
    cpu_seconds = time.process_time() - cpu_started
    log(f"trained {steps} steps in {seconds:.0f} s wall, {cpu_seconds:.0f} s CPU")

    torch.save(network.state_dict(), out / "weights.pt")
    opset, ir_version = export_onnx(network, patch, out / "model.onnx")
    manifest = {
        "name": NAME,
        "version": args.model_version,
        "description": "Demo 3D U-Net trained on synthetic CT phantoms (liver and lesion); not for clinical use",
        "onnx": "model.onnx",
        "input": {"name": "image", "channels": 1},
        "output": {"name": "logits", "channels": CLASSES, "kind": "softmax"},
        "patchSize": list(patch),
        "outputPatchSize": list(patch),
        "targetSpacing": list(spacing),
        "orientation": "LPS",
        "normalization": NORMALIZATION,
        "padding": {"kind": "constant", "value": -1000},
        "overlap": 0.5,
        "blending": "gaussian",
        "mirrorAxes": [],
        "batchSize": 2,
        "labels": LABELS,
        "flopsPerWindow": conv_flops(network, patch),
        "pytorch": {"weights": "weights.pt", "module": "inference/python/unet3d.py", "class": "UNet3D",
                    "baseChannels": args.base_channels, "levels": args.levels},
    }
    (out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")

    per_case, phantoms = evaluate(network, manifest, args, spacing, log)
    results = {"perCase": per_case, "phantoms": phantoms, "steps": steps, "trainSeconds": seconds,
               "minutes": args.minutes, "threads": args.threads, "seed": args.seed, "batch": args.batch,
               "levels": args.levels, "baseChannels": args.base_channels, "parameters": parameters,
               "opset": opset, "evalShape": args.eval_shape, "init": args.init,
               "cpuSeconds": cpu_seconds,
               "device": "cpu" if args.device == "cpu" else torch.cuda.get_device_name(0), "workers": args.workers}
    write_readme(out / "README.md", manifest, results)
    log(f"held-out mean Dice liver {per_case[:, 0].mean():.3f} lesion {per_case[:, 1].mean():.3f}; "
        f"ONNX opset {opset} IR {ir_version}, {os.path.getsize(out / 'model.onnx')} bytes; "
        f"{manifest['flopsPerWindow'] / 1e9:.2f} GFLOP per window")


if __name__ == "__main__":
    main()
