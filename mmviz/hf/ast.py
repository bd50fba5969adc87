"""Hugging Face ASTForAudioClassification / ASTModel checkpoints -> mmviz AST.

The embeddings and the classifier are renamed here; the encoder is Hugging Face's ViT encoder
(old or transformers-5 names) and goes through ``mmviz.hf.vit.convert_vit_encoder``.
"""

from __future__ import annotations

from pathlib import Path

import torch

from mmviz.audio.kaldi import KALDI
from mmviz.hf.common import build, check_act, read_preprocessor, read_state_dict
from mmviz.hf.vit import convert_vit_encoder
from mmviz.models.ast import AST, ASTConfig

__all__ = ["convert_hf_ast_state_dict", "hf_ast_config", "load_hf_ast"]

_AST_KEYS = {
    "embeddings.cls_token": "cls_token",
    "embeddings.distillation_token": "dist_token",
    "embeddings.position_embeddings": "pos_embed",
    "embeddings.patch_embeddings.projection.weight": "patch_embed.proj.weight",
    "embeddings.patch_embeddings.projection.bias": "patch_embed.proj.bias",
    "classifier.layernorm.weight": "head_norm.weight",
    "classifier.layernorm.bias": "head_norm.bias",
    "classifier.dense.weight": "head.weight",
    "classifier.dense.bias": "head.bias",
}


def convert_hf_ast_state_dict(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face AST state dict to mmviz.models.ast.AST names.

    Args:
        sd: HF tensors, with or without the "audio_spectrogram_transformer." prefix.

    Returns:
        state dict for mmviz's AST (qkv fused).
    """
    prefix = "audio_spectrogram_transformer."
    out, encoder = {}, {}
    for key, t in sd.items():
        k = key[len(prefix):] if key.startswith(prefix) else key
        if k in _AST_KEYS:
            out[_AST_KEYS[k]] = t
        else:
            encoder[k] = t
    out.update(convert_vit_encoder(encoder))
    return out


def hf_ast_config(hf: dict, num_classes: int, pre: dict) -> ASTConfig:
    """ASTConfig from config.json and preprocessor_config.json (feature mean / std, sampling rate)."""
    check_act(hf.get("hidden_act", "gelu"))
    patch = hf.get("patch_size", 16)
    dim = hf.get("hidden_size", 768)
    return ASTConfig(
        num_mel_bins=hf.get("num_mel_bins", 128), max_length=hf.get("max_length", 1024),
        patch_size=int(patch[0] if isinstance(patch, (list, tuple)) else patch),
        frequency_stride=hf.get("frequency_stride", 10), time_stride=hf.get("time_stride", 10),
        dim=dim, depth=hf.get("num_hidden_layers", 12), num_heads=hf.get("num_attention_heads", 12),
        mlp_ratio=hf.get("intermediate_size", 4 * dim) / dim, qkv_bias=hf.get("qkv_bias", True),
        layer_norm_eps=hf.get("layer_norm_eps", 1e-12), num_classes=num_classes,
        multi_label=hf.get("problem_type") == "multi_label_classification" or num_classes == 527,
        sampling_rate=pre.get("sampling_rate", 16000),
        feature_mean=float(pre.get("mean", KALDI["audioset_mean"])),
        feature_std=float(pre.get("std", KALDI["audioset_std"])),
    )


def load_hf_ast(path: Path, hf: dict, device: str | torch.device = "cpu") -> AST:
    """Convert a local Hugging Face AST checkpoint folder into an mmviz AST.

    Args:
        path: folder with config.json and model.safetensors (or pytorch_model.bin);
            preprocessor_config.json, when present, supplies the feature mean / std.
        hf: its parsed config.json (model_type "audio-spectrogram-transformer").
        device: where to put the model.

    Returns:
        AST in eval mode, with class_names from id2label (AudioSet's 527 names for the MIT checkpoint).
    """
    state = convert_hf_ast_state_dict(read_state_dict(path))
    num_classes = state["head.weight"].shape[0] if "head.weight" in state else 0
    cfg = hf_ast_config(hf, num_classes, read_preprocessor(path) or {})
    return build(AST, cfg, state, family="AST", hf=hf, device=device)
