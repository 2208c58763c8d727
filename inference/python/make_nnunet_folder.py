"""Writes an nnU-Net v2 trained-model folder with random weights, in nnU-Net's own layout, for the importer's tests
and for benchmarks:

    DIR/DatasetNNN_NAME/nnUNetTrainer__nnUNetPlans__3d_fullres/
        dataset.json  plans.json  fold_N/checkpoint_final.pth

    python3 make_nnunet_folder.py --preset small-plain  --out DIR     # PlainConvUNet, 3 stages, 1 channel, 2 folds
    python3 make_nnunet_folder.py --preset small-resenc --out DIR     # ResidualEncoderUNet, 4 stages,
                                                                      # transpose_forward [2, 0, 1], an ignore label
    python3 make_nnunet_folder.py --preset benchmark --out DIR [--classes 105] [--folds 5]
        # nnU-Net-sized PlainConvUNet: 6 stages, 32..320 channels, 128^3 patch, 5 folds

Prints the trained-model folder's path. The checkpoint is the dict nnU-Net's trainer saves
(``network_weights``, ``init_args``, ``trainer_name``, ``inference_allowed_mirroring_axes``, ...). The weights are
made with this project's rebuild (``nnunet_networks.py``); their key names are checked here against names read
off nnU-Net's module structure, so a rebuild that drifted from it fails before any test uses it.
"""
import argparse
import csv
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nnunet_networks import build_network  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CODES_CSV = os.path.join(HERE, "..", "..", "dicom-io", "src", "main", "resources", "org", "seggateway", "dicomio",
                         "seg", "segment-codes.csv")

COMMON = {
    "conv_op": "torch.nn.modules.conv.Conv3d",
    "conv_bias": True,
    "norm_op": "torch.nn.modules.instancenorm.InstanceNorm3d",
    "norm_op_kwargs": {"eps": 1e-05, "affine": True},
    "dropout_op": None,
    "dropout_op_kwargs": None,
    "nonlin": "torch.nn.LeakyReLU",
    "nonlin_kwargs": {"inplace": True},
}

# state-dict names as nnU-Net's dynamic_network_architectures produces them for these presets
EXPECTED_KEYS = {
    "small-plain": [
        "encoder.stages.0.0.convs.0.conv.weight", "encoder.stages.0.0.convs.0.conv.bias",
        "encoder.stages.0.0.convs.0.all_modules.0.weight", "encoder.stages.0.0.convs.0.norm.weight",
        "encoder.stages.0.0.convs.0.all_modules.1.bias", "encoder.stages.2.0.convs.1.conv.weight",
        "decoder.encoder.stages.1.0.convs.0.conv.weight", "decoder.transpconvs.0.weight", "decoder.transpconvs.1.bias",
        "decoder.stages.1.convs.1.norm.bias", "decoder.seg_layers.0.weight", "decoder.seg_layers.1.bias",
    ],
    "small-resenc": [
        "encoder.stem.convs.0.conv.weight", "encoder.stem.convs.0.all_modules.1.weight",
        "encoder.stages.0.blocks.0.conv1.conv.weight", "encoder.stages.0.blocks.0.conv2.norm.bias",
        "encoder.stages.1.blocks.0.skip.1.conv.weight", "encoder.stages.1.blocks.0.skip.1.norm.weight",
        "encoder.stages.1.blocks.1.conv2.all_modules.1.weight", "decoder.encoder.stem.convs.0.conv.weight",
        "decoder.transpconvs.2.weight", "decoder.stages.2.convs.0.conv.weight", "decoder.seg_layers.2.bias",
    ],
}


