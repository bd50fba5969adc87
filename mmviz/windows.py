"""The teaching operations of Swin (Liu et al., 2021), as plain functions the model itself runs.

A Swin block never attends over the whole image. It cuts the patch grid into M x M windows and
attends inside each window (W-MSA). The next block first rolls the grid by s = M // 2 patches
(a cyclic shift), so the new windows straddle the old window borders (SW-MSA); a mask stops
patches that only became neighbours through the wrap-around from attending to each other.
Between stages, patch merging concatenates 2 x 2 neighbours (4C) and projects them to 2C.

Everything here works on channels-last grids ``(B, H, W, C)``: B batch, H x W patch grid,
C channels, M window side, s shift, nW = (H / M) * (W / M) windows per image, h heads.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from mmviz.pos_embed.relative import relative_position_index

__all__ = [
    "pad_to_multiple",
    "window_partition",
    "window_reverse",
    "cyclic_shift",
    "reverse_cyclic_shift",
    "region_labels",
    "shifted_window_mask",
    "relative_position_index",
    "relative_position_bias",
    "merge_neighbours",
    "patch_merging",
    "msa_cost",
    "wmsa_cost",
]


def pad_to_multiple(x: torch.Tensor, M: int) -> tuple[torch.Tensor, tuple[int, int]]:
    """Zero-pad a grid at the bottom and right so that H and W become multiples of M (as HF does).

    Args:
        x: (B, H, W, C).
        M: window side.

    Returns:
        (B, Hp, Wp, C) with Hp = ceil(H / M) * M, Wp = ceil(W / M) * M, and (pad_bottom, pad_right).
    """
    H, W = x.shape[1], x.shape[2]
    pad_b, pad_r = (M - H % M) % M, (M - W % M) % M
    if pad_b or pad_r:
        x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))  # last dim first: C, then W, then H
    return x, (pad_b, pad_r)


def window_partition(x: torch.Tensor, M: int) -> torch.Tensor:
    """Cut a grid into non-overlapping M x M windows.

    Args:
        x: (B, H, W, C), H and W multiples of M.
        M: window side.

    Returns:
        (B * nW, M, M, C) windows; image-major, then windows in row-major order
        (window k of image b is row b * nW + k, nW = (H / M) * (W / M)).
    """
    B, H, W, C = x.shape
    if H % M or W % M:
        raise ValueError(f"grid {H}x{W} is not a multiple of the window size {M}: pad it first")
    x = x.view(B, H // M, M, W // M, M, C)  # (B, H/M, M, W/M, M, C)
    x = x.permute(0, 1, 3, 2, 4, 5)  # (B, H/M, W/M, M, M, C) window row, window column, then inside
    return x.reshape(-1, M, M, C)  # (B * nW, M, M, C)


def window_reverse(windows: torch.Tensor, M: int, H: int, W: int) -> torch.Tensor:
    """Put windows back into the grid: the exact inverse of :func:`window_partition`.

    Args:
        windows: (B * nW, M, M, C).
        M: window side.
        H, W: grid size (multiples of M).

    Returns:
        (B, H, W, C).
    """
    C = windows.shape[-1]
    x = windows.view(-1, H // M, W // M, M, M, C)  # (B, H/M, W/M, M, M, C)
    x = x.permute(0, 1, 3, 2, 4, 5)  # (B, H/M, M, W/M, M, C)
    return x.reshape(-1, H, W, C)  # (B, H, W, C)


def cyclic_shift(x: torch.Tensor, s: int) -> torch.Tensor:
    """Roll the grid up and left by s patches; what falls off the top/left re-enters at the bottom/right.

    After the roll, the regular window partition of the rolled grid is the shifted partition of
    the original grid (windows displaced by s), with the same number of windows.

    Args:
        x: (B, H, W, C).
        s: shift in patches (0 = no shift).

    Returns:
        (B, H, W, C), ``out[:, i, j] = x[:, (i + s) % H, (j + s) % W]``.
    """
    return torch.roll(x, shifts=(-s, -s), dims=(1, 2)) if s else x


def reverse_cyclic_shift(x: torch.Tensor, s: int) -> torch.Tensor:
    """Undo :func:`cyclic_shift`: roll down and right by s patches. x: (B, H, W, C) -> (B, H, W, C)."""
    return torch.roll(x, shifts=(s, s), dims=(1, 2)) if s else x


def region_labels(H: int, W: int, M: int, s: int) -> torch.Tensor:
    """Label each cell of the ROLLED grid by the piece of the original image it came from.

    Along each axis the rolled grid has three bands: [0, H - M) never wraps; [H - M, H - s) is the
    last window's part that did not wrap; [H - s, H) wrapped around from the top. The label is
    row band * 3 + column band, so 9 labels; two cells of a window may attend to each other only
    when their labels are equal.

    Args:
        H, W: grid size (multiples of M).
        M: window side.
        s: shift, 0 <= s < M.

    Returns:
        (H, W) long tensor with values in 0..8 (all 0 when s = 0).
    """
    if not 0 <= s < M:
        raise ValueError(f"shift must satisfy 0 <= s < M, got s={s}, M={M}")
    if s == 0:
        return torch.zeros(H, W, dtype=torch.long)
    rows, cols = torch.arange(H), torch.arange(W)
    row_band = (rows >= H - M).long() + (rows >= H - s).long()  # (H,) 0, 1 or 2
    col_band = (cols >= W - M).long() + (cols >= W - s).long()  # (W,)
    return row_band[:, None] * 3 + col_band[None, :]  # (H, W)


def shifted_window_mask(H: int, W: int, M: int, s: int) -> torch.Tensor:
    """The SW-MSA attention mask: 0 where two tokens of a window may attend, -100 where not.

    Cut the region labels (:func:`region_labels`) into windows like the tokens, then compare
    every pair of labels inside each window. -100 added to a score makes its softmax weight
    ~e^-100, i.e. zero.

    Args:
        H, W: rolled grid size (multiples of M).
        M: window side.
        s: shift (0 gives an all-zero mask).

    Returns:
        (nW, M*M, M*M) float32, nW = (H / M) * (W / M); entry [w, i, j] is for query i and key j
        of window w (tokens row-major inside the window).
    """
    labels = region_labels(H, W, M, s)  # (H, W)
    windows = window_partition(labels[None, :, :, None], M).reshape(-1, M * M)  # (nW, M*M)
    differ = windows[:, :, None] != windows[:, None, :]  # (nW, M*M, M*M) query label != key label
    return differ.float() * -100.0


def relative_position_bias(table: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """Look up the learned bias of every (query, key) pair of a window.

    Args:
        table: ((2M - 1)^2, h) learned biases, one per relative offset and head.
        index: (M*M, M*M) long, :func:`relative_position_index` (M).

    Returns:
        (h, M*M, M*M): ``B[head, i, j] = table[index[i, j], head]``, added to QK^T / sqrt(d).
    """
    N = index.shape[0]
    bias = table[index.reshape(-1)]  # (N*N, h)
    return bias.view(N, N, -1).permute(2, 0, 1).contiguous()  # (h, N, N)


def merge_neighbours(x: torch.Tensor) -> torch.Tensor:
    """Concatenate each 2 x 2 block of neighbours into one token (odd H or W are zero-padded first).

    Order inside the 4C vector (as in the paper's code and HF): (row 0, col 0), (row 1, col 0),
    (row 0, col 1), (row 1, col 1).

    Args:
        x: (B, H, W, C).

    Returns:
        (B, ceil(H / 2), ceil(W / 2), 4C).
    """
    H, W = x.shape[1], x.shape[2]
    if H % 2 or W % 2:
        x = F.pad(x, (0, 0, 0, W % 2, 0, H % 2))
    x0 = x[:, 0::2, 0::2]  # (B, H/2, W/2, C) top-left of each 2x2 block
    x1 = x[:, 1::2, 0::2]  # bottom-left
    x2 = x[:, 0::2, 1::2]  # top-right
    x3 = x[:, 1::2, 1::2]  # bottom-right
    return torch.cat([x0, x1, x2, x3], dim=-1)  # (B, H/2, W/2, 4C)


def patch_merging(
    x: torch.Tensor,
    weight: torch.Tensor,
    norm_weight: torch.Tensor,
    norm_bias: torch.Tensor,
    eps: float = 1e-5,
) -> torch.Tensor:
    """Halve the grid and double the channels: 2 x 2 concat (4C) -> LayerNorm -> Linear to 2C.

    Args:
        x: (B, H, W, C).
        weight: (2C, 4C) the reduction Linear's weight (no bias).
        norm_weight, norm_bias: (4C,) the LayerNorm's affine parameters.
        eps: LayerNorm epsilon.

    Returns:
        (B, ceil(H / 2), ceil(W / 2), 2C).
    """
    x = merge_neighbours(x)  # (B, H/2, W/2, 4C)
    x = F.layer_norm(x, (x.shape[-1],), norm_weight, norm_bias, eps)
    return x @ weight.T  # (B, H/2, W/2, 2C)


def msa_cost(h: int, w: int, C: int) -> int:
    """Multiply-adds of global multi-head self-attention on an h x w grid (Swin paper, Eq. 1).

    4hwC^2 for the q, k, v and output projections plus 2(hw)^2 C for QK^T and AV.
    """
    return 4 * h * w * C**2 + 2 * (h * w) ** 2 * C


def wmsa_cost(h: int, w: int, C: int, M: int) -> int:
    """Multiply-adds of window attention with M x M windows (Swin paper, Eq. 2): 4hwC^2 + 2M^2 hwC.

    Linear in the number of patches hw, where global attention is quadratic.
    """
    return 4 * h * w * C**2 + 2 * M**2 * h * w * C
