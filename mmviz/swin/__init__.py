"""Swin Transformer: shifted windows, step by step.

- ``ops``: the teaching operations as plain functions (window partition / reverse, cyclic shift,
  region labels, the SW-MSA mask, relative position index and bias, patch merging, cost formulas).
- ``model``: ``SwinConfig`` + ``PRESETS`` and the ``Swin`` model, whose blocks call those functions
  and return their window attention.
- ``hf``: Hugging Face Swin checkpoints -> mmviz ``Swin`` (``load_hf_swin``).
- ``lesson``: NumPy results for the Swin windows page.

Shapes: grids are channels-last ``(B, H, W, C)``; M window side, s shift, nW windows, N = M*M.
"""

from __future__ import annotations

from mmviz.swin.model import PRESETS, PatchMerging, Swin, SwinBlock, SwinConfig, SwinOutput, WindowAttention
from mmviz.swin.ops import (
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


def load_hf_swin(path, hf_config: dict, device="cpu"):
    """See :func:`mmviz.swin.hf.load_hf_swin` (imported lazily)."""
    from mmviz.swin.hf import load_hf_swin as _load

    return _load(path, hf_config, device)


__all__ = [
    "SwinConfig", "PRESETS", "Swin", "SwinBlock", "PatchMerging", "WindowAttention", "SwinOutput",
    "pad_to_multiple", "window_partition", "window_reverse", "cyclic_shift", "reverse_cyclic_shift",
    "region_labels", "shifted_window_mask", "relative_position_index", "relative_position_bias",
    "merge_neighbours", "patch_merging", "msa_cost", "wmsa_cost", "load_hf_swin",
]