def preset(name, classes, folds):
    if name == "small-plain":
        return dict(
            dataset="Dataset901_SmallPlain", cls="PlainConvUNet", channels={"0": "CT"},
            labels=["liver", "spleen", "kidney_left"], ignore=False, folds=folds or 2,
            patch=[8, 16, 24], spacing=[3.0, 0.8, 0.8], transpose=[0, 1, 2],
            schemes=["CTNormalization"],
            kwargs=dict(n_stages=3, features_per_stage=[4, 8, 16], kernel_sizes=[[1, 3, 3], [3, 3, 3], [3, 3, 3]],
                        strides=[[1, 1, 1], [1, 2, 2], [2, 2, 2]], n_conv_per_stage=[2, 2, 2],
                        n_conv_per_stage_decoder=[2, 2], **COMMON))
    if name == "small-resenc":
        return dict(
            dataset="Dataset902_SmallResEnc", cls="ResidualEncoderUNet", channels={"0": "CT"},
            labels=["liver", "aorta"], ignore=True, folds=folds or 1,
            patch=[8, 16, 24], spacing=[1.5, 1.0, 2.0], transpose=[2, 0, 1],
            schemes=["CTNormalization"],
            kwargs=dict(n_stages=4, features_per_stage=[4, 8, 8, 16], kernel_sizes=[[3, 3, 3]] * 4,
                        strides=[[1, 1, 1], [2, 2, 2], [2, 2, 2], [1, 2, 2]], n_blocks_per_stage=[1, 2, 2, 2],
                        n_conv_per_stage_decoder=[1, 1, 1], **COMMON))
    if name == "benchmark":
        names = structure_names(classes)
        return dict(
            dataset="Dataset999_Benchmark", cls="PlainConvUNet", channels={"0": "CT"},
            labels=names, ignore=False, folds=folds or 5,
            patch=[128, 128, 128], spacing=[1.5, 1.5, 1.5], transpose=[0, 1, 2],
            schemes=["CTNormalization"],
            kwargs=dict(n_stages=6, features_per_stage=[32, 64, 128, 256, 320, 320], kernel_sizes=[[3, 3, 3]] * 6,
                        strides=[[1, 1, 1]] + [[2, 2, 2]] * 5, n_conv_per_stage=[2] * 6,
                        n_conv_per_stage_decoder=[2] * 5, **COMMON))
    raise SystemExit(f"unknown preset {name}")


def structure_names(n):
    """The first n structure names of the built-in segment code table (so the import finds their codes)."""
    with open(CODES_CSV) as f:
        names = [row["name"] for row in csv.DictReader(line for line in f if not line.startswith("#"))]
    if n > len(names):
        raise SystemExit(f"--classes {n}: the code table has {len(names)} structures")
    return names[:n]


