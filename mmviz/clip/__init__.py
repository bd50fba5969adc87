"""CLIP: contrastive image-text dual encoder.

- ``model``: ``CLIPConfig`` / ``TextConfig`` + ``PRESETS``, the ``CLIP`` model (``encode_image``,
  ``encode_text``, ``encode_patches``, ``forward`` -> ``logits_per_image``), ``clip_loss`` (InfoNCE).
- ``tokenizer``: the shapes-world word tokenizer and CLIP's BPE from a checkpoint (``tokenizers``).
- ``hf``: Hugging Face CLIP checkpoints -> mmviz ``CLIP`` (``load_hf_clip``).

Shapes: I images, T prompts, L tokens, N patches, E joint embedding width.
"""

from __future__ import annotations

from mmviz.clip.model import (
    CLIP,
    PRESETS,
    CLIPConfig,
    CLIPOutput,
    TextConfig,
    TextTransformer,
    causal_mask,
    clip_loss,
)
from mmviz.clip.tokenizer import Tokenizer, shapes_tokenizer


def load_hf_clip(path, hf_config: dict, device="cpu"):
    """See :func:`mmviz.clip.hf.load_hf_clip` (imported lazily)."""
    from mmviz.clip.hf import load_hf_clip as _load

    return _load(path, hf_config, device)


__all__ = ["CLIP", "CLIPConfig", "TextConfig", "TextTransformer", "CLIPOutput", "PRESETS", "clip_loss",
           "causal_mask", "Tokenizer", "shapes_tokenizer", "load_hf_clip"]
