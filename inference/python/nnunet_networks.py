"""nnU-Net v2's two U-Nets (PlainConvUNet, ResidualEncoderUNet of MIC-DKFZ/dynamic-network-architectures),
rebuilt from plans.json with plain torch so that a checkpoint's ``network_weights`` load strictly.

Written here from reading the structure of the original: the module names and nesting are what the state
dict keys follow, so they are kept exactly (``encoder.stages.S.0.convs.I.conv``, ``all_modules`` holding the
same layers again, the decoder holding the encoder as ``decoder.encoder``, ``seg_layers`` for every decoder
stage). Only inference is needed: no deep supervision, no weight initialisation, 3D convolutions only.
"""
import torch
from torch import nn

# plans.json names classes by import path; only these are accepted (no arbitrary imports from a plans file)
CONV_OPS = {"torch.nn.modules.conv.Conv3d": nn.Conv3d, "torch.nn.Conv3d": nn.Conv3d}
NORM_OPS = {
    "torch.nn.modules.instancenorm.InstanceNorm3d": nn.InstanceNorm3d, "torch.nn.InstanceNorm3d": nn.InstanceNorm3d,
    "torch.nn.modules.batchnorm.BatchNorm3d": nn.BatchNorm3d, "torch.nn.BatchNorm3d": nn.BatchNorm3d,
}
NONLINS = {
    "torch.nn.LeakyReLU": nn.LeakyReLU, "torch.nn.modules.activation.LeakyReLU": nn.LeakyReLU,
    "torch.nn.ReLU": nn.ReLU, "torch.nn.modules.activation.ReLU": nn.ReLU,
    "torch.nn.GELU": nn.GELU, "torch.nn.modules.activation.GELU": nn.GELU,
}
DROPOUTS = {"torch.nn.Dropout3d": nn.Dropout3d, "torch.nn.modules.dropout.Dropout3d": nn.Dropout3d,
            "torch.nn.Dropout": nn.Dropout, "torch.nn.modules.dropout.Dropout": nn.Dropout}


class PlansError(ValueError):
    """plans.json describes something this rebuild does not support or is malformed."""


def _triple(v):
    return [int(v)] * 3 if isinstance(v, (int, float)) else [int(i) for i in v]


def _per_stage(v, n, field):
    out = [v] * n if not isinstance(v, (list, tuple)) else list(v)
    if len(out) != n:
        raise PlansError(f"arch_kwargs.{field}: expected {n} entries, found {len(out)}")
    return out


