"""Hugging Face CLIP checkpoints (CLIPModel, e.g. openai/clip-vit-base-patch32) -> mmviz CLIP.

A checkpoint folder holds config.json (model_type "clip", with text_config / vision_config),
model.safetensors (or pytorch_model.bin), preprocessor_config.json (image mean / std) and
tokenizer.json (CLIP's byte-level BPE). `load_hf_clip` turns them into an mmviz `CLIP` whose
image tower is mmviz's ViT (pre-LayerNorm, bias-free patch conv) and whose text tower is
`TextTransformer`, with the checkpoint's tokenizer attached as `model.tokenizer`.

Key mapping (per tower, q / k / v Linears fused into one qkv, q rows first):

    vision_model.embeddings.class_embedding          (D,)      -> visual.cls_token     (1, 1, D)
    vision_model.embeddings.position_embedding.weight (1+N, D) -> visual.pos_embed     (1, 1+N, D)
    vision_model.embeddings.patch_embedding.weight            -> visual.patch_embed.proj.weight
    vision_model.pre_layrnorm / post_layernorm                -> visual.norm_pre / visual.norm
    text_model.embeddings.token_embedding.weight              -> text.token_embed.weight
    text_model.embeddings.position_embedding.weight   (L, D)  -> text.pos_embed        (L, D)
    text_model.final_layer_norm                               -> text.norm
    {vision,text}_model.encoder.layers.i.layer_norm1 / 2      -> {visual,text}.blocks.i.norm1 / 2
    ....self_attn.{q,k,v}_proj                                -> ....attn.qkv
    ....self_attn.out_proj                                    -> ....attn.proj
    ....mlp.fc1 / fc2                                         -> ....mlp.fc1 / fc2
    visual_projection, text_projection, logit_scale           -> same names

transformers 5 writes the same CLIP key names as the hub's checkpoints; the only difference
handled here is that old checkpoints also store the `position_ids` buffers (dropped).

Pooling: transformers' CLIPTextTransformer pools at the position of the largest token id when
the config's eos_token_id is 2 (configs written before transformers PR #24773, such as
openai/clip-vit-base-patch32's, where `<|endoftext|>` is the last id of the vocabulary), and at
the first `eos_token_id` otherwise. mmviz mirrors that rule with TextConfig.pool "argmax" / "eos".
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from mmviz.hf.common import UnsupportedModelError, build, check_act, fuse_qkv, read_preprocessor, read_state_dict, \
    square
from mmviz.models.clip import CLIP, OPENAI_MEAN, OPENAI_STD, CLIPConfig, TextConfig
from mmviz.models.layers import ACTIVATIONS
from mmviz.models.vit import ViTConfig
from mmviz.tokenizers import Tokenizer

__all__ = ["convert_hf_clip_state_dict", "hf_clip_config", "load_hf_clip", "LEGACY_EOS_TOKEN_ID"]

LEGACY_EOS_TOKEN_ID = 2  # transformers' marker for "pool at argmax(input_ids)"

# defaults of transformers' CLIPTextConfig / CLIPVisionConfig (openai/clip-vit-base-patch32), used
# for fields a config.json leaves out (transformers only writes values that differ from them)
_TEXT_DEFAULTS = dict(vocab_size=49408, hidden_size=512, intermediate_size=2048, num_hidden_layers=12,
                      num_attention_heads=8, max_position_embeddings=77, hidden_act="quick_gelu",
                      layer_norm_eps=1e-5, eos_token_id=49407)
_VISION_DEFAULTS = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12,
                        num_channels=3, image_size=224, patch_size=32, hidden_act="quick_gelu", layer_norm_eps=1e-5)

_TOWERS = {"vision_model": "visual", "text_model": "text"}
_BLOCK = re.compile(r"^(vision_model|text_model)\.encoder\.layers\.(\d+)\.(.+)$")
_BLOCK_PARTS = {  # key inside a CLIPEncoderLayer -> key inside mmviz.models.vit.Block
    "layer_norm1.weight": "norm1.weight", "layer_norm1.bias": "norm1.bias",
    "layer_norm2.weight": "norm2.weight", "layer_norm2.bias": "norm2.bias",
    "self_attn.out_proj.weight": "attn.proj.weight", "self_attn.out_proj.bias": "attn.proj.bias",
    "mlp.fc1.weight": "mlp.fc1.weight", "mlp.fc1.bias": "mlp.fc1.bias",
    "mlp.fc2.weight": "mlp.fc2.weight", "mlp.fc2.bias": "mlp.fc2.bias",
}
_QKV = re.compile(r"^self_attn\.(q|k|v)_proj\.(weight|bias)$")
_PLAIN = {  # every other key: HF name -> mmviz name (reshaped where the shapes differ, see below)
    "vision_model.embeddings.class_embedding": "visual.cls_token",
    "vision_model.embeddings.position_embedding.weight": "visual.pos_embed",
    "vision_model.embeddings.patch_embedding.weight": "visual.patch_embed.proj.weight",
    "vision_model.pre_layrnorm.weight": "visual.norm_pre.weight",
    "vision_model.pre_layrnorm.bias": "visual.norm_pre.bias",
    "vision_model.post_layernorm.weight": "visual.norm.weight",
    "vision_model.post_layernorm.bias": "visual.norm.bias",
    "text_model.embeddings.token_embedding.weight": "text.token_embed.weight",
    "text_model.embeddings.position_embedding.weight": "text.pos_embed",
    "text_model.final_layer_norm.weight": "text.norm.weight",
    "text_model.final_layer_norm.bias": "text.norm.bias",
    "visual_projection.weight": "visual_projection.weight",
    "text_projection.weight": "text_projection.weight",
    "logit_scale": "logit_scale",
}
_DROP = re.compile(r"\.position_ids$")  # buffers old checkpoints saved; mmviz recomputes positions


def convert_hf_clip_state_dict(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face CLIPModel state dict to mmviz.models.clip.CLIP names.

    Args:
        sd: HF tensors (hub or transformers-5 checkpoint; `position_ids` buffers are dropped).

    Returns:
        state dict for mmviz.models.clip.CLIP: fused qkv (3D, D) weights and (3D,) biases, q rows
        first; visual.cls_token (1, 1, D_v); visual.pos_embed (1, 1+N, D_v); text.pos_embed (L, D_t).

    Raises:
        UnsupportedModelError: a key that does not map, incomplete q/k/v, or a checkpoint
            without both towers and projections (only a full CLIPModel is supported).
    """
    out: dict[str, torch.Tensor] = {}
    qkv: dict[tuple, dict[str, torch.Tensor]] = {}
    for key, t in sd.items():
        if _DROP.search(key):
            continue
        m = _BLOCK.match(key)
        if m:
            tower, layer, rest = _TOWERS[m.group(1)], m.group(2), m.group(3)
            q = _QKV.match(rest)
            if q:
                qkv.setdefault((tower, int(layer), q.group(2)), {})[q.group(1)] = t
            elif rest in _BLOCK_PARTS:
                out[f"{tower}.blocks.{layer}.{_BLOCK_PARTS[rest]}"] = t
            else:
                raise UnsupportedModelError(f"unexpected key in CLIP checkpoint: {key}")
            continue
        if key not in _PLAIN:
            raise UnsupportedModelError(f"unexpected key in CLIP checkpoint: {key}")
        new = _PLAIN[key]
        if new == "visual.cls_token":
            t = t.reshape(1, 1, -1)  # (D,) -> (1, 1, D)
        elif new == "visual.pos_embed":
            t = t.unsqueeze(0)  # (1+N, D) -> (1, 1+N, D)
        out[new] = t
    out.update(fuse_qkv(qkv, lambda key: f"{key[0]}.blocks.{key[1]}.attn.qkv.{key[2]}", names=("q", "k", "v")))
    needed = ("visual.cls_token", "text.token_embed.weight", "visual_projection.weight", "text_projection.weight",
              "logit_scale")
    missing = [k for k in needed if k not in out]
    if missing:
        raise UnsupportedModelError(f"not a full CLIPModel checkpoint (both towers, both projections and "
                                    f"logit_scale are needed); missing {missing}")
    return out


