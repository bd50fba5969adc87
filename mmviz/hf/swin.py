"""Hugging Face Swin checkpoints (SwinModel / SwinForImageClassification) -> mmviz Swin.

Handles both key styles: the hub's (``attention.self.query``, ``intermediate.dense``), which
``save_pretrained`` still writes, and transformers 5's module names (``attention.q_proj``,
``mlp.fc1``). Query, key and value are fused into one qkv Linear (q rows first).
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from mmviz.hf.common import UnsupportedModelError, build, check_act, convert_keys, read_preprocessor, read_state_dict
from mmviz.models.layers import IMAGENET_MEAN, IMAGENET_STD
from mmviz.models.swin import Swin, SwinConfig

__all__ = ["convert_hf_swin_state_dict", "hf_swin_config", "load_hf_swin"]

# transformers >= 5 module names -> hub names
_NEW_TO_HUB = [
    (r"\.attention\.q_proj\.", ".attention.self.query."),
    (r"\.attention\.k_proj\.", ".attention.self.key."),
    (r"\.attention\.v_proj\.", ".attention.self.value."),
    (r"\.attention\.relative_position_bias\.relative_position_bias_table$",
     ".attention.self.relative_position_bias_table"),
    (r"\.attention\.o_proj\.", ".attention.output.dense."),
    (r"\.mlp\.fc1\.", ".intermediate.dense."),
    (r"\.mlp\.fc2\.", ".output.dense."),
]
_BLK = r"^encoder\.layers\.(\d+)\.blocks\.(\d+)\."
_HUB_TO_MMVIZ = [
    (r"^embeddings\.patch_embeddings\.projection\.", "patch_embed.proj."),
    (r"^embeddings\.norm\.", "patch_embed.norm."),
    (_BLK + r"layernorm_before\.", r"stages.\1.blocks.\2.norm1."),
    (_BLK + r"layernorm_after\.", r"stages.\1.blocks.\2.norm2."),
    (_BLK + r"attention\.self\.relative_position_bias_table$", r"stages.\1.blocks.\2.attn.relative_position_bias_table"),
    (_BLK + r"attention\.output\.dense\.", r"stages.\1.blocks.\2.attn.proj."),
    (_BLK + r"intermediate\.dense\.", r"stages.\1.blocks.\2.mlp.fc1."),
    (_BLK + r"output\.dense\.", r"stages.\1.blocks.\2.mlp.fc2."),
    (r"^encoder\.layers\.(\d+)\.downsample\.", r"stages.\1.downsample."),
    (r"^layernorm\.", "norm."),
    (r"^classifier\.", "head."),
]
_QKV = re.compile(_BLK + r"attention\.self\.(query|key|value)\.(weight|bias)$")


def convert_hf_swin_state_dict(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face Swin state dict to mmviz.models.swin.Swin names.

    Args:
        sd: HF tensors, with or without the "swin." prefix, hub or transformers-5 names.

    Returns:
        state dict for mmviz.models.swin.Swin (relative_position_index buffers, pooler and mask token dropped).

    Raises:
        UnsupportedModelError: absolute position embeddings, unknown keys or incomplete q/k/v.
    """
    return convert_keys(sd, family="Swin", rules=_HUB_TO_MMVIZ, qkv=_QKV, prefix="swin.", pre_rules=_NEW_TO_HUB,
                        drop=(r"^pooler\.", r"^embeddings\.mask_token", r"relative_position_index$"),
                        refuse=((r"^embeddings\.position_embeddings",
                                 "Swin with absolute position embeddings is not supported"),),
                        qkv_target=lambda key: f"stages.{key[0]}.blocks.{key[1]}.attn.qkv.{key[2]}")


def hf_swin_config(hf: dict, num_classes: int, pre: dict | None = None) -> SwinConfig:
    """SwinConfig from a Hugging Face config.json dict (and preprocessor_config.json for mean/std)."""
    check_act(hf.get("hidden_act", "gelu"))
    if hf.get("use_absolute_embeddings", False):
        raise UnsupportedModelError("Swin with absolute position embeddings is not supported")

    def first(v, default):
        v = hf.get(v, default)
        return int(v[0] if isinstance(v, (list, tuple)) else v)

    mean, std = IMAGENET_MEAN, IMAGENET_STD
    if pre:
        mean = tuple(float(v) for v in pre.get("image_mean", mean))
        std = tuple(float(v) for v in pre.get("image_std", std))
    return SwinConfig(
        image_size=first("image_size", 224), patch_size=first("patch_size", 4),
        in_chans=hf.get("num_channels", 3), embed_dim=hf.get("embed_dim", 96),
        depths=tuple(hf.get("depths", (2, 2, 6, 2))), num_heads=tuple(hf.get("num_heads", (3, 6, 12, 24))),
        window_size=hf.get("window_size", 7), mlp_ratio=float(hf.get("mlp_ratio", 4.0)),
        qkv_bias=hf.get("qkv_bias", True), layer_norm_eps=hf.get("layer_norm_eps", 1e-5),
        num_classes=num_classes, image_mean=mean, image_std=std,
    )


def load_hf_swin(path: Path, hf_config: dict, device: str | torch.device = "cpu") -> Swin:
    """Load a local Hugging Face Swin checkpoint folder as an mmviz Swin (eval mode, float32).

    Args:
        path: folder with model.safetensors (or pytorch_model.bin); preprocessor_config.json,
            when present, supplies image_mean / image_std (ImageNet's otherwise).
        hf_config: the folder's config.json as a dict (model_type "swin").
        device: where to put the model.

    Returns:
        Swin; with a head and class_names (from id2label) for SwinForImageClassification.

    Raises:
        FileNotFoundError: missing weights.
        UnsupportedModelError: wrong model_type, absolute position embeddings, keys that do not map.
    """
    if hf_config.get("model_type") != "swin":
        raise UnsupportedModelError(f"model_type {hf_config.get('model_type')!r} is not a Swin ('swin')")
    state = convert_hf_swin_state_dict(read_state_dict(path))
    num_classes = state["head.weight"].shape[0] if "head.weight" in state else 0
    cfg = hf_swin_config(hf_config, num_classes, read_preprocessor(path))
    return build(Swin, cfg, state, family="Swin", hf=hf_config, device=device)
