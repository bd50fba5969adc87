"""Resize a position table to a new patch grid (DeiT / DINO), and what resizing changes."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from mmviz.pos_embed.sinusoidal import cosine_similarity_matrix, sincos_2d

__all__ = ["interpolate_pos_embed", "interpolation_demo"]


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


def interpolation_demo(
    old: int, new: int, *, dim: int = 256, mode: str = "bicubic", dim_index: int = 2
) -> dict:
    """Resize a [CLS] + old x old 2D sin-cos table to new x new and collect what to look at.

    The sin-cos table stands in for a learned one (same smooth structure, no checkpoint needed).

    Args:
        old, new: grid sides before and after.
        dim: table width D.
        mode: interpolation mode of ``interpolate_pos_embed``.
        dim_index: the dimension whose map over the grid is returned.

    Returns:
        dict with "shapes" ((1 + old², D), (1 + new², D)) measured on the tensors;
        "dim_old" (old, old) / "dim_new" (new, new) maps of dimension dim_index;
        "sim_old" / "sim_new" maps of cosine similarity to a reference patch, and "refs" its
        (row, col) on each grid (the same place in the image); "gap" = max |resized table -
        sincos_2d(new, new, D)|: resizing is not the same as making a table for the new grid.
    """
    table = torch.cat([torch.zeros(1, dim), sincos_2d(old, old, dim)])  # (1 + old², D), [CLS] first
    resized = interpolate_pos_embed(table, (old, old), (new, new), num_prefix_tokens=1, mode=mode)
    ref_old = (old // 3, old // 3)
    ref_new = tuple(min(new - 1, round((r + 0.5) * new / old - 0.5)) for r in ref_old)  # same place
    grid_old, grid_new = table[1:], resized[1:]  # (old², D), (new², D) without [CLS]
    sim_old = cosine_similarity_matrix(grid_old)[ref_old[0] * old + ref_old[1]]  # (old²,)
    sim_new = cosine_similarity_matrix(grid_new)[ref_new[0] * new + ref_new[1]]  # (new²,)
    return {
        "shapes": (tuple(table.shape), tuple(resized.shape)),
        "dim_old": grid_old[:, dim_index].reshape(old, old).numpy(),
        "dim_new": grid_new[:, dim_index].reshape(new, new).numpy(),
        "sim_old": sim_old.reshape(old, old).numpy(),
        "sim_new": sim_new.reshape(new, new).numpy(),
        "refs": (ref_old, ref_new),
        "gap": (grid_new - sincos_2d(new, new, dim)).abs().max().item(),
    }
