"""Imports an nnU-Net v2 trained-model folder as a model package (docs/model-package.md, "Importing models").

    python3 nnunet_import.py DIR --out PACKAGE [--folds 0,1,2,3,4] [--configuration 3d_fullres]
        [--name NAME] [--version V] [--orientation RAS] [--batch-size 1] [--reference-out DIR]

DIR holds dataset.json, plans.json and fold_N/checkpoint_final.pth (nnU-Net's
``nnUNetTrainer__nnUNetPlans__3d_fullres`` folder). The network is rebuilt from plans.json
(``nnunet_networks.py``), each fold's weights load strictly, and each fold is exported to
``fold_N.onnx`` and its PyTorch state dict ``fold_N.pt`` (float32, input ``image`` [N, C, Z, Y, X], output ``logits``, dynamic N, Z, Y, X). model.json is
written with nnU-Net's preprocessing; its labels carry names only: ``bin/seg-gateway model import-nnunet``
fills in their codes. Errors are one line on stderr and exit status 2.

``--reference-out DIR`` also writes, per fold, a random input (``input.npy``) and what the PyTorch network
returns for it (``fold_N.npy``), so that the ONNX files can be checked against PyTorch.
"""
import argparse
import json
import os
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nnunet_networks import PlansError, ZyxNetwork, build_network, conv_flops, inverse  # noqa: E402

AXIS_NAMES = "zyx"  # nnU-Net's arrays are SimpleITK's [z, y, x] before transpose_forward


class ImportError_(Exception):
    """A clear, one-line reason the folder cannot be imported."""


def load_json(path, what):
    if not os.path.isfile(path):
        raise ImportError_(f"{path}: missing ({what})")
    try:
        with open(path) as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise ImportError_(f"{path}: not valid JSON: {e}")


def need(obj, field, where):
    if not isinstance(obj, dict) or field not in obj:
        raise ImportError_(f"{where}: field {field!r} is missing")
    return obj[field]


def resolve_configuration(plans, name, plans_path):
    """The configuration dict with ``inherits_from`` parents merged (child fields win)."""
    configs = need(plans, "configurations", plans_path)
    if name not in configs:
        raise ImportError_(f"{plans_path}: configurations has no {name!r} (it has {', '.join(configs)});"
                           " choose one with --configuration")
    seen, chain = set(), []
    while name is not None:
        if name in seen:
            raise ImportError_(f"{plans_path}: configurations.{name}.inherits_from loops")
        seen.add(name)
        if name not in configs:
            raise ImportError_(f"{plans_path}: inherits_from names {name!r}, which is not a configuration")
        chain.append(configs[name])
        name = configs[name].get("inherits_from")
    merged = {}
    for c in reversed(chain):
        merged.update(c)
    return merged


def architecture_of(config, where):
    """The configuration's ``architecture`` section; plans in nnU-Net v2's first format (``UNet_class_name`` and
    friends, no ``architecture``; TotalSegmentator's v2 models among them) are read as the fixed design they meant:
    features doubling from ``UNet_base_num_features`` up to ``unet_max_num_features``, biased convolutions, affine
    instance normalisation (eps 1e-5), LeakyReLU."""
    if "architecture" in config:
        architecture = config["architecture"]
        if "network_class_name" not in architecture:
            raise ImportError_(f"{where}.architecture: field 'network_class_name' is missing")
        need(architecture, "arch_kwargs", f"{where}.architecture")
        return architecture
    if "UNet_class_name" not in config:
        raise ImportError_(f"{where}: field 'architecture' is missing")
    cls = config["UNet_class_name"]
    if cls not in ("PlainConvUNet", "ResidualEncoderUNet"):
        raise ImportError_(f"{where}.UNet_class_name = {cls!r}: only PlainConvUNet and ResidualEncoderUNet are supported")
    for f in ("UNet_base_num_features", "unet_max_num_features", "n_conv_per_stage_encoder", "n_conv_per_stage_decoder",
              "conv_kernel_sizes", "pool_op_kernel_sizes"):
        need(config, f, where)
    stages = len(config["n_conv_per_stage_encoder"])
    base, top = int(config["UNet_base_num_features"]), int(config["unet_max_num_features"])
    kwargs = {
        "n_stages": stages,
        "features_per_stage": [min(base * 2 ** i, top) for i in range(stages)],
        "conv_op": "torch.nn.modules.conv.Conv3d",
        "kernel_sizes": config["conv_kernel_sizes"],
        "strides": config["pool_op_kernel_sizes"],
        ("n_conv_per_stage" if cls == "PlainConvUNet" else "n_blocks_per_stage"): config["n_conv_per_stage_encoder"],
        "n_conv_per_stage_decoder": config["n_conv_per_stage_decoder"],
        "conv_bias": True,
        "norm_op": "torch.nn.modules.instancenorm.InstanceNorm3d",
        "norm_op_kwargs": {"eps": 1e-05, "affine": True},
        "dropout_op": None, "dropout_op_kwargs": None,
        "nonlin": "torch.nn.LeakyReLU", "nonlin_kwargs": {"inplace": True},
    }
    return {"network_class_name": cls, "arch_kwargs": kwargs}


