"""Patch embedding: flattened patches -> ``D``-dimensional tokens, and the ``[CLS]`` token.

The linear projection ``x_p E^T + b`` (``linear_patch_embed``) and the stride-``P`` convolution
(``mmviz.models.layers.PatchEmbed``) compute the same tokens; ``conv_weight_to_linear`` converts
one weight into the other.
"""

from __future__ import annotations

import torch

__all__ = [
    "linear_patch_embed",
    "conv_weight_to_linear",
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
