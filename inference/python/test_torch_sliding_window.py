"""Self-check of torch_sliding_window.py and the committed demo model.

    python3 -m unittest discover -s inference/python -p 'test_*.py'
"""
import json
import math
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synthetic_ct  # noqa: E402
import torch_sliding_window as sw  # noqa: E402

DEMO_MODEL = HERE.parent.parent / "models" / "demo-abdomen-unet"


class CentreCropLogits(torch.nn.Module):
    """A position-independent 'network': logits (x, -x) per voxel, cropped by `margin` like a valid-convolution
    net. Every tile then predicts the same value for a voxel, so the blended probability must equal
    softmax((x, -x)) = sigmoid(2x) exactly where the tiling, padding and cropping are right."""

    def __init__(self, margin):
        super().__init__()
        self.margin = margin

    def forward(self, x):
        mz, my, mx = self.margin
        x = x[:, :, mz:x.shape[2] - mz, my:x.shape[3] - my, mx:x.shape[4] - mx]
        return torch.cat([x, -x], dim=1)


def manifest(patch, output_patch=None, overlap=0.5, padding=None, batch_size=3):
    return {"patchSize": patch, "outputPatchSize": output_patch or patch, "targetSpacing": "native",
            "normalization": {"kind": "none"}, "padding": padding or {"kind": "constant", "value": 0.0},
            "overlap": overlap, "blending": "gaussian", "mirrorAxes": [], "batchSize": batch_size,
            "output": {"channels": 2, "kind": "softmax"}}


class TilingTest(unittest.TestCase):

    def test_tiles_cover_the_region_and_the_last_is_flush_with_the_border(self):
        for length in range(1, 200, 7):
            for patch in (16, 32, 64):
                for overlap in (0.0, 0.25, 0.5, 0.75):
                    starts = sw.tile_starts(length, patch, overlap)
                    self.assertEqual(starts[0], 0)
                    if length <= patch:
                        self.assertEqual(starts, [0])
                        continue
                    self.assertEqual(starts[-1], length - patch, (length, patch, overlap))
                    covered = np.zeros(length, bool)
                    for s in starts:
                        covered[s:s + patch] = True
                    self.assertTrue(covered.all(), (length, patch, overlap, starts))
                    step = max(np.diff(starts))
                    self.assertLessEqual(step, math.ceil(patch * (1 - overlap)), (length, patch, overlap, starts))

    def test_tile_count_follows_the_contract(self):
        # n = ceil((S - P) / (P (1 - overlap))) + 1; 143 voxels, patch 64, overlap 0.5: ceil(79 / 32) + 1 = 4
        self.assertEqual(sw.tile_starts(143, 64, 0.5), [0, 26, 53, 79])
        self.assertEqual(sw.tile_starts(120, 32, 0.5), [0, 15, 29, 44, 59, 73, 88])

    def test_gaussian_importance_map(self):
        w = sw.importance_map([8, 16, 12], "gaussian")
        self.assertEqual(w.shape, (8, 16, 12))
        self.assertAlmostEqual(float(w.max()), 1.0, places=6)
        self.assertGreaterEqual(float(w.min()), 1e-3)
        np.testing.assert_array_equal(w, w[::-1, ::-1, ::-1])
        # sigma = P / 8: one voxel off centre along z (P = 8, centre 3.5) against the centre pair
        expected = math.exp(-(1.5 ** 2) / 2) / math.exp(-(0.5 ** 2) / 2)
        self.assertAlmostEqual(float(w[2, 7, 5] / w[3, 7, 5]), expected, places=5)

    def test_mirror_padding_reflects_without_repeating_the_edge(self):
        np.testing.assert_array_equal(sw.reflect_indices(4, 2, 3), [2, 1, 0, 1, 2, 3, 2, 1, 0])
        a = np.arange(5)
        np.testing.assert_array_equal(a[sw.reflect_indices(5, 3, 4)], np.pad(a, (3, 4), mode="reflect"))
        # wider than the axis: keeps reflecting
        np.testing.assert_array_equal(sw.reflect_indices(3, 5, 0), [1, 0, 1, 2, 1, 0, 1, 2])

    def test_resampling_sizes_round_half_up_and_nearest_neighbour_inverse(self):
        self.assertEqual(sw.resampled_shape((300, 512, 512), (1.0, 0.7, 0.7), {"targetSpacing": (2.5, 2.5, 2.5)}), (120, 143, 143))
        self.assertEqual(sw.resampled_shape((5, 1, 3), (1.0, 1.0, 1.0), {"targetSpacing": (2.0, 4.0, 2.0)}), (3, 1, 2))  # 2.5 -> 3
        for n_in, n_out in ((512, 143), (143, 512), (7, 3), (3, 7), (1, 1), (5, 1)):
            got = sw.nearest_source_indices(n_in, n_out)
            ratio = (n_out - 1) / (n_in - 1) if n_in > 1 else 0.0
            expected = [math.floor(j * ratio + 0.5) for j in range(n_in)]
            np.testing.assert_array_equal(got, expected)
            self.assertTrue(0 <= got.min() and got.max() <= n_out - 1)


    def test_nnunet_rounds_half_to_even_and_pixel_centre_labels_go_back_to_the_nearest_centre(self):
        nnunet = {"targetSpacing": (2.0, 2.0, 2.0), "resampling": {"image": "nnunet"}}
        self.assertEqual(sw.resampled_shape((5, 7, 9), (1.0, 1.0, 1.0), nnunet), (2, 4, 4))  # 2.5 -> 2, 3.5 -> 4, 4.5 -> 4
        self.assertEqual(sw.resampled_shape((5, 7, 9), (1.0, 1.0, 1.0), {"targetShape": [3, 4, 5]}), (3, 4, 5))
        for n_in, n_out in ((512, 143), (143, 512), (7, 3), (3, 7), (1, 1), (5, 1), (1, 4)):
            got = sw.nearest_source_indices(n_in, n_out, pixel_centres=True)
            centres = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5  # source coordinate of each model voxel
            for j, i in enumerate(got):
                distance = abs(centres[i] - j)
                self.assertTrue(all(distance <= abs(c - j) + 1e-9 for c in centres), (n_in, n_out, j))

    def test_separate_z_follows_nnunets_rule(self):
        import nnunet_preprocess as nn
        self.assertEqual(nn.low_resolution_axis((4.0, 0.7, 0.7), (2.0, 1.0, 1.0)), 0)  # the source decides
        self.assertEqual(nn.low_resolution_axis((1.0, 1.0, 1.0), (1.0, 1.0, 3.5)), 2)  # else the target
        self.assertIsNone(nn.low_resolution_axis((1.0, 1.0, 1.0), (3.0, 1.0, 1.0)))    # 3 is not > 3
        self.assertIsNone(nn.low_resolution_axis((4.0, 4.0, 1.0), (1.0, 1.0, 4.0)))    # two low-resolution axes