def randomise(network, generator):
    """Default conv init, plus random affine parameters of the norms (so that they matter in the check)."""
    with torch.no_grad():
        for m in network.modules():
            if isinstance(m, (torch.nn.InstanceNorm3d, torch.nn.BatchNorm3d)) and m.affine:
                m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=generator))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=generator))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", required=True, choices=["small-plain", "small-resenc", "benchmark"])
    p.add_argument("--out", required=True)
    p.add_argument("--classes", type=int, default=3, help="benchmark: foreground classes (105 = TotalSegmentator)")
    p.add_argument("--folds", type=int, default=None)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--first-plans-format", action="store_true",
                   help="plans.json as nnU-Net v2's first releases wrote it (UNet_class_name, ..., no 'architecture')")
    args = p.parse_args()
    spec = preset(args.preset, args.classes, args.folds)

    labels = {"background": 0}
    for i, n in enumerate(spec["labels"]):
        labels[n] = i + 1
    if spec["ignore"]:
        labels["ignore"] = len(spec["labels"]) + 1
    dataset = {"channel_names": spec["channels"], "labels": labels, "numTraining": 10, "file_ending": ".nii.gz"}
    channels = len(spec["channels"])
    class_name = "dynamic_network_architectures.architectures.unet." + spec["cls"]
    config = {
        "data_identifier": "nnUNetPlans_3d_fullres", "preprocessor_name": "DefaultPreprocessor", "batch_size": 2,
        "patch_size": spec["patch"], "median_image_size_in_voxels": [s * 4 for s in spec["patch"]],
        "spacing": spec["spacing"], "normalization_schemes": spec["schemes"], "use_mask_for_norm": [False] * channels,
        "resampling_fn_data": "resample_data_or_seg_to_shape",
        "resampling_fn_seg": "resample_data_or_seg_to_shape",
        "resampling_fn_data_kwargs": {"is_seg": False, "order": 3, "order_z": 0, "force_separate_z": None},
        "resampling_fn_seg_kwargs": {"is_seg": True, "order": 1, "order_z": 0, "force_separate_z": None},
        "resampling_fn_probabilities": "resample_data_or_seg_to_shape",
        "resampling_fn_probabilities_kwargs": {"is_seg": False, "order": 1, "order_z": 0, "force_separate_z": None},
        "architecture": {"network_class_name": class_name, "arch_kwargs": spec["kwargs"],
                         "_kw_requires_import": ["conv_op", "norm_op", "dropout_op", "nonlin"]},
        "batch_dice": False,
    }
    props = {}
    for c in range(channels):
        props[str(c)] = {"max": 3000.0, "mean": 80.5 + 10 * c, "median": 70.0, "min": -1024.0,
                         "percentile_00_5": -980.0 + c, "percentile_99_5": 1450.0 - c, "std": 170.25 + c}
    plans = {
        "dataset_name": spec["dataset"], "plans_name": "nnUNetPlans",
        "original_median_spacing_after_transp": spec["spacing"],
        "original_median_shape_after_transp": [s * 4 for s in spec["patch"]],
        "image_reader_writer": "SimpleITKIO", "transpose_forward": spec["transpose"],
        "transpose_backward": [spec["transpose"].index(i) for i in range(3)],
        "configurations": {"3d_fullres": config,
                           "3d_lowres": {"inherits_from": "3d_fullres", "spacing": [s * 2 for s in spec["spacing"]],
                                         "data_identifier": "nnUNetPlans_3d_lowres"}},
        "experiment_planner_used": "ExperimentPlanner", "label_manager": "LabelManager",
        "foreground_intensity_properties_per_channel": props,
    }
    if args.first_plans_format:
        kw = spec["kwargs"]
        base = kw["features_per_stage"][0]
        if [min(base * 2 ** i, kw["features_per_stage"][-1]) for i in range(kw["n_stages"])] != kw["features_per_stage"]:
            raise SystemExit("--first-plans-format: this preset's widths do not double from the first")
        del config["architecture"]
        config.update({"UNet_class_name": spec["cls"], "UNet_base_num_features": base,
                       "unet_max_num_features": kw["features_per_stage"][-1],
                       "n_conv_per_stage_encoder": kw.get("n_conv_per_stage", kw.get("n_blocks_per_stage")),
                       "n_conv_per_stage_decoder": kw["n_conv_per_stage_decoder"],
                       "conv_kernel_sizes": kw["kernel_sizes"], "pool_op_kernel_sizes": kw["strides"],
                       "num_pool_per_axis": [sum(1 for s in kw["strides"] if s[a] > 1) for a in range(3)]})
    folder = os.path.join(args.out, spec["dataset"], "nnUNetTrainer__nnUNetPlans__3d_fullres")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "dataset.json"), "w") as f:
        json.dump(dataset, f, indent=4)
    with open(os.path.join(folder, "plans.json"), "w") as f:
        json.dump(plans, f, indent=4)

    generator = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    for fold in range(spec["folds"]):
        network = build_network(class_name, spec["kwargs"], channels, len(labels) - (1 if spec["ignore"] else 0))
        randomise(network, generator)
        weights = network.state_dict()
        missing = [k for k in EXPECTED_KEYS.get(args.preset, []) if k not in weights]
        if missing:
            raise SystemExit(f"the rebuilt network lacks nnU-Net's state-dict keys {missing}")
        checkpoint = {
            "network_weights": weights, "optimizer_state": None, "grad_scaler_state": None,
            "logging": {}, "_best_ema": None, "current_epoch": 1000,
            "init_args": {"plans": plans, "configuration": "3d_fullres", "fold": fold, "dataset_json": dataset,
                          "device": "cpu"},
            "trainer_name": "nnUNetTrainer", "inference_allowed_mirroring_axes": (0, 1, 2),
        }
        os.makedirs(os.path.join(folder, f"fold_{fold}"), exist_ok=True)
        torch.save(checkpoint, os.path.join(folder, f"fold_{fold}", "checkpoint_final.pth"))
    print(folder)


if __name__ == "__main__":
    main()
