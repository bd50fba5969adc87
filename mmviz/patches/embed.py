"""Patch embedding: flattened patches -> ``D``-dimensional tokens, and the ``[CLS]`` token.

The linear projection ``x_p E^T + b`` (``linear_patch_embed``) and the stride-``P`` convolution
(``PatchEmbed``) compute the same tokens; ``conv_weight_to_linear`` converts one weight into the
other. Projections here are seeded and untrained: the lesson is about shapes.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from mmviz.patches.grid import patch_grid

__all__ = [
    "linear_patch_embed",
    "conv_weight_to_linear",
    "PatchEmbed",
    "seeded_patch_embed",
    "prepend_cls",
    "seeded_cls_token",
]


def linear_patch_embed(patches: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Project every flattened patch to a ``D``-dimensional token: ``z = x_p E^T + b``.

    Args:
        patches: ``(B, N, P*P*C)`` from :func:`patchify`.
        weight: ``(D, P*P*C)`` projection ``E`` (same layout as ``nn.Linear.weight``).
        bias: ``(D,)``.

    Returns:
        ``(B, N, D)`` patch tokens.
    """
    return patches @ weight.T + bias  # (B, N, P*P*C) @ (P*P*C, D) -> (B, N, D)


def conv_weight_to_linear(w_conv: torch.Tensor) -> torch.Tensor:
    """Rewrite a stride-``P`` convolution kernel as the matrix ``E`` of :func:`linear_patch_embed`.

    The kernel is reordered from ``(D, C, P, P)`` to the ``(P, P, C)`` flattening of
    :func:`patchify`, so ``conv(x)`` and ``patchify(x) @ E^T`` give the same tokens.

    Args:
        w_conv: ``(D, C, P, P)`` convolution weight.

    Returns:
        ``(D, P*P*C)`` linear weight.
    """
    D = w_conv.shape[0]
    return w_conv.permute(0, 2, 3, 1).reshape(D, -1)  # (D, P, P, C) -> (D, P*P*C)


class PatchEmbed(nn.Module):
    """ViT patch embedding as a convolution with kernel ``P`` and stride ``P`` (timm style).

    Each output position of the convolution sees exactly one patch, so this computes the same
    tokens as ``linear_patch_embed(patchify(x, P), conv_weight_to_linear(w), b)``, only faster.

    Args:
        patch_size: ``P``.
        in_chans: ``C``.
        embed_dim: ``D``.
    """

    def __init__(self, patch_size: int = 16, in_chans: int = 3, embed_dim: int = 768):
        super().__init__()
        self.patch_size = patch_size
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Args: x: ``(B, C, H, W)``. Returns: ``(B, N, D)`` tokens in raster order."""
        patch_grid(x.shape[2], x.shape[3], self.patch_size)  # clear error for bad sizes
        x = self.proj(x)  # (B, D, gh, gw)
        return x.flatten(2).transpose(1, 2)  # (B, gh*gw, D)


def seeded_patch_embed(patch_size: int, embed_dim: int, in_chans: int = 3, seed: int = 0) -> PatchEmbed:
    """A :class:`PatchEmbed` with PyTorch's default initialisation drawn from a fixed seed.

    Untrained: the projection only demonstrates the shape ``N x (P*P*C) -> N x D``; trained
    projections appear in the attention lesson. The global RNG is left untouched.

    Returns:
        ``PatchEmbed`` in eval mode.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return PatchEmbed(patch_size, in_chans, embed_dim).eval()


def prepend_cls(tokens: torch.Tensor, cls: torch.Tensor) -> torch.Tensor:
    """Put the learnable ``[CLS]`` token in front of the patch tokens (sequence position 0).

    Args:
        tokens: ``(B, N, D)`` patch tokens.
        cls: ``(1, 1, D)`` class token, shared by every image.

    Returns:
        ``(B, N + 1, D)``.
    """
    B = tokens.shape[0]
    return torch.cat([cls.expand(B, -1, -1), tokens], dim=1)  # (B, 1 + N, D)


def seeded_cls_token(embed_dim: int, seed: int = 0, std: float = 0.02) -> torch.Tensor:
    """An untrained ``[CLS]`` token drawn from ``N(0, std^2)`` with a fixed seed: ``(1, 1, D)``."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(1, 1, embed_dim, generator=g) * std
