"""Hugging Face ViT / DINO checkpoints (ViTModel, ViTForImageClassification) -> mmviz ViT.

Handles both key styles: the hub's (``attention.attention.query``, ``intermediate.dense``), which
``save_pretrained`` still writes, and transformers 5's module names (``layers.i.attention.q_proj``,
``mlp.fc1``). Query, key and value are fused into one qkv Linear (q rows first); the pooler
(unused by ViT classifiers and DINO) and the mask token are dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import torch

from mmviz.hf.common import build, check_act, convert_keys, read_preprocessor, read_state_dict, square
from mmviz.models.vit import HALF, ViT, ViTConfig

__all__ = ["NEW_TO_OLD", "convert_vit_encoder", "convert_hf_vit_state_dict", "hf_vit_config", "load_hf_vit"]

#: transformers >= 5 names (layers.i.attention.q_proj ...) -> the classic checkpoint names
NEW_TO_OLD = [
    (r"^layers\.(\d+)\.", r"encoder.layer.\1."),
    (r"\.attention\.q_proj\.", ".attention.attention.query."),
    (r"\.attention\.k_proj\.", ".attention.attention.key."),
    (r"\.attention\.v_proj\.", ".attention.attention.value."),
    (r"\.attention\.o_proj\.", ".attention.output.dense."),
    (r"\.mlp\.fc1\.", ".intermediate.dense."),
    (r"\.mlp\.fc2\.", ".output.dense."),
]
_OLD_TO_MMVIZ = [
    (r"^embeddings\.cls_token$", "cls_token"),
    (r"^embeddings\.position_embeddings$", "pos_embed"),
    (r"^embeddings\.patch_embeddings\.projection\.", "patch_embed.proj."),
    (r"^encoder\.layer\.(\d+)\.layernorm_before\.", r"blocks.\1.norm1."),
    (r"^encoder\.layer\.(\d+)\.layernorm_after\.", r"blocks.\1.norm2."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.dense\.", r"blocks.\1.attn.proj."),
    (r"^encoder\.layer\.(\d+)\.intermediate\.dense\.", r"blocks.\1.mlp.fc1."),
    (r"^encoder\.layer\.(\d+)\.output\.dense\.", r"blocks.\1.mlp.fc2."),
    (r"^layernorm\.", "norm."),
    (r"^classifier\.", "head."),
]
_QKV = re.compile(r"^encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)\.(weight|bias)$")


def convert_vit_encoder(sd: dict[str, torch.Tensor], *, prefix: str = "vit.") -> dict[str, torch.Tensor]:
    """Rename a Hugging Face ViT encoder state dict (also AST's encoder, identical) to mmviz names.

    Args:
        sd: HF tensors, with or without ``prefix``.
        prefix: the model's name prefix in ...ForImageClassification checkpoints.

    Returns:
        state dict in mmviz.models.vit.ViT names (blocks.i.attn.qkv fused, norm, head, ...).

    Raises:
        UnsupportedModelError: a key that does not map, or incomplete q/k/v.
    """
    return convert_keys(sd, family="ViT", rules=_OLD_TO_MMVIZ, qkv=_QKV, prefix=prefix, pre_rules=NEW_TO_OLD,
                        drop=(r"^pooler\.", r"^embeddings\.mask_token"),
                        qkv_target=lambda key: f"blocks.{key[0]}.attn.qkv.{key[1]}")


convert_hf_vit_state_dict = convert_vit_encoder  # the whole ViT is its encoder plus cls/pos/head


def hf_vit_config(hf: dict, num_classes: int, pre: dict | None) -> ViTConfig:
    """ViTConfig from a Hugging Face ViT config.json (and preprocessor_config.json for mean / std)."""
    check_act(hf.get("hidden_act", "gelu"))
    mean, std = HALF, HALF
    if pre:
        mean = tuple(float(v) for v in pre.get("image_mean", mean))
        std = tuple(float(v) for v in pre.get("image_std", std))
    dim = hf.get("hidden_size", 768)
    return ViTConfig(
        image_size=square(hf.get("image_size", 224), "image_size"), patch_size=square(hf.get("patch_size", 16),
                                                                                       "patch_size"),
        in_chans=hf.get("num_channels", 3), dim=dim, depth=hf.get("num_hidden_layers", 12),
        num_heads=hf.get("num_attention_heads", 12), mlp_ratio=hf.get("intermediate_size", 4 * dim) / dim,
        qkv_bias=hf.get("qkv_bias", True), layer_norm_eps=hf.get("layer_norm_eps", 1e-12), num_classes=num_classes,
        image_mean=mean, image_std=std,
    )


def load_hf_vit(path: Path, hf: dict, device: str | torch.device = "cpu") -> ViT:
    """Convert a local Hugging Face ViT / DINO checkpoint folder into an mmviz ViT.

    Args:
        path: checkpoint folder; preprocessor_config.json, when present, supplies image_mean / image_std.
        hf: its parsed config.json.
        device: where to put the model.

    Returns:
        ViT in eval mode; with a head (and class_names from id2label) for a ViTForImageClassification.
    """
    state = convert_vit_encoder(read_state_dict(path))
    num_classes = state["head.weight"].shape[0] if "head.weight" in state else 0
    cfg = hf_vit_config(hf, num_classes, read_preprocessor(path))
    n_pos = state["pos_embed"].shape[1] - 1
    if n_pos != cfg.num_patches:  # trust the tensors over the config's image_size
        cfg = replace(cfg, image_size=int(round(n_pos**0.5)) * cfg.patch_size)
    return build(ViT, cfg, state, family="ViT", hf=hf, device=device)
