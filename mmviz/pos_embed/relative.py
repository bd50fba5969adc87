"""Relative positions (Swin): which learned bias each (query, key) pair of a window uses."""

from __future__ import annotations

import torch

__all__ = ["relative_position_index"]


def relative_position_index(M: int) -> torch.Tensor:
    """Swin's relative position index for an M x M window.

    For tokens i and j of the window (row-major), take the per-axis offsets
    (dy, dx) = coords_i - coords_j, each in [-(M-1), M-1]; shift them to [0, 2M-2] by adding
    M-1; give the row offset a stride of 2M-1 and add: index = (dy + M-1) * (2M-1) + (dx + M-1).
    The index picks one of (2M-1)^2 learned biases added to the attention score of (i, j).

    Args:
        M: window side (tokens per row and column).

    Returns:
        (M*M, M*M) long tensor with values in [0, (2M-1)^2).
    """
    if M <= 0:
        raise ValueError(f"M must be positive, got {M}")
    ys, xs = torch.meshgrid(torch.arange(M), torch.arange(M), indexing="ij")  # (M, M) each
    coords = torch.stack([ys.flatten(), xs.flatten()])  # (2, M*M) row and column of each token
    rel = coords[:, :, None] - coords[:, None, :]  # (2, M*M, M*M) offsets i - j per axis
    rel = rel.permute(1, 2, 0).contiguous()  # (M*M, M*M, 2)
    rel[:, :, 0] += M - 1  # row offset    -> [0, 2M-2]
    rel[:, :, 1] += M - 1  # column offset -> [0, 2M-2]
    rel[:, :, 0] *= 2 * M - 1  # row offset gets stride 2M-1
    return rel.sum(-1)  # (M*M, M*M)