class BlendingTest(unittest.TestCase):
    """With a position-independent network the blended probability is known exactly at every voxel."""

    def check(self, shape, patch, output_patch=None, padding=None):
        rng = np.random.default_rng(3)
        volume = rng.standard_normal(shape).astype(np.float32)
        margin = [(p - o) // 2 for p, o in zip(patch, output_patch or patch)]
        labels, probabilities = sw.segment(CentreCropLogits(margin), manifest(patch, output_patch, padding=padding),
                                           volume, (1.0, 1.0, 1.0))
        self.assertEqual(labels.shape, shape)
        self.assertEqual(probabilities.shape, (2, *shape))
        np.testing.assert_allclose(probabilities[0], 1 / (1 + np.exp(-2.0 * volume)), atol=2e-6)
        np.testing.assert_array_equal(labels, (volume < 0).astype(np.uint8))

    def test_same_size_model_odd_sizes(self):
        self.check((37, 29, 51), [16, 16, 16])

    def test_volume_smaller_than_a_patch(self):
        self.check((5, 9, 30), [8, 16, 16])
        self.check((5, 9, 30), [8, 16, 16], padding={"kind": "mirror"})

    def test_valid_convolution_model(self):
        self.check((23, 31, 17), [12, 20, 16], [8, 12, 8])
        self.check((3, 31, 5), [12, 20, 16], [8, 12, 8], padding={"kind": "mirror"})


class ChannelMix(torch.nn.Module):
    """A position-independent two-channel 'network': per voxel logits (s n0, s n1, -s n0, 0.3) of the two
    normalised input channels n0, n1, so every tile, flip and member predicts a known value per voxel."""

    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        n0, n1 = x[:, 0:1], x[:, 1:2]
        return torch.cat([self.scale * n0, self.scale * n1, -self.scale * n0, torch.full_like(n0, 0.3)], dim=1)


class Version2Test(unittest.TestCase):
    """Input channels with their own normalisations, ct-percentile-zscore, label channels and ensembles,
    against the per-voxel values computed here in float64."""

    WINDOW = {"kind": "ct-window", "window": [-150, 250]}
    PERCENTILE = {"kind": "ct-percentile-zscore", "percentile_00_5": -50.0, "percentile_99_5": 80.0,
                  "mean": 10.0, "std": 30.0}

    def run_case(self, kind, labels, scales):
        rng = np.random.default_rng(7)
        volume = (rng.standard_normal((9, 13, 11)) * 100).astype(np.float32)
        m = manifest([8, 8, 8])
        m.update({"input": {"name": "image", "channels": 2}, "normalization": [self.WINDOW, self.PERCENTILE],
                  "output": {"channels": 4, "kind": kind}, "labels": labels, "mirrorAxes": ["x", "z"]})
        got_labels, got = sw.segment([ChannelMix(s) for s in scales], m, volume, (1.0, 1.0, 1.0))
        v = volume.astype(np.float64)
        n0 = (np.clip(v, -150, 250) + 150) / 400
        n1 = (np.clip(v, -50, 80) - 10) / 30
        expected = 0
        for s in scales:
            logits = np.stack([s * n0, s * n1, -s * n0, np.full_like(n0, 0.3)])
            if kind == "softmax":
                e = np.exp(logits - logits.max(axis=0))
                expected = expected + e / e.sum(axis=0)
            else:
                expected = expected + 1 / (1 + np.exp(-logits))
        expected = expected / len(scales)
        np.testing.assert_allclose(got, expected, atol=2e-6)
        return got_labels, expected

    def test_two_windows_label_channels_and_an_ensemble_of_three(self):
        labels = [{"value": 200, "channel": 1}, {"value": 7, "channel": 3}]
        got, p = self.run_case("softmax", labels, [1.0, -0.5, 2.0])
        lut = np.array([0, 200, 0, 7])
        np.testing.assert_array_equal(got, lut[p.argmax(axis=0)])
        self.assertTrue((got == 200).any() and (got == 7).any() and (got == 0).any())
        self.assertEqual(got.dtype, np.uint8)

    def test_sigmoid_label_channels(self):
        got, p = self.run_case("sigmoid", [{"value": 255, "channel": 0}, {"value": 3, "channel": 1}], [1.5, 0.5])
        best = p.argmax(axis=0)
        expected = np.where(p.max(axis=0) > 0.5, np.array([255, 3, 0, 0])[best], 0)
        np.testing.assert_array_equal(got, expected)
        self.assertTrue((got == 255).any() and (got == 3).any())

    def test_default_label_rule_without_channel_fields(self):
        self.assertEqual(list(sw.label_values({"output": {"channels": 3, "kind": "softmax"},
                                               "labels": [{"value": 1}, {"value": 2}]})), [0, 1, 2])
        self.assertEqual(list(sw.label_values({"output": {"channels": 2, "kind": "sigmoid"},
                                               "labels": [{"value": 1}, {"value": 2}]})), [1, 2])


@unittest.skipUnless((DEMO_MODEL / "model.json").is_file(), f"no demo model package at {DEMO_MODEL}")
class DemoModelTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(2)
        cls.manifest = sw.load_manifest(DEMO_MODEL)
        cls.network = sw.load_networks(DEMO_MODEL, cls.manifest)

    def test_segments_the_standard_phantom_at_anisotropic_spacing(self):
        spacing = (3.0, 2.0, 2.0)
        hu, truth = synthetic_ct.standard_phantom((40, 160, 160), spacing, noise_sigma=10.0, seed=11)
        labels, probabilities = sw.segment(self.network, self.manifest, hu, spacing)
        self.assertEqual(labels.shape, hu.shape)
        self.assertEqual(probabilities.shape, (3, 48, 128, 128))
        np.testing.assert_allclose(probabilities.sum(axis=0), 1.0, atol=1e-5)
        self.assertGreater(synthetic_ct.dice(labels, truth, 1), 0.85)
        self.assertGreater(synthetic_ct.dice(labels, truth, 2), 0.6)

    def test_command_line_writes_labels_probabilities_and_timings(self):
        spacing = (2.5, 2.5, 2.5)
        hu, truth = synthetic_ct.standard_phantom((36, 128, 128), spacing, noise_sigma=10.0, seed=5)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            np.save(tmp / "vol.npy", hu)
            subprocess.run([sys.executable, str(HERE / "torch_sliding_window.py"), "--model", str(DEMO_MODEL),
                            "--input", str(tmp / "vol.npy"), "--spacing", *map(str, spacing),
                            "--out", str(tmp / "labels.npy"), "--probabilities-out", str(tmp / "probs.npy"),
                            "--timings-out", str(tmp / "timings.json"), "--threads", "2"],
                           check=True, capture_output=True)
            labels = np.load(tmp / "labels.npy")
            probabilities = np.load(tmp / "probs.npy")
            timings = json.loads((tmp / "timings.json").read_text())
        self.assertEqual(labels.dtype, np.uint8)
        self.assertEqual(labels.shape, hu.shape)
        self.assertEqual(probabilities.dtype, np.float32)
        np.testing.assert_array_equal(labels, probabilities.argmax(axis=0))  # same grid at the target spacing
        self.assertGreater(synthetic_ct.dice(labels, truth, 1), 0.85)
        # z: 36 voxels, patch 32 -> ceil(4 / 16) + 1 = 2 tiles; y, x: 128, patch 64 -> ceil(64 / 32) + 1 = 3
        self.assertEqual(timings["windows"], 2 * 3 * 3)
        self.assertEqual(timings["voxels"], hu.size)
        for stage in ("preprocess", "inference", "blending", "postprocess", "total"):
            self.assertGreaterEqual(timings[stage], 0.0)


if __name__ == "__main__":
    unittest.main()
