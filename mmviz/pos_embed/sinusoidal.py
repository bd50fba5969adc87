"""Fixed sin/cos position tables (1D and 2D) and how to compare positions with each other.

Shapes: N positions, D width, (gh, gw) patch grid rows x columns, row-major order.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = [
    "sinusoidal_1d",
    "sincos_2d",
    "cosine_similarity_matrix",
    "dot_product_matrix",
    "similarity_by_distance",
]


def sinusoidal_1d(length: int, dim: int, *, base: float = 10000.0, split: bool = False) -> torch.Tensor:
    """The sinusoidal position table of "Attention Is All You Need".

    PE(pos, 2i)   = sin(pos / base^(2i/dim))
    PE(pos, 2i+1) = cos(pos / base^(2i/dim))

    Even columns hold sines and odd columns cosines, interleaved exactly as in the formula
    (column 2i and 2i+1 share the frequency 1 / base^(2i/dim)). With ``split`` the same numbers
    are laid out as [all sines | all cosines] (Marian / fairseq): a fixed permutation of the columns.

    Args:
        length: number of positions N (pos = 0 .. N-1).
        dim: model width D; must be even.
        base: wavelength scale (10000 in the paper).
        split: sines in the first D/2 columns, cosines in the last D/2.

    Returns:
        (length, dim) float32 table; row ``pos`` is the vector added to token ``pos``.
    """
    if dim <= 0 or dim % 2 != 0:
        raise ValueError(f"dim must be a positive even number, got {dim}")
    if length <= 0:
        raise ValueError(f"length must be positive, got {length}")
    pos = torch.arange(length, dtype=torch.float64)[:, None]  # (N, 1)
    two_i = torch.arange(0, dim, 2, dtype=torch.float64)  # (D/2,) the values 2i
    angle = pos / base ** (two_i / dim)  # (N, D/2)
    pe = torch.zeros(length, dim, dtype=torch.float64)  # (N, D)
    pe[:, 0::2] = torch.sin(angle)  # columns 0, 2, 4, ...
    pe[:, 1::2] = torch.cos(angle)  # columns 1, 3, 5, ...
    if split:
        pe = torch.cat([pe[:, 0::2], pe[:, 1::2]], dim=1)  # (N, D): [sin ... | cos ...]
    return pe.float()


def sincos_2d(grid_h: int, grid_w: int, dim: int) -> torch.Tensor:
    """2D sin-cos position table for a patch grid (MAE / ViT style).

    Layout: patch (r, c) is token ``r * grid_w + c`` (row-major, as ``patchify`` orders them).
    Its vector is ``[sinusoidal_1d(grid_h, dim/2)[r], sinusoidal_1d(grid_w, dim/2)[c]]``:
    the first dim/2 columns encode the row r, the last dim/2 columns the column c, each
    half an interleaved 1D sinusoid (sin, cos, sin, cos, ...).

    MAE's ``get_2d_sincos_pos_embed`` holds the same features with the halves swapped
    (column first) and each half ordered [all sines, all cosines]; the two tables differ
    only by a fixed permutation of the dimensions.

    Args:
        grid_h: rows of patches gh.
        grid_w: columns of patches gw.
        dim: width D; must be divisible by 4 (two halves, each a sin/cos pair table).

    Returns:
        (grid_h * grid_w, dim) float32 table.
    """
    if dim <= 0 or dim % 4 != 0:
        raise ValueError(f"dim must be a positive multiple of 4, got {dim}")
    half = dim // 2
    row = sinusoidal_1d(grid_h, half)  # (gh, D/2)
    col = sinusoidal_1d(grid_w, half)  # (gw, D/2)
    row = row[:, None, :].expand(grid_h, grid_w, half)  # (gh, gw, D/2) same for every column
    col = col[None, :, :].expand(grid_h, grid_w, half)  # (gh, gw, D/2) same for every row
    pe = torch.cat([row, col], dim=-1)  # (gh, gw, D)
    return pe.reshape(grid_h * grid_w, dim)  # (gh*gw, D) row-major


def cosine_similarity_matrix(pe: torch.Tensor) -> torch.Tensor:
    """Cosine similarity between every pair of position vectors.

    Args:
        pe: (N, D) position table.

    Returns:
        (N, N) matrix, entry [i, j] = <pe_i, pe_j> / (|pe_i| |pe_j|), in [-1, 1].
    """
    unit = F.normalize(pe, dim=-1)  # (N, D) rows of length 1
    return unit @ unit.T  # (N, N)


def dot_product_matrix(pe: torch.Tensor) -> torch.Tensor:
    """Dot product between every pair of position vectors.

    Args:
        pe: (N, D) position table.

    Returns:
        (N, N) matrix, entry [i, j] = <pe_i, pe_j>.
    """
    return pe @ pe.T  # (N, N)


def similarity_by_distance(sim: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """How much a similarity matrix depends on the offset j - i only (is it Toeplitz?).

    Args:
        sim: (N, N) position-to-position similarity.

    Returns:
        mean: (N,) mean of sim[i, i + d] over i, for d = 0 .. N-1.
        spread: (N,) max - min of sim[i, i + d] over i; all zeros for a Toeplitz matrix.
    """
    N = sim.shape[0]
    diags = [torch.diagonal(sim, offset=d) for d in range(N)]  # d-th diagonal: pairs (i, i + d)
    mean = torch.stack([diag.mean() for diag in diags])  # (N,)
    spread = torch.stack([diag.max() - diag.min() for diag in diags])  # (N,)
    return mean, spread
