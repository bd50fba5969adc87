"""NumPy results for the Swin windows lesson, computed with the same functions the model runs.

`windows_lesson` runs the window operations of mmviz.windows on the chosen image's patch grid
for any window size M and shift s (no model needed); `receptive_field` follows which patches can
exchange information block after block; `relative_position_lesson` builds the index and the bias
lookup for M; `model_lesson` runs a Swin once with ``return_attn=True`` and keeps every block's
window attention and every stage's tensor shape; `architecture_shapes` runs a Swin config on
PyTorch's "meta" device (shapes without numbers, no weights needed).

Shapes: (gh, gw) patch grid, (Hp, Wp) padded to multiples of M, nW windows, N = M*M tokens per
window, h heads, P patch side in pixels.

The window operations and the Swin modules the page shows are re-exported here, so the page
reaches everything behind it through its lesson.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch

from mmviz import windows as ops
from mmviz.models.layers import attend, normalize_pixels
from mmviz.models.swin import PRESETS, PatchMerging, Swin, SwinBlock, SwinConfig, WindowAttention
from mmviz.patches.grid import fit_image, uint8_to_tensor
from mmviz.windows import (
    cyclic_shift,
    merge_neighbours,
    msa_cost,
    pad_to_multiple,
    patch_merging,
    region_labels,
    relative_position_bias,
    relative_position_index,
    reverse_cyclic_shift,
    shifted_window_mask,
    window_partition,
    window_reverse,
    wmsa_cost,
)

__all__ = [
    "TOY_TEMPERATURE",
    "SWIN_T",
    "image_grid",
    "input_sizes",
    "window_cells",
    "windows_lesson",
    "window_mask_view",
    "receptive_field",
    "relative_position_lesson",
    "model_lesson",
    "architecture_shapes",
    "swin_t_shapes",
    "cost_curve",
    "cost_lesson",
    "window_maps",
    "block_labels",
    "merge_steps",
    # the window operations and modules the page shows
    "PRESETS", "WindowAttention", "attend", "SwinBlock", "PatchMerging", "pad_to_multiple", "window_partition",
    "window_reverse", "cyclic_shift", "reverse_cyclic_shift", "region_labels", "shifted_window_mask",
    "relative_position_index", "relative_position_bias", "merge_neighbours", "patch_merging", "msa_cost",
    "wmsa_cost",
]

#: toy attention score = TOY_TEMPERATURE x cosine similarity of two patches' pixels
TOY_TEMPERATURE = 5.0
#: the pretrained Swin-T whose stage shapes the page states for the student's image
SWIN_T = "swin-tiny-patch4-window7-224"


def input_sizes(preset: str) -> list[int]:
    """Short sides to offer for a Swin preset: its training size (and 96, 128 for the 64 px tiny Swin)."""
    size = PRESETS[preset].image_size
    return [size] + ([96, 128] if size == 64 else [])


def image_grid(image, cfg: SwinConfig, size: int) -> tuple[torch.Tensor, np.ndarray]:
    """The image as the model sees it (see mmviz.patches.fit_image; H, W multiples of P).

    Returns:
        pixels (1, 3, H, W) normalised, and the same image as (H, W, 3) uint8 (before normalising).
    """
    rgb = fit_image(image, size, cfg.patch_size)  # (H, W, 3) uint8
    return normalize_pixels(uint8_to_tensor(rgb), cfg.image_mean, cfg.image_std), rgb


def window_cells(grid: tuple[int, int], M: int, s: int) -> torch.Tensor:
    """Which patch sits at every token of every (shifted) window: the model's own pad -> roll -> partition.

    Args:
        grid: (gh, gw) patch grid.
        M: window side.
        s: shift (0 = W-MSA).

    Returns:
        (nW, M*M) long: the patch index (r * gw + c) of each window token, -1 for padding.
    """
    gh, gw = grid
    ids = torch.arange(1, gh * gw + 1).view(1, gh, gw, 1)  # 1-based so that the zero padding reads 0
    padded, _ = ops.pad_to_multiple(ids, M)  # (1, Hp, Wp, 1)
    rolled = ops.cyclic_shift(padded, s)  # (1, Hp, Wp, 1)
    return ops.window_partition(rolled, M).reshape(-1, M * M) - 1  # (nW, N)


@torch.no_grad()
def windows_lesson(image, *, size: int, M: int, s: int, patch_size: int = 4) -> dict:
    """Every step of W-MSA and SW-MSA on the image's patch grid, for window M and shift s.

    Args:
        image: PIL image (any size / mode).
        size: short side in pixels after resizing.
        M: window side in patches.
        s: shift in patches, 0 <= s < M.
        patch_size: P.

    Returns:
        dict with ``image`` (H, W, 3) uint8; ``grid`` (gh, gw); ``padded`` (Hp, Wp); ``P``, ``M``, ``s``, ``nW``;
        ``window_of`` (Hp, Wp) W-MSA window of each cell; ``shifted_window_of`` (Hp, Wp) SW-MSA window of
        each cell in ORIGINAL position; ``rolled_ids`` (Hp, Wp) the patch found at each rolled position
        (-1 padding); ``rolled_image`` / ``padded_image`` (Hp*P, Wp*P, 3) uint8; ``labels_rolled``
        (Hp, Wp) region labels after the shift and ``labels_back`` the same rolled back onto the image;
        ``labels_windows`` (nW, N) the rolled labels window by window; ``real_ids`` (Hp, Wp) the patch
        index of each cell before the shift (-1 padding);
        ``masks`` (nW, N, N) 0 / -100; ``toy_attn`` and ``toy_attn_nomask`` (nW, N, N) softmax of the
        toy scores with and without the mask; ``reverse_diff`` max |reverse(shift(x)) - x|.
    """
    cfg = SwinConfig(image_size=size, patch_size=patch_size, image_mean=(0.0,) * 3, image_std=(1.0,) * 3)
    _, img = image_grid(image, cfg, size)
    P = patch_size
    gh, gw = img.shape[0] // P, img.shape[1] // P
    x = torch.from_numpy(np.array(img))[None]  # (1, H, W, 3) pixels as a channels-last grid
    padded_img, _ = ops.pad_to_multiple(x, M * P)  # (1, Hp*P, Wp*P, 3) black padding
    Hp, Wp = padded_img.shape[1] // P, padded_img.shape[2] // P
    nW = (Hp // M) * (Wp // M)
    rolled_img = ops.cyclic_shift(padded_img, s * P)  # roll by s patches = s*P pixels
    back = ops.reverse_cyclic_shift(rolled_img, s * P)

    cells = torch.arange(Hp * Wp).view(1, Hp, Wp, 1)  # every padded cell, row-major
    window_of = torch.empty(Hp * Wp, dtype=torch.long)
    window_of[ops.window_partition(cells, M).reshape(nW, -1)] = torch.arange(nW)[:, None]
    shifted_of = torch.empty(Hp * Wp, dtype=torch.long)
    shifted_of[ops.window_partition(ops.cyclic_shift(cells, s), M).reshape(nW, -1)] = torch.arange(nW)[:, None]
    ids = torch.arange(1, gh * gw + 1).view(1, gh, gw, 1)
    rolled_ids = ops.cyclic_shift(ops.pad_to_multiple(ids, M)[0], s)[0, :, :, 0] - 1  # (Hp, Wp)

    labels = ops.region_labels(Hp, Wp, M, s)  # (Hp, Wp) on the rolled grid
    labels_back = ops.reverse_cyclic_shift(labels[None, :, :, None], s)[0, :, :, 0]
    masks = ops.shifted_window_mask(Hp, Wp, M, s)  # (nW, N, N)

    # toy attention: q = k = the patch's own standardised pixels, no learned weights
    feats = rolled_img[0].float().view(Hp, P, Wp, P, 3).permute(0, 2, 1, 3, 4).reshape(Hp, Wp, -1)
    feats = feats - feats.mean((0, 1))
    feats = feats / feats.norm(dim=-1, keepdim=True).clamp_min(1e-6)
    feats[rolled_ids < 0] = 0.0  # padding tokens are zeros, as in the model
    win = ops.window_partition(feats[None], M).reshape(nW, M * M, -1)  # (nW, N, P*P*3)
    scores = TOY_TEMPERATURE * win @ win.transpose(1, 2)  # (nW, N, N)
    f32 = lambda t: t.numpy().astype(np.float32)  # noqa: E731
    return dict(
        image=img, grid=(gh, gw), padded=(Hp, Wp), P=P, M=M, s=s, nW=nW,
        window_of=window_of.view(Hp, Wp).numpy(), shifted_window_of=shifted_of.view(Hp, Wp).numpy(),
        rolled_ids=rolled_ids.numpy(), padded_image=padded_img[0].numpy(), rolled_image=rolled_img[0].numpy(),
        labels_rolled=labels.numpy(), labels_back=labels_back.numpy(), masks=f32(masks),
        real_ids=np.pad(np.arange(gh * gw).reshape(gh, gw), ((0, Hp - gh), (0, Wp - gw)), constant_values=-1),
        labels_windows=labels.view(Hp // M, M, Wp // M, M).permute(0, 2, 1, 3).reshape(nW, M * M).numpy(),
        toy_attn=f32((scores + masks).softmax(-1)), toy_attn_nomask=f32(scores.softmax(-1)),
        reverse_diff=int((back.int() - padded_img.int()).abs().max()),
    )


def window_mask_view(W: dict, window: int) -> dict:
    """The mask of one window of a :func:`windows_lesson`, with the labels it compares.

    Returns:
        dict with ``labels`` (M, M) region labels inside the window, ``pairs`` (N, N, 2) the labels of
        each (query, key) pair, ``allowed`` the number of pairs the mask lets through (mask 0).
    """
    lab = W["labels_windows"][window]  # (N,)
    M = W["M"]
    return dict(labels=lab.reshape(M, M), pairs=np.stack(np.broadcast_arrays(lab[:, None], lab[None, :]), -1),
                allowed=int((W["masks"][window] == 0).sum()))


def receptive_field(grid: tuple[int, int], M: int, s: int, start: int, blocks: int) -> dict:
    """Which patches can exchange information with patch ``start`` after 1, 2, ..., ``blocks`` blocks.

    Blocks alternate W-MSA (odd blocks 1, 3, ...: no shift) and SW-MSA (even blocks: shift s), as in
    a Swin stage; a grid no larger than one window never shifts (the model's rule). A patch reached by
    block b-1 passes its information to every patch allowed to attend to it in block b: same window,
    mask 0. Computed with window_cells + shifted_window_mask, the functions the model runs.

    Args:
        grid: (gh, gw).
        M: window side.
        s: shift of the SW-MSA blocks.
        start: patch index (row-major).
        blocks: how many blocks to follow.

    Returns:
        dict with ``first`` (gh, gw) int: block at which each patch is first reached (0 = the patch
        itself, -1 = not within ``blocks``); ``counts`` (blocks + 1,) patches reached after each block.
    """
    gh, gw = grid
    Hp, Wp = -(-gh // M) * M, -(-gw // M) * M
    first = torch.full((gh * gw,), -1, dtype=torch.long)
    first[start] = 0
    counts = [1]
    for b in range(1, blocks + 1):
        shift = s if b % 2 == 0 and min(gh, gw) > M else 0
        cells = window_cells(grid, M, shift)  # (nW, N), -1 = padding
        allowed = ops.shifted_window_mask(Hp, Wp, M, shift) == 0  # (nW, N, N) query i may see key j
        valid = cells >= 0
        reached = (first[cells.clamp_min(0)] >= 0) & valid  # (nW, N) keys that carry start's information
        new = (allowed & reached[:, None, :]).any(-1) & valid  # (nW, N) queries that see such a key
        got = cells[new]
        first[got[first[got] < 0]] = b
        counts.append(int((first >= 0).sum()))
    return dict(first=first.view(gh, gw).numpy(), counts=np.array(counts))


def relative_position_lesson(M: int, table: torch.Tensor | np.ndarray | None = None, seed: int = 0) -> dict:
    """The relative position index of an M x M window and the bias it gathers from a table.

    Args:
        M: window side.
        table: ((2M-1)^2, h) learned biases (e.g. a model block's relative_position_bias_table);
            None = a seeded random table with 1 head.
        seed: seed of the random table.

    Returns:
        dict with ``index`` (N, N) int; ``dy``, ``dx`` (N, N) the offsets it encodes (``offsets`` (N, N, 2)
        both); ``table``
        (h, 2M-1, 2M-1) the table laid out by offset (row dy + M-1, column dx + M-1); ``bias`` (h, N, N)
        ``relative_position_bias(table, index)``; ``random`` True when the table is made up.
    """
    index = ops.relative_position_index(M)  # (N, N)
    random = table is None
    if random:
        table = torch.randn((2 * M - 1) ** 2, 1, generator=torch.Generator().manual_seed(seed))
    table = torch.as_tensor(np.asarray(table, dtype=np.float32) if not torch.is_tensor(table) else table).float()
    if table.shape[0] != (2 * M - 1) ** 2:
        raise ValueError(f"a table for M={M} has {(2 * M - 1) ** 2} rows, got {table.shape[0]}")
    bias = ops.relative_position_bias(table, index)  # (h, N, N)
    rows = torch.arange(M * M)
    dy = (rows // M)[:, None] - (rows // M)[None, :]
    dx = (rows % M)[:, None] - (rows % M)[None, :]
    grid_table = table.T.reshape(-1, 2 * M - 1, 2 * M - 1)  # (h, 2M-1, 2M-1)
    return dict(index=index.numpy(), dy=dy.numpy(), dx=dx.numpy(), offsets=torch.stack([dy, dx], -1).numpy(),
                table=grid_table.detach().numpy(),
                bias=bias.detach().numpy(), random=random)


@torch.no_grad()
def model_lesson(model: Swin, image, *, size: int | None = None, device="cpu", top_k: int = 5) -> dict:
    """One forward pass with ``return_attn=True``; everything the model sections of the page show.

    Args:
        model: an mmviz Swin (eval mode).
        image: PIL image, prepared by mmviz.patches.fit_image (short side ``size``).
        size: short side (default model.cfg.image_size).
        device: where to run.
        top_k: predictions to return (with a head and class names).

    Returns:
        dict with ``image`` (H, W, 3) uint8; ``attn`` list per block of (nW, h, N, N) float32 (batch of 1);
        ``blocks`` list of dicts (stage, block, grid, padded, window, shift, windows, heads, cells (nW, N)
        patch index per token, -1 padding); ``stages`` list of dicts (stage, grid, channels, tokens,
        pixels per token, shape) read from the stage tensors; ``tables`` per block ((2M-1)^2, h);
        ``predictions`` [(name, p)]; ``pixels_shape``, ``tokens_shape``.
    """
    cfg = model.cfg
    size = size or cfg.image_size
    pixels, img = image_grid(image, cfg, size)
    out = model.forward_features(pixels.to(device), return_attn=True)
    blocks = []
    for meta in out.blocks:
        blocks.append({**meta, "cells": window_cells(meta["grid"], meta["window"], meta["shift"]).numpy()})
    stages = [dict(stage=i, grid=(int(m.shape[1]), int(m.shape[2])), channels=int(m.shape[3]),
                   tokens=int(m.shape[1] * m.shape[2]), px=cfg.patch_size * 2**i, shape=tuple(m.shape))
              for i, m in enumerate(out.stage_maps)]
    predictions: list[tuple[str, float]] = []
    if model.head is not None and model.class_names:
        p = model.head(model.pool(out.tokens)).softmax(-1)[0]
        v, i = p.topk(min(top_k, p.numel()))
        predictions = [(model.class_names[j], float(x)) for x, j in zip(v.tolist(), i.tolist())]
    return dict(
        image=img, attn=[a.float().cpu().numpy() for a in out.attentions], blocks=blocks, stages=stages,
        tables=[b.attn.relative_position_bias_table.detach().float().cpu().numpy()
                for st in model.stages for b in st.blocks],
        predictions=predictions, pixels_shape=tuple(pixels.shape), tokens_shape=tuple(out.tokens.shape),
    )


def architecture_shapes(cfg: SwinConfig, height: int, width: int) -> list[dict]:
    """Stage shapes of a Swin config on an input of height x width pixels, from a forward pass on
    PyTorch's "meta" device (real tensor shapes, no numbers, no weights, ~no time).

    Returns:
        one dict per stage: stage, grid (gh, gw), channels, tokens, px (pixels per token side),
        windows (per image, after padding), shift (of the SW-MSA blocks, 0 when the grid fits one window).
    """
    with torch.device("meta"):
        model = Swin(replace(cfg, num_classes=0))
        out = model.forward_features(torch.empty(1, cfg.in_chans, height, width))
    rows = []
    for i, m in enumerate(out.stage_maps):
        blk = [b for b in out.blocks if b["stage"] == i]
        rows.append(dict(stage=i, grid=(int(m.shape[1]), int(m.shape[2])), channels=int(m.shape[3]),
                         tokens=int(m.shape[1] * m.shape[2]), px=cfg.patch_size * 2**i, windows=blk[0]["windows"],
                         shift=max(b["shift"] for b in blk)))
    return rows


def swin_t_shapes(pixels_shape: tuple[int, ...]) -> dict:
    """Swin-T's stages on an image of ``pixels_shape`` (..., H, W) resized to a 224 px short side.

    Returns:
        dict with ``size`` (H', W') pixels, ``stages`` (:func:`architecture_shapes`) and ``summary``
        "stage 0 56×84×96 (12 windows); ..." (grid and channels of each stage).
    """
    H, W = pixels_shape[-2:]
    scale = 224 / min(H, W)
    size = (round(H * scale), round(W * scale))
    stages = architecture_shapes(PRESETS[SWIN_T], *size)
    return dict(size=size, stages=stages, summary="; ".join(
        f"stage {x['stage']} {x['grid'][0]}×{x['grid'][1]}×{x['channels']} ({x['windows']} windows)" for x in stages))


def cost_curve(C: int, M: int, sides: np.ndarray | None = None, patch_size: int = 4) -> dict:
    """Ω(MSA) and Ω(W-MSA) (multiply-adds of one attention layer) on square images of these sides.

    Args:
        C: channels. M: window side.
        sides: image sides in pixels (default: 40 sizes from 32 to 2048, multiples of the patch).
        patch_size: P.

    Returns:
        dict with ``sides`` (n,) pixels, ``tokens`` (n,) hw, ``msa`` and ``wmsa`` (n,) float.
    """
    if sides is None:
        sides = np.unique(np.geomspace(32, 2048, 40).astype(int) // patch_size * patch_size)
    hw = (np.asarray(sides) // patch_size).astype(np.int64)
    return dict(sides=np.asarray(sides), tokens=hw * hw,
                msa=np.array([float(ops.msa_cost(int(n), int(n), C)) for n in hw]),
                wmsa=np.array([float(ops.wmsa_cost(int(n), int(n), C, M)) for n in hw]))


def cost_lesson(grid: tuple[int, int], C: int, M: int, patch_size: int = 4) -> dict:
    """The cost of global and window attention on this grid, and the curve over image sizes.

    Returns:
        dict with ``msa`` and ``wmsa`` (ints, multiply-adds on the (gh, gw) grid), ``ratio`` msa / wmsa,
        ``side`` the side in pixels of a square image with as many patches, ``curve`` (:func:`cost_curve`).
    """
    gh, gw = grid
    msa, wmsa = ops.msa_cost(gh, gw, C), ops.wmsa_cost(gh, gw, C, M)
    return dict(msa=msa, wmsa=wmsa, ratio=msa / wmsa, side=int(round((gh * gw) ** 0.5 * patch_size)),
                curve=cost_curve(C, M, patch_size=patch_size))


def window_maps(attn: np.ndarray, cells: np.ndarray, grid: tuple[int, int], window: int, query: int) -> np.ndarray:
    """Where one query token of one window looks, per head, placed back on the stage's patch grid.

    Args:
        attn: (nW, h, N, N) one block's window attention (batch of 1).
        cells: (nW, N) patch index of every window token, -1 for padding (``model_lesson`` blocks).
        grid: (gh, gw) the stage's grid.
        window: window index.
        query: token index inside the window.

    Returns:
        (h, gh, gw) float32: the weights on the window's patches, NaN outside the window (weights
        on padding tokens are left out). A shifted window's pieces land where the patches really are.
    """
    h = attn.shape[1]
    out = np.full((h, grid[0] * grid[1]), np.nan, dtype=np.float32)
    keys = cells[window]  # (N,)
    ok = keys >= 0
    out[:, keys[ok]] = attn[window, :, query][:, ok]
    return out.reshape(h, *grid)


def block_labels(blocks: list[dict]) -> list[str]:
    """One name per block of ``model_lesson(...)["blocks"]``: "stage 0 · block 1 · SW-MSA (shift 2)"."""
    return [f"stage {b['stage']} · block {b['block']} · " + (f"SW-MSA (shift {b['shift']})" if b["shift"] else "W-MSA")
            for b in blocks]


def merge_steps(stages: list[dict]) -> list[str]:
    """What each patch merging between two stages of ``model_lesson(...)["stages"]`` does, in numbers
    (Markdown): "stage 0 → 1: 2×2 tokens of 32 → concat 128 → Linear → **64** channels, grid 16×24 → 8×12"."""
    return [f"stage {a['stage']} → {b['stage']}: 2×2 tokens of {a['channels']} → concat {4 * a['channels']} → Linear "
            f"→ **{b['channels']}** channels, grid {a['grid'][0]}×{a['grid'][1]} → {b['grid'][0]}×{b['grid'][1]}"
            for a, b in zip(stages, stages[1:])]