def normalization_for(scheme, use_mask, props, channel, plans_path):
    """model.json's normalisation for one input channel, from the configuration's scheme."""
    where = f"{plans_path}: configuration normalization_schemes[{channel}]"
    if scheme == "CTNormalization":
        where_stats = f"{plans_path}: foreground_intensity_properties_per_channel"
        stats = need(props, str(channel), where_stats)
        out = {"kind": "ct-percentile-zscore"}
        for f in ("percentile_00_5", "percentile_99_5", "mean", "std"):
            out[f] = float(need(stats, f, f"{where_stats}.{channel}"))
        return out
    if scheme == "NoNormalization":
        return {"kind": "none"}
    if scheme in ("ZScoreNormalization", "RescaleTo01Normalization", "RGBTo01Normalization"):
        raise ImportError_(
            f"{where} = {scheme!r}{' with use_mask_for_norm' if use_mask else ''}: nnU-Net computes this per image, "
            "before resampling, over the image cropped to its non-zero region, which no model.json normalisation "
            "reproduces; only CTNormalization and NoNormalization are imported (write model.json by hand with "
            "mr-zscore if an approximation is acceptable)")
    raise ImportError_(f"{where} = {scheme!r} is not a normalisation nnU-Net ships")


def labels_from(dataset, dataset_path):
    labels = need(dataset, "labels", dataset_path)
    if not isinstance(labels, dict):
        raise ImportError_(f"{dataset_path}: labels must be an object name -> value")
    if any(isinstance(v, (list, tuple)) for v in labels.values()) or "regions_class_order" in dataset:
        raise ImportError_(f"{dataset_path}: region-based training (labels with lists of values, regions_class_order) "
                           "is not supported: its sigmoid outputs overlap and are turned into labels by "
                           "regions_class_order, which model.json cannot express")
    out = []
    for name, value in labels.items():
        if name == "ignore":
            continue  # nnU-Net's ignore label is not an output channel
        if not isinstance(value, int) or isinstance(value, bool):
            raise ImportError_(f"{dataset_path}: labels.{name} must be an integer, found {value!r}")
        out.append((value, name))
    out.sort()
    values = [v for v, _ in out]
    if values != list(range(len(values))):
        raise ImportError_(f"{dataset_path}: labels must be 0 (background), 1, 2, ... without gaps, found {values}")
    if len(values) > 256:
        raise ImportError_(f"{dataset_path}: {len(values) - 1} labels; a SEG holds at most 255")
    return [(v, n) for v, n in out if v != 0]


def parse_folds(text):
    folds = []
    for part in text.split(","):
        part = part.strip()
        if part == "all":
            folds.append("all")
        elif part.isdigit():
            folds.append(int(part))
        else:
            raise ImportError_(f"--folds: {part!r} is neither a fold number nor 'all'")
    if not folds:
        raise ImportError_("--folds: no fold given")
    return folds


def default_configuration(directory):
    base = os.path.basename(os.path.normpath(directory))
    parts = base.split("__")
    return parts[2] if len(parts) == 3 else "3d_fullres"


