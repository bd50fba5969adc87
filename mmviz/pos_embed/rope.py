"""Rotary position embedding (RoFormer): rotate query / key pairs by an angle set by position.

Shapes: N positions, ``dim`` the head width (split into dim/2 rotating pairs).
"""

from __future__ import annotations

import torch

__all__ = ["rope_angles", "apply_rope", "rope_score_matrix", "rope_pair_trajectory"]


def rope_angles(positions: torch.Tensor, dim: int, *, base: float = 10000.0) -> torch.Tensor:
    """Rotation angles of RoPE: pair i of the token at position m turns by m * theta_i.

    theta_i = base^(-2i/dim), i = 0 .. dim/2 - 1 (fast rotation first, slow last).

    Args:
        positions: (N,) integer (or float) positions m.
        dim: head width; must be even (it is split into dim/2 pairs).
        base: 10000 as in RoFormer.

    Returns:
        (N, dim/2) angles in radians, [m, i] = m * theta_i.
    """
    if dim <= 0 or dim % 2 != 0:
        raise ValueError(f"dim must be a positive even number, got {dim}")
    theta = base ** (-torch.arange(0, dim, 2, dtype=torch.float64) / dim)  # (dim/2,)
    return positions.to(torch.float64)[:, None] * theta[None, :]  # (N, dim/2)


def apply_rope(x: torch.Tensor, positions: torch.Tensor, *, base: float = 10000.0) -> torch.Tensor:
    """Rotary position embedding: rotate each consecutive pair (x_2i, x_2i+1) by m * theta_i.

        [x'_2i  ]   [cos(m theta_i)  -sin(m theta_i)] [x_2i  ]
        [x'_2i+1] = [sin(m theta_i)   cos(m theta_i)] [x_2i+1]

    Applied to queries and keys, <R(m) q, R(n) k> = <q, R(n - m) k> depends only on n - m.

    Args:
        x: (..., N, dim) queries or keys, e.g. (B, h, N, hs); dim even.
        positions: (N,) position of each token.
        base: 10000 as in RoFormer.

    Returns:
        (..., N, dim) rotated tensor, same shape and dtype; every pair keeps its length.
    """
    angle = rope_angles(positions, x.shape[-1], base=base)  # (N, dim/2)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)  # (N, dim/2) each
    x_even, x_odd = x[..., 0::2], x[..., 1::2]  # (..., N, dim/2) each
    out_even = x_even * cos - x_odd * sin  # (..., N, dim/2)
    out_odd = x_even * sin + x_odd * cos  # (..., N, dim/2)
    return torch.stack([out_even, out_odd], dim=-1).flatten(-2)  # (..., N, dim) pairs interleaved


def rope_score_matrix(
    q: torch.Tensor, k: torch.Tensor, length: int, *, base: float = 10000.0
) -> torch.Tensor:
    """Attention score of the same query q at position m against the same key k at position n.

    Args:
        q: (dim,) query content.
        k: (dim,) key content.
        length: number of positions N (m, n = 0 .. N-1).
        base: RoPE base.

    Returns:
        (N, N) matrix, [m, n] = <R(m) q, R(n) k>; constant along diagonals (depends on n - m).
    """
    positions = torch.arange(length)  # (N,)
    q_rot = apply_rope(q.expand(length, -1), positions, base=base)  # (N, dim) q placed at m
    k_rot = apply_rope(k.expand(length, -1), positions, base=base)  # (N, dim) k placed at n
    return q_rot @ k_rot.T  # (N, N)


def rope_pair_trajectory(
    x: torch.Tensor, positions: torch.Tensor, num_pairs: int, *, base: float = 10000.0
) -> torch.Tensor:
    """Where the first pairs (x_2i, x_2i+1) of one vector land after RoPE at each position.

    Args:
        x: (dim,) vector.
        positions: (K,) positions.
        num_pairs: how many leading pairs to return.

    Returns:
        (K, num_pairs, 2) points; pair i turns by theta_i per step of position.
    """
    rotated = apply_rope(x.expand(len(positions), -1), positions, base=base)  # (K, dim)
    return rotated.reshape(len(positions), -1, 2)[:, :num_pairs]  # (K, num_pairs, 2)
