"""Hugging Face GPT-2 checkpoints (GPT2Model, GPT2LMHeadModel, e.g. openai-community/gpt2) -> mmviz GPT.

Key mapping (``transformer.`` prefix of GPT2LMHeadModel stripped; the hub's gpt2 has none):

    wte.weight              (V, D)     -> token_embed.weight (also the tied LM head)
    wpe.weight              (T, D)     -> pos_embed          (T, D)
    h.i.ln_1 / ln_2                    -> blocks.i.norm1 / norm2
    h.i.attn.c_attn.weight  (D, 3D)    -> blocks.i.attn.qkv.weight  (3D, D)  q, k, v already fused in this order
    h.i.attn.c_proj.weight  (D, D)     -> blocks.i.attn.proj.weight (D, D)
    h.i.mlp.c_fc.weight     (D, M)     -> blocks.i.mlp.fc1.weight   (M, D)
    h.i.mlp.c_proj.weight   (M, D)     -> blocks.i.mlp.fc2.weight   (D, M)
    ln_f                               -> norm

GPT-2's ``Conv1D`` stores its weight as (in, out), the transpose of an ``nn.Linear``: every
c_attn / c_proj / c_fc weight is transposed. Old checkpoints also store the causal-mask buffers
``attn.bias`` / ``attn.masked_bias`` (dropped: mmviz builds the mask) and sometimes ``lm_head.weight``
(dropped when tie_word_embeddings, as transformers ties it to wte). transformers 5 writes the same names.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from mmviz.hf.common import UnsupportedModelError, build, check_act, convert_keys, read_state_dict
from mmviz.models.gpt import GPT, GPTConfig
from mmviz.models.layers import ACTIVATIONS
from mmviz.tokenizers.hf import load_tokenizer

__all__ = ["convert_hf_gpt2_state_dict", "hf_gpt2_config", "load_hf_gpt2", "NO_QKV"]

_RULES = [
    (r"^wte\.", "token_embed."),
    (r"^wpe\.weight$", "pos_embed"),
    (r"^h\.(\d+)\.ln_1\.", r"blocks.\1.norm1."),
    (r"^h\.(\d+)\.ln_2\.", r"blocks.\1.norm2."),
    (r"^h\.(\d+)\.attn\.c_attn\.", r"blocks.\1.attn.qkv."),
    (r"^h\.(\d+)\.attn\.c_proj\.", r"blocks.\1.attn.proj."),
    (r"^h\.(\d+)\.mlp\.c_fc\.", r"blocks.\1.mlp.fc1."),
    (r"^h\.(\d+)\.mlp\.c_proj\.", r"blocks.\1.mlp.fc2."),
    (r"^ln_f\.", "norm."),
]
_CONV1D = re.compile(r"\.(c_attn|c_proj|c_fc)\.weight$")  # (in, out) -> transpose
NO_QKV = re.compile(r"(?!)")  # matches nothing: for checkpoints whose q / k / v are already fused


def convert_hf_gpt2_state_dict(sd: dict[str, torch.Tensor], *, tied: bool = True) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face GPT-2 state dict to mmviz.models.gpt.GPT names.

    Args:
        sd: HF tensors (GPT2Model, or GPT2LMHeadModel with the ``transformer.`` prefix).
        tied: the config's tie_word_embeddings; an untied ``lm_head`` is refused (mmviz's head is tied).

    Returns:
        state dict for GPT: Conv1D weights transposed to (out, in); pos_embed (T, D).

    Raises:
        UnsupportedModelError: an unexpected key, or an untied LM head.
    """
    sd = {k: (t.t() if _CONV1D.search(k) else t) for k, t in sd.items()}
    head = ((r"^lm_head\.", "an untied lm_head is not supported (mmviz's GPT ties it to wte)"),)
    return convert_keys(sd, family="GPT-2", rules=_RULES, qkv=NO_QKV, qkv_target=str, prefix="transformer.",
                        drop=(r"\.attn\.(masked_)?bias$",) + ((r"^lm_head\.weight$",) if tied else ()),
                        refuse=() if tied else head, kept=())


def hf_gpt2_config(hf: dict) -> GPTConfig:
    """GPTConfig from a GPT-2 config.json (transformers' GPT2Config defaults for fields it leaves out).

    Raises:
        UnsupportedModelError: an activation mmviz lacks, or attention variants mmviz does not
            implement (scale_attn_by_inverse_layer_idx, unscaled or upcast-reordered attention).
    """
    if hf.get("scale_attn_by_inverse_layer_idx") or hf.get("reorder_and_upcast_attn") \
            or not hf.get("scale_attn_weights", True):
        raise UnsupportedModelError("GPT-2 attention variants (scale_attn_by_inverse_layer_idx, "
                                    "reorder_and_upcast_attn, scale_attn_weights=false) are not supported")
    if hf.get("add_cross_attention"):
        raise UnsupportedModelError("GPT-2 with cross-attention is not supported")
    dim = int(hf.get("n_embd", 768))
    ids = {k: hf.get(f"{k}_token_id", default) for k, default in (("bos", 50256), ("eos", 50256), ("pad", None))}
    return GPTConfig(
        vocab_size=int(hf.get("vocab_size", 50257)), context_length=int(hf.get("n_positions", 1024)), dim=dim,
        depth=int(hf.get("n_layer", 12)), num_heads=int(hf.get("n_head", 12)),
        mlp_ratio=(hf.get("n_inner") or 4 * dim) / dim, layer_norm_eps=float(hf.get("layer_norm_epsilon", 1e-5)),
        hidden_act=check_act(hf.get("activation_function", "gelu_new"), ACTIVATIONS),
        bos_id=-1 if ids["bos"] is None else int(ids["bos"]), eos_id=-1 if ids["eos"] is None else int(ids["eos"]),
        pad_id=-1 if ids["pad"] is None else int(ids["pad"]), tokenizer="bpe",
    )


def load_hf_gpt2(path: Path, hf: dict, device: str | torch.device = "cpu") -> GPT:
    """Load a local GPT-2 checkpoint folder as an mmviz GPT (eval mode, float32).

    Args:
        path: folder with config.json and model.safetensors (or pytorch_model.bin); tokenizer.json
            when present becomes ``model.tokenizer`` (mmviz.tokenizers.hf.JsonTokenizer).
        hf: its config.json.
        device: where to put the model.

    Returns:
        GPT with its tied LM head (``model.logits(hidden)``).
    """
    state = convert_hf_gpt2_state_dict(read_state_dict(path), tied=hf.get("tie_word_embeddings", True))
    model = build(GPT, hf_gpt2_config(hf), state, family="GPT-2", device=device)
    model.tokenizer = load_tokenizer(path)
    return model
