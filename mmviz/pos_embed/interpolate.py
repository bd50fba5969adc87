"""Resize a position table to a new patch grid (DeiT / DINO)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = ["interpolate_pos_embed"]


def interpolate_pos_embed(
    pos: torch.Tensor,
    old_grid: tuple[int, int],
    new_grid: tuple[int, int],
    *,
    num_prefix_tokens: int = 0,
    mode: str = "bicubic",
) -> torch.Tensor:
    """Resize a position table to a new patch grid (what lets a ViT trained at 224 run at 384).

    The patch part of the table is seen as a D-channel image of size old_grid, resized with
    ``F.interpolate(align_corners=False)`` and flattened again. Prefix tokens ([CLS],
    registers) have no place on the grid and are kept untouched.

    Args:
        pos: (N, D) or (1, N, D) with N = num_prefix_tokens + old_h * old_w (row-major).
        old_grid: (old_h, old_w) grid the table was made for.
        new_grid: (new_h, new_w) grid wanted.
        num_prefix_tokens: tokens before the patches.
        mode: "bicubic", "bilinear" or "nearest" (passed to F.interpolate).

    Returns:
        (N', D) or (1, N', D) like the input, N' = num_prefix_tokens + new_h * new_w.
    """
    batched = pos.dim() == 3
    table = pos[0] if batched else pos  # (N, D)
    (oh, ow), (nh, nw) = old_grid, new_grid
    p = num_prefix_tokens
    if table.shape[0] != p + oh * ow:
        raise ValueError(
            f"table has {table.shape[0]} rows, expected {p} prefix + {oh}x{ow} = {p + oh * ow}"
        )
    prefix, grid = table[:p], table[p:]  # (p, D), (oh*ow, D)
    D = grid.shape[-1]
    img = grid.reshape(1, oh, ow, D).permute(0, 3, 1, 2)  # (1, D, oh, ow) as a D-channel image
    kwargs = {} if mode == "nearest" else {"align_corners": False}
    img = F.interpolate(img, size=(nh, nw), mode=mode, **kwargs)  # (1, D, nh, nw)
    grid = img.permute(0, 2, 3, 1).reshape(nh * nw, D)  # (nh*nw, D) row-major again
    out = torch.cat([prefix, grid], dim=0)  # (p + nh*nw, D)
    return out[None] if batched else out