def _tower(hf: dict, name: str, defaults: dict) -> dict:
    """One tower's settings: defaults, then config.json's `<name>`, then a legacy `<name>_dict`."""
    sub = dict(defaults)
    sub.update({k: v for k, v in (hf.get(name) or {}).items() if v is not None})
    sub.update({k: v for k, v in (hf.get(f"{name}_dict") or {}).items() if v is not None})
    return sub


def hf_clip_config(hf: dict, pre: dict | None = None, eos_id: int | None = None) -> CLIPConfig:
    """CLIPConfig from a Hugging Face CLIP config.json dict.

    Args:
        hf: config.json (model_type "clip").
        pre: preprocessor_config.json for image_mean / image_std (OpenAI's when None or absent).
        eos_id: the tokenizer's `<|endoftext|>` id. Stored as TextConfig.eos_token_id when the
            config holds the legacy eos_token_id 2 (where pooling is by argmax and 2 is not the
            real end token); without a tokenizer the last id of the vocabulary is assumed there.

    Returns:
        CLIPConfig: vision = ViTConfig(pre_norm=True, patch_bias=False, num_classes=0, ...),
        text = TextConfig(tokenizer="bpe", pool "argmax" iff eos_token_id == 2, else "eos").
    """
    v = _tower(hf, "vision_config", _VISION_DEFAULTS)
    t = _tower(hf, "text_config", _TEXT_DEFAULTS)
    mean, std = OPENAI_MEAN, OPENAI_STD
    if pre:
        mean = tuple(float(x) for x in pre.get("image_mean", mean))
        std = tuple(float(x) for x in pre.get("image_std", std))
    vision = ViTConfig(
        image_size=square(v["image_size"], "image_size"), patch_size=square(v["patch_size"], "patch_size"),
        in_chans=int(v["num_channels"]), dim=int(v["hidden_size"]), depth=int(v["num_hidden_layers"]),
        num_heads=int(v["num_attention_heads"]), mlp_ratio=v["intermediate_size"] / v["hidden_size"],
        qkv_bias=True, layer_norm_eps=float(v["layer_norm_eps"]), num_classes=0, image_mean=mean, image_std=std,
        hidden_act=check_act(v["hidden_act"], ACTIVATIONS, "vision "), pre_norm=True, patch_bias=False,
    )
    eos = t["eos_token_id"]
    if not isinstance(eos, int) or isinstance(eos, bool):
        raise UnsupportedModelError(f"text eos_token_id {eos!r} is not supported (a single integer id is needed)")
    legacy = eos == LEGACY_EOS_TOKEN_ID
    text = TextConfig(
        vocab_size=int(t["vocab_size"]), context_length=int(t["max_position_embeddings"]),
        dim=int(t["hidden_size"]), depth=int(t["num_hidden_layers"]), num_heads=int(t["num_attention_heads"]),
        mlp_ratio=t["intermediate_size"] / t["hidden_size"], qkv_bias=True, layer_norm_eps=float(t["layer_norm_eps"]),
        hidden_act=check_act(t["hidden_act"], ACTIVATIONS, "text "),
        eos_token_id=(eos_id if eos_id is not None else int(t["vocab_size"]) - 1) if legacy else eos,
        pool="argmax" if legacy else "eos", tokenizer="bpe",
    )
    # logit_scale_init stays mmviz's ln(1/0.07): the checkpoint's learned logit_scale replaces it
    return CLIPConfig(vision=vision, text=text, embed_dim=int(hf.get("projection_dim") or 512))


