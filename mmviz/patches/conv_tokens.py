"""Convolutional tokenizers: a CNN feature map (hybrid ViT) and overlapping convs (CvT).

Also the convolution arithmetic behind them: output size and receptive field of a layer stack.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["conv_out_size", "receptive_field", "HybridStem", "ConvTokenEmbed", "seeded_conv_token_embed"]


# ---------------------------------------------------------------------------------------------
# Convolution arithmetic
# ---------------------------------------------------------------------------------------------
def conv_out_size(n: int, kernel: int, stride: int, padding: int) -> int:
    """Output length of a convolution or pooling along one axis: ``floor((n + 2p - k) / s) + 1``.

    Args:
        n: input length (pixels).
        kernel, stride, padding: ``k``, ``s``, ``p`` of the layer.

    Returns:
        Number of output positions.
    """
    return (n + 2 * padding - kernel) // stride + 1


def receptive_field(layers: list[tuple[int, int, int]]) -> tuple[int, int, float]:
    """Receptive field of one output position of a stack of conv / pooling layers.

    Args:
        layers: ``[(kernel, stride, padding), ...]`` from the input side.

    Returns:
        ``(rf, jump, start)``: the side of the input window one output token sees, the distance
        in input pixels between neighbouring tokens, and the input pixel coordinate of the centre
        of token 0's window (token ``i`` is centred at ``start + i * jump``).
    """
    rf, jump, start = 1, 1, 0.0
    for k, s, p in layers:
        start = start + ((k - 1) / 2 - p) * jump
        rf = rf + (k - 1) * jump
        jump = jump * s
    return rf, jump, start


# ---------------------------------------------------------------------------------------------
# CNN feature map (hybrid ViT)
# ---------------------------------------------------------------------------------------------
def _gabor_edge(theta: float, size: int = 7, sigma: float = 1.5, wavelength: float = 6.0) -> torch.Tensor:
    """An odd (sine) Gabor filter: responds to an edge across direction ``theta``. ``(size, size)``."""
    r = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    y, x = torch.meshgrid(r, r, indexing="ij")
    u = x * math.cos(theta) + y * math.sin(theta)  # coordinate across the edge
    g = torch.exp(-(x**2 + y**2) / (2 * sigma**2)) * torch.sin(2 * math.pi * u / wavelength)
    return g / g.clamp(min=0).sum()  # zero mean; a perfect step edge of height 1 gives ~1


class HybridStem(nn.Module):
    """A small CNN stem that shrinks the image 16 times; its feature map becomes the tokens.

    Layers (ResNet-like): conv 7x7 stride 2 -> ReLU -> max-pool 3x3 stride 2 -> conv 3x3
    stride 2 -> ReLU -> conv 3x3 stride 2. An ``H x W`` image gives an ``H/16 x W/16`` map.

    **Hand-set, untrained stand-in.** Its weights are fixed and explainable, not learned:

    - conv1 holds 24 odd Gabor edge detectors: 3 colour-opponent channels (luminance
      ``(R+G+B)/3``, red-green ``(R-G)/2``, blue-yellow ``B/2 - (R+G)/4``) x 4 orientations
      (0, 45, 90, 135 degrees) x 2 polarities (dark-to-light and light-to-dark; ReLU keeps one
      half each).
    - conv2 and conv3 are channel-wise 3x3 averages (identity across channels), so the map
      still shows where each kind of edge is, just coarser.

    It demonstrates shapes and token counts. A trained ResNet stem (as in the hybrid ViT paper)
    would give far richer features with hundreds of channels.

    Args:
        in_chans: must be 3 (the colour-opponent weights are defined for RGB).
    """

    OPPONENTS = {
        "luminance": (1 / 3, 1 / 3, 1 / 3),
        "red-green": (1 / 2, -1 / 2, 0.0),
        "blue-yellow": (-1 / 4, -1 / 4, 1 / 2),
    }
    ANGLES = (0, 45, 90, 135)
    #: ``(kernel, stride, padding)`` of every spatial layer, for :func:`receptive_field`.
    LAYERS = [(7, 2, 3), (3, 2, 1), (3, 2, 1), (3, 2, 1)]

    def __init__(self, in_chans: int = 3):
        super().__init__()
        if in_chans != 3:
            raise ValueError("HybridStem's hand-set filters are defined for RGB images (3 channels).")
        names, filters = [], []
        for opp, rgb in self.OPPONENTS.items():
            for angle in self.ANGLES:
                edge = _gabor_edge(math.radians(angle))  # (7, 7)
                for sign, pol in ((1.0, "+"), (-1.0, "-")):
                    w = sign * torch.tensor(rgb).view(3, 1, 1) * edge  # (3, 7, 7)
                    filters.append(w)
                    names.append(f"{opp} edge {angle}° {pol}")
        self.channel_names: list[str] = names
        C = len(filters)  # 24
        self.out_chans = C
        self.conv1 = nn.Conv2d(3, C, kernel_size=7, stride=2, padding=3, bias=False)
        self.pool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(C, C, kernel_size=3, stride=2, padding=1, bias=False)
        self.conv3 = nn.Conv2d(C, C, kernel_size=3, stride=2, padding=1, bias=False)
        with torch.no_grad():
            self.conv1.weight.copy_(torch.stack(filters))  # (C, 3, 7, 7)
            average = torch.zeros(C, C, 3, 3)
            average[range(C), range(C)] = 1 / 9  # each channel: 3x3 mean of itself
            self.conv2.weight.copy_(average)
            self.conv3.weight.copy_(average)
        self.requires_grad_(False)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Args: x: ``(B, 3, H, W)``.

        Returns:
            ``(feature_map, tokens)``: ``(B, C', H/16, W/16)`` and ``(B, H/16 * W/16, C')``,
            with ``C' = 24`` (sizes round up when ``H``, ``W`` are not multiples of 16).
        """
        f = F.relu(self.conv1(x))  # (B, C', H/2, W/2)
        f = self.pool(f)  # (B, C', H/4, W/4)
        f = F.relu(self.conv2(f))  # (B, C', H/8, W/8)
        f = self.conv3(f)  # (B, C', H/16, W/16)
        tokens = f.flatten(2).transpose(1, 2)  # (B, H/16 * W/16, C')
        return f, tokens