class ConvNormAct(nn.Module):
    """conv, optional dropout, optional norm, optional nonlinearity; ``all_modules`` runs them in that order
    (norm and nonlinearity swapped when ``nonlin_first``)."""

    def __init__(self, ops, cin, cout, kernel, stride, bias, with_nonlin=True, with_dropout=True, nonlin_first=False):
        super().__init__()
        kernel, stride = _triple(kernel), _triple(stride)
        self.conv = ops.conv(cin, cout, kernel, stride, padding=[(k - 1) // 2 for k in kernel], dilation=1, bias=bias)
        seq = [self.conv]
        if with_dropout and ops.dropout is not None:
            self.dropout = ops.dropout(**ops.dropout_kwargs)
            seq.append(self.dropout)
        if ops.norm is not None:
            self.norm = ops.norm(cout, **ops.norm_kwargs)
            seq.append(self.norm)
        if with_nonlin and ops.nonlin is not None:
            self.nonlin = ops.nonlin(**ops.nonlin_kwargs)
            seq.append(self.nonlin)
        if nonlin_first and ops.norm is not None and with_nonlin and ops.nonlin is not None:
            seq[-1], seq[-2] = seq[-2], seq[-1]
        self.all_modules = nn.Sequential(*seq)

    def forward(self, x):
        return self.all_modules(x)


class ConvStack(nn.Module):
    """``convs``: n ConvNormAct, the first with the stage's stride."""

    def __init__(self, ops, n, cin, cout, kernel, stride, bias, nonlin_first=False):
        super().__init__()
        self.convs = nn.Sequential(*[
            ConvNormAct(ops, cin if i == 0 else cout, cout, kernel, stride if i == 0 else 1, bias, nonlin_first=nonlin_first)
            for i in range(n)])

    def forward(self, x):
        return self.convs(x)


class BasicResidualBlock(nn.Module):
    """ResNet-D basic block: conv1 (with nonlinearity), conv2 (without), skip = [avg-pool if strided,
    1x1 conv + norm if the width changes], sum, nonlinearity."""

    def __init__(self, ops, cin, cout, kernel, stride, bias):
        super().__init__()
        stride = _triple(stride)
        self.conv1 = ConvNormAct(ops, cin, cout, kernel, stride, bias)
        self.conv2 = ConvNormAct(ops, cout, cout, kernel, 1, bias, with_nonlin=False, with_dropout=False)
        self.nonlin2 = ops.nonlin(**ops.nonlin_kwargs) if ops.nonlin is not None else nn.Identity()
        strided = any(s != 1 for s in stride)
        skip = []
        if strided:
            skip.append(nn.AvgPool3d(stride, stride))
        if cin != cout:
            skip.append(ConvNormAct(ops, cin, cout, 1, 1, False, with_nonlin=False, with_dropout=False))
        self.skip = nn.Sequential(*skip) if skip else nn.Identity()

    def forward(self, x):
        return self.nonlin2(self.conv2(self.conv1(x)) + self.skip(x))


class ResidualStage(nn.Module):
    def __init__(self, ops, n, cin, cout, kernel, stride, bias):
        super().__init__()
        self.blocks = nn.Sequential(*[
            BasicResidualBlock(ops, cin if i == 0 else cout, cout, kernel, stride if i == 0 else 1, bias) for i in range(n)])

    def forward(self, x):
        return self.blocks(x)


class PlainEncoder(nn.Module):
    def __init__(self, ops, cin, features, kernels, strides, n_convs, bias, nonlin_first):
        super().__init__()
        stages = []
        for s in range(len(features)):
            stages.append(nn.Sequential(ConvStack(ops, n_convs[s], cin, features[s], kernels[s], strides[s], bias, nonlin_first)))
            cin = features[s]
        self.stages = nn.Sequential(*stages)

    def forward(self, x):
        skips = []
        for stage in self.stages:
            x = stage(x)
            skips.append(x)
        return skips


class ResidualEncoder(nn.Module):
    def __init__(self, ops, cin, features, kernels, strides, n_blocks, bias, stem_channels):
        super().__init__()
        stem_channels = stem_channels or features[0]
        self.stem = ConvStack(ops, 1, cin, stem_channels, kernels[0], 1, bias)
        cin = stem_channels
        stages = []
        for s in range(len(features)):
            stages.append(ResidualStage(ops, n_blocks[s], cin, features[s], kernels[s], strides[s], bias))
            cin = features[s]
        self.stages = nn.Sequential(*stages)

    def forward(self, x):
        x = self.stem(x)
        skips = []
        for stage in self.stages:
            x = stage(x)
            skips.append(x)
        return skips


class Decoder(nn.Module):
    """Transposed conv up, concatenate the skip, conv stack; the segmentation layer of the last stage gives the
    output. ``encoder`` is registered here too (the checkpoint holds its weights twice)."""

    def __init__(self, ops, encoder, features, kernels, strides, n_convs, num_classes, bias, nonlin_first):
        super().__init__()
        self.encoder = encoder
        stages, ups, segs = [], [], []
        for s in range(1, len(features)):
            below, skip = features[-s], features[-(s + 1)]
            stride = _triple(strides[-s])
            ups.append(nn.ConvTranspose3d(below, skip, stride, stride, bias=bias))
            stages.append(ConvStack(ops, n_convs[s - 1], 2 * skip, skip, kernels[-(s + 1)], 1, bias, nonlin_first))
            segs.append(nn.Conv3d(skip, num_classes, 1, 1, 0, bias=True))
        self.stages = nn.ModuleList(stages)
        self.transpconvs = nn.ModuleList(ups)
        self.seg_layers = nn.ModuleList(segs)

    def forward(self, skips):
        x = skips[-1]
        for s in range(len(self.stages)):
            x = self.stages[s](torch.cat((self.transpconvs[s](x), skips[-(s + 2)]), 1))
        return self.seg_layers[-1](x)


class UNet(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, x):
        return self.decoder(self.encoder(x))


class _Ops:
    def __init__(self, kw):
        def pick(table, field):
            name = kw.get(field)
            if name is None:
                return None
            if name not in table:
                raise PlansError(f"arch_kwargs.{field} = {name!r} is not supported (supported: {sorted(table)})")
            return table[name]

        self.conv = pick(CONV_OPS, "conv_op")
        if self.conv is None:
            raise PlansError("arch_kwargs.conv_op is missing")
        self.norm = pick(NORM_OPS, "norm_op")
        self.norm_kwargs = dict(kw.get("norm_op_kwargs") or {})
        self.dropout = pick(DROPOUTS, "dropout_op")
        self.dropout_kwargs = dict(kw.get("dropout_op_kwargs") or {})
        self.nonlin = pick(NONLINS, "nonlin")
        self.nonlin_kwargs = dict(kw.get("nonlin_kwargs") or {})
        # in-place activations are fine in PyTorch but make the traced graph harder to read; results are the same
        self.nonlin_kwargs.pop("inplace", None)


def build_network(class_name, arch_kwargs, input_channels, num_classes):
    """The network plans.json's ``architecture`` describes (``network_class_name``, ``arch_kwargs``)."""
    short = class_name.rsplit(".", 1)[-1]
    kw = dict(arch_kwargs)
    for field in ("n_stages", "features_per_stage", "kernel_sizes", "strides", "n_conv_per_stage_decoder"):
        if field not in kw:
            raise PlansError(f"arch_kwargs.{field} is missing")
    n = int(kw["n_stages"])
    ops = _Ops(kw)
    features = [int(f) for f in _per_stage(kw["features_per_stage"], n, "features_per_stage")]
    kernels = [_triple(k) for k in _per_stage(kw["kernel_sizes"], n, "kernel_sizes")]
    strides = [_triple(s) for s in _per_stage(kw["strides"], n, "strides")]
    dec_convs = [int(c) for c in _per_stage(kw["n_conv_per_stage_decoder"], n - 1, "n_conv_per_stage_decoder")]
    bias = bool(kw.get("conv_bias", False))
    if kw.get("deep_supervision"):
        pass  # only the full-resolution output is used at inference; the other seg_layers still load
    if short == "PlainConvUNet":
        if "n_conv_per_stage" not in kw:
            raise PlansError("arch_kwargs.n_conv_per_stage is missing")
        nonlin_first = bool(kw.get("nonlin_first", False))
        enc = PlainEncoder(ops, input_channels, features, kernels, strides,
                           [int(c) for c in _per_stage(kw["n_conv_per_stage"], n, "n_conv_per_stage")], bias, nonlin_first)
        return UNet(enc, Decoder(ops, enc, features, kernels, strides, dec_convs, num_classes, bias, nonlin_first))
    if short == "ResidualEncoderUNet":
        if "n_blocks_per_stage" not in kw:
            raise PlansError("arch_kwargs.n_blocks_per_stage is missing")
        block = kw.get("block")
        if block is not None and not str(block).endswith("BasicBlockD"):
            raise PlansError(f"arch_kwargs.block = {block!r}: only BasicBlockD is supported")
        enc = ResidualEncoder(ops, input_channels, features, kernels, strides,
                              [int(b) for b in _per_stage(kw["n_blocks_per_stage"], n, "n_blocks_per_stage")], bias,
                              kw.get("stem_channels"))
        return UNet(enc, Decoder(ops, enc, features, kernels, strides, dec_convs, num_classes, bias, False))
    raise PlansError(f"architecture.network_class_name = {class_name!r}: only PlainConvUNet and ResidualEncoderUNet "
                     "are supported")


def inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return inv


class ZyxNetwork(nn.Module):
    """The network with nnU-Net's ``transpose_forward`` built in, so that it takes and returns [N, C, Z, Y, X]."""

    def __init__(self, network, transpose_forward):
        super().__init__()
        self.network = network
        self.forward_perm = [0, 1] + [2 + t for t in transpose_forward]
        self.backward_perm = [0, 1] + [2 + t for t in inverse(transpose_forward)]
        self.identity = list(transpose_forward) == [0, 1, 2]

    def forward(self, x):
        if self.identity:
            return self.network(x)
        return self.network(x.permute(*self.forward_perm)).permute(*self.backward_perm)


def package_networks(model_dir, manifest):
    """The ensemble members of a package ``model import-nnunet`` wrote, as PyTorch modules taking [N, C, Z, Y, X]:
    model.json's ``pytorch`` object names the architecture (``class``, ``archKwargs``, ``transposeForward``) and one
    state-dict file per ONNX file (``weights``)."""
    import os
    spec = manifest["pytorch"]
    networks = []
    for file in spec["weights"]:
        network = build_network(spec["class"], spec["archKwargs"], manifest["input"]["channels"],
                                manifest["output"]["channels"])
        network.load_state_dict(torch.load(os.path.join(model_dir, file), map_location="cpu"), strict=True)
        networks.append(ZyxNetwork(network.eval(), spec["transposeForward"]).eval())
    return networks


def conv_flops(network, shape):
    """Floating-point operations (multiply-add = 2) of one forward pass on ``shape`` [N, C, Z, Y, X]."""
    total = [0]

    def conv_hook(m, inp, out):
        k = 1
        for d in m.kernel_size:
            k *= d
        if isinstance(m, nn.ConvTranspose3d):
            total[0] += 2 * inp[0].numel() * m.out_channels // m.groups * k
        else:
            total[0] += 2 * out.numel() * m.in_channels // m.groups * k

    hooks = [m.register_forward_hook(conv_hook) for m in network.modules() if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d))]
    try:
        with torch.no_grad():
            network(torch.zeros(shape))
    finally:
        for h in hooks:
            h.remove()
    return total[0] // shape[0]