def _alias_numpy_core():
    """Checkpoints pickled under NumPy 2 name ``numpy._core...``; NumPy 1 (Debian's) calls it ``numpy.core``."""
    import importlib
    import numpy.core
    if "numpy._core" in sys.modules:
        return
    sys.modules["numpy._core"] = numpy.core
    for sub in ("multiarray", "numeric", "_multiarray_umath", "umath", "fromnumeric"):
        try:
            sys.modules["numpy._core." + sub] = importlib.import_module("numpy.core." + sub)
        except ImportError:
            pass


def load_weights(path):
    if not os.path.isfile(path):
        raise ImportError_(f"{path}: missing (the fold's trained weights)")
    try:
        if not hasattr(np, "_core"):
            _alias_numpy_core()
        checkpoint = torch.load(path, map_location="cpu")
    except Exception as e:  # a damaged or foreign file: say which
        raise ImportError_(f"{path}: cannot be read as a PyTorch checkpoint: {type(e).__name__}: {e}")
    if not isinstance(checkpoint, dict) or "network_weights" not in checkpoint:
        raise ImportError_(f"{path}: not an nnU-Net checkpoint (no 'network_weights')")
    weights = checkpoint["network_weights"]
    # a checkpoint saved from a compiled or DataParallel network carries the wrapper's prefix on every key
    for prefix in ("_orig_mod.", "module."):
        if weights and all(k.startswith(prefix) for k in weights):
            weights = {k[len(prefix):]: v for k, v in weights.items()}
    return checkpoint, weights


def smallest_input(channels, arch_kwargs, transpose_forward):
    """[1, C, z, y, x] of a small input every stage divides evenly: twice the product of the strides per axis (the
    bottleneck gets 2 voxels per axis; instance normalisation needs more than one)."""
    total = [2, 2, 2]
    for s in arch_kwargs["strides"]:
        s = [int(s)] * 3 if isinstance(s, (int, float)) else [int(i) for i in s]
        total = [t * i for t, i in zip(total, s)]
    back = inverse(transpose_forward)
    return (1, channels, *[total[back[j]] for j in range(3)])