# ---------------------------------------------------------------------------------------------
# Overlapping convolutional token embedding (CvT stage 1)
# ---------------------------------------------------------------------------------------------
class ConvTokenEmbed(nn.Module):
    """CvT's convolutional token embedding: overlapping conv (k=7, s=4, p=2) then LayerNorm.

    Neighbouring tokens are 4 pixels apart but each sees a 7x7 window, so their windows overlap.

    Args:
        in_chans: ``C``.
        embed_dim: ``D`` (64 in CvT stage 1).
        kernel, stride, padding: the convolution; defaults are CvT stage 1's.
    """

    def __init__(self, in_chans: int = 3, embed_dim: int = 64, kernel: int = 7, stride: int = 4, padding: int = 2):
        super().__init__()
        self.kernel, self.stride, self.padding = kernel, stride, padding
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=kernel, stride=stride, padding=padding)
        self.norm = nn.LayerNorm(embed_dim)

    @property
    def layers(self) -> list[tuple[int, int, int]]:
        """``[(kernel, stride, padding)]`` for :func:`receptive_field`."""
        return [(self.kernel, self.stride, self.padding)]

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, tuple[int, int]]:
        """Args: x: ``(B, C, H, W)``.

        Returns:
            ``(tokens, (H', W'))``: tokens ``(B, H'*W', D)`` with
            ``H' = conv_out_size(H, 7, 4, 2)``, ``W' = conv_out_size(W, 7, 4, 2)``.
        """
        x = self.proj(x)  # (B, D, H', W')
        Hp, Wp = x.shape[2], x.shape[3]
        tokens = self.norm(x.flatten(2).transpose(1, 2))  # (B, H'*W', D)
        return tokens, (Hp, Wp)


def seeded_conv_token_embed(embed_dim: int = 64, seed: int = 0) -> ConvTokenEmbed:
    """An untrained :class:`ConvTokenEmbed` with default init drawn from a fixed seed (eval mode)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return ConvTokenEmbed(3, embed_dim).eval()
