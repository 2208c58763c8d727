#!/usr/bin/env python3
"""Writes the tiny ONNX test models of the inference tests, with their weights as JSON fixtures.

Each model is a small convolution network whose forward pass the Java test suite recomputes in plain
loops from the JSON weights (not through ONNX Runtime). Run with Debian's python3-onnx:

    /usr/bin/python3 inference/src/test/python/make_test_models.py inference/src/test/resources/models
"""
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def conv_layer(rng, c_in, c_out, kernel, pad, relu, scale):
    fan_in = c_in * kernel ** 3
    weight = (rng.standard_normal((c_out, c_in, kernel, kernel, kernel)) * scale / np.sqrt(fan_in)).astype(np.float32)
    bias = (rng.standard_normal(c_out) * 0.3).astype(np.float32)
    return {"weight": weight, "bias": bias, "pad": pad, "relu": relu}


def build(name, layers, out_channels, fixed_shape=None):
    """fixed_shape: (batch, z, y, x) for a model with static dimensions, else all dynamic."""
    nodes, inits = [], []
    current = "image"
    for i, layer in enumerate(layers):
        w, b = f"w{i}", f"b{i}"
        inits += [numpy_helper.from_array(layer["weight"], w), numpy_helper.from_array(layer["bias"], b)]
        k = layer["weight"].shape[2]
        out = "logits" if i == len(layers) - 1 else f"h{i}"
        conv_out = out if not layer["relu"] else f"c{i}"
        nodes.append(helper.make_node("Conv", [current, w, b], [conv_out], kernel_shape=[k, k, k],
                                      pads=[layer["pad"]] * 6))
        if layer["relu"]:
            nodes.append(helper.make_node("Relu", [conv_out], [out]))
        current = out
    in_channels = int(layers[0]["weight"].shape[1])
    if fixed_shape:
        n, z, y, x = fixed_shape
        shrink = sum(2 * (l["weight"].shape[2] // 2 - l["pad"]) for l in layers)
        in_shape = [n, in_channels, z, y, x]
        out_shape = [n, out_channels, z - shrink, y - shrink, x - shrink]
    else:
        in_shape = ["batch", in_channels, "z", "y", "x"]
        out_shape = ["batch", out_channels, "oz", "oy", "ox"]
    graph = helper.make_graph(nodes, name,
                              [helper.make_tensor_value_info("image", TensorProto.FLOAT, in_shape)],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, out_shape)],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_test_models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def fixture(layers):
    return {"layers": [{"shape": list(l["weight"].shape), "weight": [float(v) for v in l["weight"].ravel()],
                        "bias": [float(v) for v in l["bias"]], "pad": l["pad"], "relu": l["relu"]}
                       for l in layers]}


def main(out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240601)
    specs = {
        # same-size: 3x3x3 SAME conv to 4 features, ReLU, 1x1x1 conv mixing them into the classes
        "same_c2": ([conv_layer(rng, 1, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 2, 1, 0, False, 3.0)], 2, None),
        "same_c4": ([conv_layer(rng, 1, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 4, 1, 0, False, 3.0)], 4, None),
        # valid convolutions: two 3x3x3 VALID convs, output = input - 4 per axis
        "valid_c3": ([conv_layer(rng, 1, 4, 3, 0, True, 3.0), conv_layer(rng, 4, 3, 3, 0, False, 3.0)], 3, None),
        # two sigmoid channels (labels 1 and 2)
        "sigmoid_c2": ([conv_layer(rng, 1, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 2, 1, 0, False, 3.0)], 2, None),
        # static shape [1, 1, 8, 8, 8] -> [1, 2, 8, 8, 8], for the manifest/model mismatch checks
        "fixed_c2": ([conv_layer(rng, 1, 2, 3, 1, False, 3.0)], 2, (1, 8, 8, 8)),
        # model package version 2 (added after the others, so that the fixed seed leaves those unchanged):
        # two input channels (two windows of the same CT) to 4 classes, and a second fold of it
        "in2_c4": ([conv_layer(rng, 2, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 4, 1, 0, False, 3.0)], 4, None),
        "in2_c4_fold1": ([conv_layer(rng, 2, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 4, 1, 0, False, 3.0)], 4, None),
        # more folds of same_c2, valid_c3 and sigmoid_c2 for ensembles
        "same_c2_fold1": ([conv_layer(rng, 1, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 2, 1, 0, False, 3.0)], 2, None),
        "same_c2_fold2": ([conv_layer(rng, 1, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 2, 1, 0, False, 3.0)], 2, None),
        "valid_c3_fold1": ([conv_layer(rng, 1, 4, 3, 0, True, 3.0), conv_layer(rng, 4, 3, 3, 0, False, 3.0)], 3, None),
        "sigmoid_c2_fold1": ([conv_layer(rng, 1, 4, 3, 1, True, 3.0), conv_layer(rng, 4, 2, 1, 0, False, 3.0)], 2, None),
    }
    for name, (layers, channels, fixed) in specs.items():
        onnx.save(build(name, layers, channels, fixed), str(out / f"{name}.onnx"))
        (out / f"{name}.weights.json").write_text(json.dumps(fixture(layers)))
        print("wrote", name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "inference/src/test/resources/models")