def load_hf_clip(path: Path, hf_config: dict, device: str | torch.device = "cpu") -> CLIP:
    """Load a local Hugging Face CLIP checkpoint folder as an mmviz CLIP (eval mode, float32).

    Args:
        path: folder with config.json, model.safetensors (or pytorch_model.bin), tokenizer.json
            and, optionally, preprocessor_config.json (image mean / std; OpenAI's otherwise).
        hf_config: the folder's config.json as a dict (model_type "clip").
        device: where to put the model.

    Returns:
        CLIP with `tokenizer` = mmviz.tokenizers.Tokenizer read from tokenizer.json
        (context length = the text tower's max_position_embeddings).

    Raises:
        FileNotFoundError: missing weights, or no tokenizer.json (a CLIP that cannot read prompts
            is no use to the lesson; the message says how to fetch it).
        UnsupportedModelError: wrong model_type, an activation mmviz lacks, keys or shapes that
            do not fit, a tokenizer with more ids than the text tower's embedding table.
    """
    path = Path(path)
    if hf_config.get("model_type") != "clip":
        raise UnsupportedModelError(f"model_type {hf_config.get('model_type')!r} is not a CLIP ('clip')")
    tok_file = path / "tokenizer.json"
    if not tok_file.is_file():
        raise FileNotFoundError(
            f"{path.name} has no tokenizer.json, which CLIP needs to read prompts. Fetch it with "
            f"`python -m mmviz.download <name> --force` (e.g. openai/clip-vit-base-patch32)."
        )
    state = convert_hf_clip_state_dict(read_state_dict(path))
    cfg0 = hf_clip_config(hf_config)  # for the context length
    tokenizer = Tokenizer.from_file(tok_file, context_length=cfg0.text.context_length)
    cfg = hf_clip_config(hf_config, read_preprocessor(path), eos_id=tokenizer.eos_id)
    if tokenizer.vocab_size > cfg.text.vocab_size:
        raise UnsupportedModelError(f"tokenizer.json has {tokenizer.vocab_size} ids but the text tower embeds "
                                    f"only {cfg.text.vocab_size}")
    n_pos = state["visual.pos_embed"].shape[1] - 1
    if n_pos != cfg.vision.num_patches:
        raise UnsupportedModelError(f"vision position embeddings for {n_pos} patches do not fit image_size "
                                    f"{cfg.vision.image_size} / patch_size {cfg.vision.patch_size}")
    model = build(CLIP, cfg, state, family="CLIP", device=device)
    model.tokenizer = tokenizer
    return model
