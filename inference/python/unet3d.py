"""A small 3D U-Net in the shape of Ronneberger et al. (2015), with same-size (padded) convolutions.

Each encoder level has two 3x3x3 convolutions (instance norm + ReLU after each), then 2x2x2 max pooling
and twice the channels on the next level; the decoder upsamples with 2x2x2 transposed convolutions,
concatenates the encoder's skip tensor and applies two more 3x3x3 convolutions; a 1x1x1 convolution
gives one logit per class. Input and output have the same spatial size, which must be divisible by
2^(levels-1).
"""
import torch
from torch import nn


class DoubleConv(nn.Sequential):
    def __init__(self, in_channels, out_channels):
        super().__init__(
            nn.Conv3d(in_channels, out_channels, 3, padding=1),
            nn.InstanceNorm3d(out_channels, affine=True),
            nn.ReLU(inplace=True),
            nn.Conv3d(out_channels, out_channels, 3, padding=1),
            nn.InstanceNorm3d(out_channels, affine=True),
            nn.ReLU(inplace=True),
        )


class UNet3D(nn.Module):
    def __init__(self, in_channels=1, classes=3, base_channels=8, levels=3, max_channels=None):
        super().__init__()
        if levels < 2:
            raise ValueError("levels must be at least 2")
        # max_channels caps the width of the deep levels, as nnU-Net does (320)
        widths = [base_channels * 2 ** i if max_channels is None else min(base_channels * 2 ** i, max_channels)
                  for i in range(levels)]
        self.encoders = nn.ModuleList()
        previous = in_channels
        for width in widths:
            self.encoders.append(DoubleConv(previous, width))
            previous = width
        self.pool = nn.MaxPool3d(2)
        self.upsamplers = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for level in reversed(range(levels - 1)):
            width = widths[level]
            self.upsamplers.append(nn.ConvTranspose3d(widths[level + 1], width, 2, stride=2))
            self.decoders.append(DoubleConv(width * 2, width))
        self.head = nn.Conv3d(widths[0], classes, 1)

    def forward(self, x):
        skips = []
        for i, encoder in enumerate(self.encoders):
            if i > 0:
                x = self.pool(x)
            x = encoder(x)
            skips.append(x)
        skips.pop()  # the deepest level feeds the decoder directly
        for upsample, decoder in zip(self.upsamplers, self.decoders):
            x = decoder(torch.cat([skips.pop(), upsample(x)], dim=1))
        return self.head(x)


def conv_flops(model, patch_size, in_channels=1):
    """Floating-point operations (2 per multiply-add) of all convolutions for one window of `patch_size`.

    Counts Conv3d and ConvTranspose3d only (bias adds included as one op per output value);
    norms, activations and pooling are a few ops per voxel and left out.
    """
    total = 0

    def count(module, inputs, output):
        nonlocal total
        kernel = 1
        for k in module.kernel_size:
            kernel *= k
        if isinstance(module, nn.ConvTranspose3d):
            # every input voxel is scattered through the kernel to every output channel
            macs = inputs[0][0].numel() * module.out_channels * kernel // module.groups
        else:
            macs = output[0].numel() * (module.in_channels // module.groups) * kernel
        total += 2 * macs + (output[0].numel() if module.bias is not None else 0)

    hooks = [m.register_forward_hook(count) for m in model.modules()
             if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d))]
    try:
        with torch.inference_mode():
            model(torch.zeros(1, in_channels, *patch_size))
    finally:
        for h in hooks:
            h.remove()
    return total