def export_onnx(module, shape, path, opset):
    """Traced on a small input: batch and spatial axes are dynamic, so the trace need not run a full patch."""
    # instance normalisation always uses the instance's statistics; the exporter's note about training mode is moot
    warnings.filterwarnings("ignore", message=".*operator 'instance_norm' is set to train=True.*")
    dummy = torch.zeros(shape)
    axes = {0: "batch", 2: "z", 3: "y", 4: "x"}
    torch.onnx.export(module, dummy, path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": axes, "logits": axes}, opset_version=opset, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(path))


def run(args):
    d = args.dir
    if not os.path.isdir(d):
        raise ImportError_(f"{d}: not a folder")
    plans_path, dataset_path = os.path.join(d, "plans.json"), os.path.join(d, "dataset.json")
    plans, dataset = load_json(plans_path, "nnU-Net plans"), load_json(dataset_path, "nnU-Net dataset description")
    configuration = args.configuration or default_configuration(d)
    if "cascade" in configuration:
        raise ImportError_(f"--configuration {configuration}: cascade stages need the low-resolution stage's output as "
                           "an extra input; not supported")
    config = resolve_configuration(plans, configuration, plans_path)
    where = f"{plans_path}: configurations.{configuration}"

    architecture = architecture_of(config, where)
    arch_kwargs = architecture["arch_kwargs"]

    channel_names = need(dataset, "channel_names", dataset_path)
    channels = len(channel_names)
    if channels < 1 or sorted(channel_names, key=int) != [str(i) for i in range(channels)]:
        raise ImportError_(f"{dataset_path}: channel_names must be keyed 0, 1, ... ({list(channel_names)})")
    if channels > 1:
        # nnU-Net's input channels are separate images (CT and PET, T1 and T2, ...), and the gateway feeds a model
        # one series; the engine's multi-channel input makes every channel from that one series.
        raise ImportError_(f"{dataset_path}: channel_names names {channels} input images "
                           f"({', '.join(channel_names[k] for k in sorted(channel_names, key=int))}); the gateway feeds "
                           "a model one series, so only single-input nnU-Net models can be imported")
    labels = labels_from(dataset, dataset_path)
    classes = len(labels) + 1

    patch = [int(p) for p in need(config, "patch_size", where)]
    spacing = [float(s) for s in need(config, "spacing", where)]
    if len(patch) != 3 or len(spacing) != 3:
        raise ImportError_(f"{where}: patch_size and spacing must have 3 entries (2D configurations are not supported)")
    transpose_forward = [int(t) for t in plans.get("transpose_forward", [0, 1, 2])]
    if sorted(transpose_forward) != [0, 1, 2]:
        raise ImportError_(f"{plans_path}: transpose_forward must be a permutation of 0, 1, 2: {transpose_forward}")
    back = inverse(transpose_forward)
    # configuration values are in transposed (network) axis order; model.json wants z, y, x
    patch_zyx = [patch[back[j]] for j in range(3)]
    spacing_zyx = [spacing[back[j]] for j in range(3)]

    schemes = need(config, "normalization_schemes", where)
    use_mask = config.get("use_mask_for_norm", [False] * channels)
    if len(schemes) != channels:
        raise ImportError_(f"{where}.normalization_schemes has {len(schemes)} entries for {channels} input channels")
    props = plans.get("foreground_intensity_properties_per_channel", {})
    norms = [normalization_for(schemes[c], use_mask[c] if c < len(use_mask) else False, props, c, plans_path)
             for c in range(channels)]

    data_fn = config.get("resampling_fn_data", "resample_data_or_seg_to_shape")
    data_kwargs = config.get("resampling_fn_data_kwargs", {"is_seg": False, "order": 3, "order_z": 0})
    if data_fn != "resample_data_or_seg_to_shape" or int(data_kwargs.get("order", 3)) != 3 \
            or int(data_kwargs.get("order_z", 0)) != 0 or data_kwargs.get("force_separate_z") is not None:
        raise ImportError_(f"{where}: resampling_fn_data {data_fn} {data_kwargs} is not nnU-Net's default "
                           "(resample_data_or_seg_to_shape, order 3, order_z 0, force_separate_z null), the only "
                           "one model.json's resampling 'nnunet' describes")

    folds = parse_folds(args.folds)
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(max(1, args.threads))
    mirror_axes = None
    onnx_files, flops = [], None
    rng = np.random.default_rng(20261203)
    reference_input = None
    if args.reference_out:
        os.makedirs(args.reference_out, exist_ok=True)
        reference_input = rng.standard_normal((2, channels, *patch_zyx)).astype(np.float32)
        np.save(os.path.join(args.reference_out, "input.npy"), reference_input)
    for fold in folds:
        path = os.path.join(d, f"fold_{fold}", args.checkpoint)
        if not os.path.isfile(path):
            present = sorted(f for f in os.listdir(d) if f.startswith("fold_")
                             and os.path.isfile(os.path.join(d, f, args.checkpoint)))
            raise ImportError_(f"{path}: missing (the fold's trained weights); folds with {args.checkpoint}: "
                               f"{', '.join(present) or 'none'} (choose with --folds)")
        checkpoint, weights = load_weights(path)
        try:
            network = build_network(architecture["network_class_name"], arch_kwargs, channels, classes)
        except PlansError as e:
            raise ImportError_(f"{where}.architecture: {e}")
        try:
            network.load_state_dict(weights, strict=True)
        except RuntimeError as e:
            raise ImportError_(f"{path}: the weights do not fit the network plans.json describes: "
                               + " ".join(str(e).split()))
        network.eval()
        axes = checkpoint.get("inference_allowed_mirroring_axes")
        fold_axes = sorted(AXIS_NAMES[transpose_forward[a]] for a in axes) if axes is not None else ["x", "y", "z"]
        if mirror_axes is not None and fold_axes != mirror_axes:
            raise ImportError_(f"{path}: inference_allowed_mirroring_axes differs from the other folds'")
        mirror_axes = fold_axes
        module = ZyxNetwork(network, transpose_forward).eval()
        name = f"fold_{fold}.onnx"
        small = smallest_input(channels, arch_kwargs, transpose_forward)
        export_onnx(module, small, os.path.join(args.out, name), args.opset)
        onnx_files.append(name)
        if not args.without_pytorch:
            torch.save(network.state_dict(), os.path.join(args.out, f"fold_{fold}.pt"))
        if flops is None:
            # with the patch divisible by every stage's total stride (nnU-Net plans it so), each layer's output voxel
            # count is the small input's times patch / small per axis: the count on the small input, scaled, is the
            # patch's (without running a full patch)
            flops = round(conv_flops(module, small) * (patch_zyx[0] / small[2]) * (patch_zyx[1] / small[3])
                          * (patch_zyx[2] / small[4]))
        if reference_input is not None:
            with torch.no_grad():
                out = module(torch.from_numpy(reference_input)).numpy().astype(np.float32)
            np.save(os.path.join(args.reference_out, f"fold_{fold}.npy"), out)
        print(f"fold {fold}: {len(weights)} tensors loaded strictly, exported {name}", file=sys.stderr)

    first = norms[0]
    # nnU-Net pads the normalised image with 0; in input units that is the value the normalisation maps to 0
    pad_value = first["mean"] if first["kind"] == "ct-percentile-zscore" else 0.0
    trainer = os.path.basename(os.path.normpath(d))
    manifest = {
        "name": args.name or str(plans.get("dataset_name", trainer)),
        "version": args.version,
        "description": f"nnU-Net v2 {trainer} ({architecture['network_class_name'].rsplit('.', 1)[-1]}, "
                       f"configuration {configuration}, folds {','.join(str(f) for f in folds)}) imported by "
                       "seg-gateway model import-nnunet",
        "onnx": onnx_files[0] if len(onnx_files) == 1 else onnx_files,
        "input": {"name": "image", "channels": channels},
        "output": {"name": "logits", "channels": classes, "kind": "softmax"},
        "patchSize": patch_zyx,
        "targetSpacing": spacing_zyx,
        "orientation": args.orientation,
        "resampling": {"image": "nnunet", "antialias": False},
        "normalization": norms[0] if channels == 1 else norms,
        "padding": {"kind": "constant", "value": pad_value},
        "overlap": 0.5,
        "blending": "gaussian",
        "mirrorAxes": mirror_axes,
        "batchSize": args.batch_size,
        "flopsPerWindow": flops,
        "labels": [{"value": v, "name": n} for v, n in labels],
    }
    if not args.without_pytorch:
        # for the PyTorch reference script (torch_sliding_window.py), e.g. bench infer beside PyTorch
        manifest["pytorch"] = {"module": "inference/python/nnunet_networks.py",
                               "class": architecture["network_class_name"], "archKwargs": arch_kwargs,
                               "transposeForward": transpose_forward,
                               "weights": [f"fold_{f}.pt" for f in folds]}
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(json.dumps({"out": args.out, "folds": [str(f) for f in folds], "classes": classes, "channels": channels,
                      "patchSize": patch_zyx, "targetSpacing": spacing_zyx, "flopsPerWindow": flops}))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dir")
    p.add_argument("--out", required=True)
    p.add_argument("--folds", default="0,1,2,3,4")
    p.add_argument("--checkpoint", default="checkpoint_final.pth",
                   help="file name in each fold folder (nnU-Net also writes checkpoint_best.pth)")
    p.add_argument("--configuration", default=None,
                   help="plans.json configuration (default: from the folder name TRAINER__PLANS__CONFIG, else 3d_fullres)")
    p.add_argument("--name", default=None, help="model.json name (default: plans.json dataset_name)")
    p.add_argument("--version", default="1.0.0")
    p.add_argument("--orientation", default="RAS",
                   help="where increasing x, y, z of the training images pointed (default RAS: NIfTI files in "
                        "nibabel's canonical orientation, as TotalSegmentator trains); 'native' = as stored")
    p.add_argument("--batch-size", type=int, default=1)
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reference-out", default=None)
    p.add_argument("--without-pytorch", action="store_true",
                   help="no fold_N.pt state dicts and no 'pytorch' object (the PyTorch reference script needs them)")
    args = p.parse_args(argv)
    try:
        run(args)
    except ImportError_ as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
