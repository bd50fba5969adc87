"""What the positional-encoding page shows: attention without positions, RoPE in action.

Each ``*_lesson`` function runs one section of the page from its controls and returns NumPy, so
the page only draws. The teaching functions they call (``mmviz.pos_embed``) are the ones the page
shows; they are re-exported here, so the page reaches everything behind it through its lesson.

Shapes: N tokens, D width, ``hs`` head width.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmviz.models.layers import Attention, seeded_patch_embed
from mmviz.patches import image_to_tensor
from mmviz.pos_embed.interpolate import interpolate_pos_embed
from mmviz.pos_embed.relative import relative_position_index
from mmviz.pos_embed.rope import apply_rope, rope_angles, rope_pair_trajectory, rope_score_matrix
from mmviz.pos_embed.sinusoidal import (
    cosine_similarity_matrix,
    sincos_2d,
    similarity_by_distance,
    sinusoidal_1d,
)

__all__ = [
    "permutation_demo",
    "patch_tokens",
    "seeded_attention",
    "sinusoid_lesson",
    "sincos_2d_lesson",
    "permutation_lesson",
    "rope_lesson",
    "interpolation_demo",
    "relative_index_lesson",
    # the teaching functions the page shows
    "sinusoidal_1d", "cosine_similarity_matrix", "similarity_by_distance", "sincos_2d", "rope_angles", "apply_rope",
    "rope_score_matrix", "interpolate_pos_embed", "relative_position_index",
]


def permutation_demo(
    tokens: torch.Tensor,
    attn: nn.Module,
    perm: torch.Tensor,
    *,
    positions: torch.Tensor | None = None,
) -> dict:
    """Shuffle the tokens and compare the attention outputs: equivariance, measured.

    Without positions: out(x[perm]) == out(x)[perm] (up to rounding) for ANY weights, because
    attention only looks at the content of the tokens. With positions added to the slots
    (the position stays with the slot, the content moves: x[perm] + pos), the outputs change.

    Args:
        tokens: (N, D) token contents x.
        attn: a self-attention module, (1, N, D) -> (1, N, D) or a tuple (out, attn_weights).
        perm: (N,) permutation; slot k of the shuffled sequence holds token perm[k].
        positions: (N, D) position table, or None to run only the "no positions" case.

    Returns:
        dict with "perm" (N,) and, for "no_pos" (and "with_pos" if positions is given), a
        dict of numpy arrays: "x", "x_perm" (inputs, (N, D)), "out", "out_perm" ((N, D)),
        "out_then_perm" (= out[perm]) and the float "max_diff" = max |out[perm] - out_perm|.
    """

    def run(x: torch.Tensor) -> torch.Tensor:  # (N, D) -> (N, D)
        y = attn(x[None])  # (1, N, D) or (out, weights)
        return (y[0] if isinstance(y, tuple) else y)[0]

    def case(x: torch.Tensor, x_perm: torch.Tensor) -> dict:
        with torch.no_grad():
            out, out_perm = run(x), run(x_perm)  # (N, D) each
        diff = (out[perm] - out_perm).abs().max().item()
        return {
            "x": x.numpy(), "x_perm": x_perm.numpy(),
            "out": out.numpy(), "out_perm": out_perm.numpy(),
            "out_then_perm": out[perm].numpy(), "max_diff": float(diff),
        }

    result = {"perm": perm.numpy(), "no_pos": case(tokens, tokens[perm])}
    if positions is not None:
        result["with_pos"] = case(tokens + positions, tokens[perm] + positions)
    return result


def patch_tokens(
    image, *, size: int = 224, patch_size: int = 32, dim: int = 64, seed: int = 0
) -> torch.Tensor:
    """Patch tokens of an image: resize, cut into patches, project with a seeded PatchEmbed,
    then LayerNorm each token (no affine), as a pre-norm transformer block sees them.

    Args:
        image: PIL image (RGB).
        size: side the image is resized / center-cropped to (a multiple of patch_size).
        patch_size: patch side P.
        dim: token width D.
        seed: seed of the random (untrained) projection.

    Returns:
        (N, D) tokens with zero mean and unit variance each, N = (size / P)^2, in row-major
        (raster) patch order.
    """
    x = image_to_tensor(image, size)  # (1, 3, size, size) in [0, 1]
    embed = seeded_patch_embed(patch_size, dim, seed=seed)  # conv P x P, stride P: 3 -> D
    with torch.no_grad():
        tokens = embed(x)[0]  # (N, D)
    return F.layer_norm(tokens, (dim,))  # (N, D)


def seeded_attention(dim: int, num_heads: int = 4, *, seed: int = 0) -> nn.Module:
    """An untrained multi-head attention layer with fixed random weights N(0, 1/dim).

    PyTorch's default init gives such small scores that attention is almost uniform (every
    token gets the mean of all values); N(0, 1/dim) weights give peaked, token-specific
    attention like a trained layer's. The global RNG is left untouched.

    Args:
        dim: width D.
        num_heads: heads h (must divide D).
        seed: seed of the weights.

    Returns:
        ``mmviz.models.layers.Attention`` in eval mode, (B, N, D) -> ((B, N, D), attn).
    """
    gen = torch.Generator().manual_seed(seed)
    attn = Attention(dim, num_heads).eval()
    with torch.no_grad():
        for layer in (attn.qkv, attn.proj):
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=gen) / dim**0.5)
            layer.bias.zero_()
    return attn


def sinusoid_lesson(length: int, dim: int) -> dict:
    """The 1D sinusoidal table and how similar its positions are, as NumPy.

    Args:
        length: positions N.
        dim: width D (even).

    Returns:
        dict with "table" (N, D), "sim" (N, N) cosine similarity of every pair of positions and
        "spread" = the largest max - min along a diagonal of "sim" (0 up to rounding: the
        similarity depends on the offset only).
    """
    table = sinusoidal_1d(length, dim)  # (N, D)
    sim = cosine_similarity_matrix(table)  # (N, N)
    _, spread = similarity_by_distance(sim)  # (N,)
    return {"table": table.numpy(), "sim": sim.numpy(), "spread": float(spread.max())}


def sincos_2d_lesson(grid: int, dim: int) -> dict:
    """The 2D sin-cos table of a grid x grid patch grid and its patch-to-patch similarity.

    Args:
        grid: patches per side g.
        dim: width D (multiple of 4).

    Returns:
        dict with "shape" (g*g, D) measured on the table and "sim" (g*g, g*g) cosine similarity.
    """
    table = sincos_2d(grid, grid, dim)  # (g*g, D)
    return {"shape": tuple(table.shape), "sim": cosine_similarity_matrix(table).numpy()}


def permutation_lesson(
    image, *, patch_size: int = 32, seed: int = 0, size: int = 224, dim: int = 64, num_heads: int = 4
) -> dict:
    """Patch tokens of an image through one fixed random attention layer, shuffled and not.

    The attention weights are fixed (seed 0): equivariance without positions holds for any
    weights. ``seed`` only picks the permutation.

    Args:
        image: PIL image (RGB).
        patch_size: patch side P (divides ``size``).
        seed: seed of the random permutation.
        size: side the image is resized / center-cropped to.
        dim: token width D.
        num_heads: heads of the attention layer (divides D).

    Returns:
        :func:`permutation_demo`'s dict (NumPy) with 1D sinusoidal positions for "with_pos".
    """
    tokens = patch_tokens(image, size=size, patch_size=patch_size, dim=dim, seed=0)  # (N, D)
    N, D = tokens.shape
    attn = seeded_attention(D, num_heads=num_heads, seed=0)  # fixed weights; the property holds for any
    perm = torch.randperm(N, generator=torch.Generator().manual_seed(seed))  # (N,)
    return permutation_demo(tokens, attn, perm, positions=sinusoidal_1d(N, D))


def rope_lesson(head_dim: int, length: int, steps: int, seed: int, *, num_pairs: int = 4) -> dict:
    """RoPE on one seeded random query q and key k: scores by position, pairs on their circles.

    Args:
        head_dim: head width hs (even).
        length: positions N of the score matrix.
        steps: positions 0 .. K-1 at which q's pairs are drawn.
        seed: seed of q and k.
        num_pairs: leading pairs of q to draw.

    Returns:
        dict with "scores" (N, N) = <R(m) q, R(n) k>, "points" (K, num_pairs, 2) q's pairs at
        positions 0 .. K-1, "theta" (num_pairs,) angle per position step of each pair and
        "spread" = the largest max - min along a diagonal of "scores" (0 up to rounding).
    """
    gen = torch.Generator().manual_seed(seed)
    q, k = torch.randn(2, head_dim, generator=gen)  # (hs,) each
    scores = rope_score_matrix(q, k, length)  # (N, N)
    points = rope_pair_trajectory(q, torch.arange(steps), num_pairs=num_pairs)  # (K, num_pairs, 2)
    theta = rope_angles(torch.tensor([1]), head_dim)[0, :num_pairs]  # (num_pairs,) angle per step
    _, spread = similarity_by_distance(scores)  # (N,)
    return {"scores": scores.numpy(), "points": points.numpy(), "theta": theta.numpy(),
            "spread": float(spread.max())}


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


def relative_index_lesson(M: int) -> dict:
    """Swin's relative position index of an M x M window, as NumPy.

    Returns:
        dict with "index" (M*M, M*M) int and its "min" and "max" (0 and (2M-1)^2 - 1).
    """
    idx = relative_position_index(M).numpy()  # (M*M, M*M)
    return {"index": idx, "min": int(idx.min()), "max": int(idx.max())}
