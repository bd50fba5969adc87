"""Hugging Face Marian checkpoints (MarianModel, MarianMTModel, e.g. Helsinki-NLP/opus-mt-en-de) ->
mmviz EncoderDecoder.

Key mapping (``model.`` prefix of MarianMTModel stripped; S = encoder, T = decoder):

    shared.weight (V, D)                            -> src_embed.weight = tgt_embed.weight (one matrix)
    encoder / decoder.embed_tokens.weight           -> the same matrix (tied; own matrices when
                                                       share_encoder_decoder_embeddings is false)
    encoder / decoder.embed_positions.weight        -> dropped: mmviz computes the same sinusoids
                                                       (checked: [sin | cos] halves, positions from 0)
    {encoder,decoder}.layers.i.self_attn.q/k/v_proj -> {encoder,decoder}.i.attn.qkv (3D, D), q rows first
    ....self_attn.out_proj                          -> ....attn.proj
    ....self_attn_layer_norm                        -> ....norm1
    decoder.layers.i.encoder_attn.q_proj            -> decoder.i.cross.q
    decoder.layers.i.encoder_attn.k_proj / v_proj   -> decoder.i.cross.kv (2D, D), k rows first
    decoder.layers.i.encoder_attn.out_proj          -> decoder.i.cross.proj
    decoder.layers.i.encoder_attn_layer_norm        -> decoder.i.norm_cross
    ....final_layer_norm                            -> ....norm2
    ....fc1 / fc2                                   -> ....mlp.fc1 / fc2
    final_logits_bias (1, V)                        -> final_logits_bias (V,) (zeros for a MarianModel)
    lm_head.weight                                  -> dropped: tied to the target embedding

Marian is post-norm with no final LayerNorm and no embedding LayerNorm, embeddings scaled by
sqrt(D) (scale_embedding) and the Swish activation, all of which EncoderDecoder has.
transformers 5 writes the hub's names but no longer saves embed_positions.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from mmviz.hf.common import UnsupportedModelError, build, check_act, convert_keys, fuse_qkv, read_state_dict
from mmviz.models.encdec import EncDecConfig, EncoderDecoder
from mmviz.models.layers import ACTIVATIONS
from mmviz.pos_embed.sinusoidal import sinusoidal_1d
from mmviz.tokenizers.hf import load_marian_tokenizers

__all__ = ["convert_hf_marian_state_dict", "hf_marian_config", "load_hf_marian", "MARIAN_DEFAULTS"]

#: transformers' MarianConfig defaults, for fields a config.json leaves out
MARIAN_DEFAULTS = dict(vocab_size=58101, d_model=1024, encoder_layers=12, decoder_layers=12,
                       encoder_attention_heads=16, decoder_attention_heads=16, encoder_ffn_dim=4096,
                       decoder_ffn_dim=4096, activation_function="gelu", scale_embedding=False,
                       max_position_embeddings=1024, pad_token_id=58100, eos_token_id=0,
                       decoder_start_token_id=58100, share_encoder_decoder_embeddings=True, tie_word_embeddings=True)

_LAYER_RULES = [  # inside one stack, after "encoder." / "decoder." is stripped; the stack name is put back
    (r"^layers\.(\d+)\.self_attn\.out_proj\.", r"\1.attn.proj."),
    (r"^layers\.(\d+)\.self_attn_layer_norm\.", r"\1.norm1."),
    (r"^layers\.(\d+)\.encoder_attn\.q_proj\.", r"\1.cross.q."),
    (r"^layers\.(\d+)\.encoder_attn\.(k|v)_proj\.", r"\1.cross.\2."),  # fused into cross.kv below
    (r"^layers\.(\d+)\.encoder_attn\.out_proj\.", r"\1.cross.proj."),
    (r"^layers\.(\d+)\.encoder_attn_layer_norm\.", r"\1.norm_cross."),
    (r"^layers\.(\d+)\.final_layer_norm\.", r"\1.norm2."),
    (r"^layers\.(\d+)\.fc(1|2)\.", r"\1.mlp.fc\2."),
]
_QKV_NAMES = [(rf"\.self_attn\.{a}_proj\.", f".self_attn.{b}.") for a, b in zip("qkv", ("query", "key", "value"))]
_QKV = re.compile(r"^layers\.(\d+)\.self_attn\.(query|key|value)\.(weight|bias)$")
_CROSS_KV = re.compile(r"^decoder\.(\d+)\.cross\.(k|v)\.(weight|bias)$")
_EMBED = {"encoder": "src_embed.weight", "decoder": "tgt_embed.weight"}


def _settings(hf: dict) -> dict:
    return {**MARIAN_DEFAULTS, **{k: v for k, v in hf.items() if v is not None}}


def _check_positions(table: torch.Tensor, stack: str) -> None:
    """A stored embed_positions (N, D) must be the sinusoids mmviz computes, else the model would differ."""
    if not torch.allclose(table.float(), sinusoidal_1d(*table.shape, split=True), atol=1e-4):
        raise UnsupportedModelError(f"{stack}.embed_positions are not Marian's sinusoids (learned positions "
                                    "are not supported)")


def _convert_stack(part: dict[str, torch.Tensor], stack: str) -> dict[str, torch.Tensor]:
    """One stack's layers ("layers.i. ..." keys) -> "<stack>.i. ..." mmviz names, self-attention q/k/v fused."""
    return convert_keys(part, family=f"Marian {stack}", rules=[(p, f"{stack}.{r}") for p, r in _LAYER_RULES],
                        qkv=_QKV, qkv_target=lambda key: f"{stack}.{key[0]}.attn.qkv.{key[1]}",
                        pre_rules=_QKV_NAMES, kept=())


def convert_hf_marian_state_dict(sd: dict[str, torch.Tensor], hf: dict) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face Marian state dict to mmviz.models.encdec.EncoderDecoder names.

    Args:
        sd: HF tensors (MarianModel, or MarianMTModel with the ``model.`` prefix).
        hf: its config.json (share_encoder_decoder_embeddings, tie_word_embeddings).

    Returns:
        state dict for EncoderDecoder: encoder.i.attn.qkv (3D, D), decoder.i.cross.kv (2D, D),
        src_embed.weight and tgt_embed.weight (the same tensor when shared), final_logits_bias (V,).

    Raises:
        UnsupportedModelError: an unexpected key, incomplete q/k/v or k/v, positions that are not
            the sinusoids, or an output layer that is not tied to the target embedding.
    """
    s = _settings(hf)
    sd = {k.removeprefix("model."): t for k, t in sd.items()}
    out: dict[str, torch.Tensor] = {}
    for stack, embed in _EMBED.items():
        part = {k[len(stack) + 1:]: t for k, t in sd.items() if k.startswith(stack + ".")}
        if "embed_positions.weight" in part:
            _check_positions(part.pop("embed_positions.weight"), stack)
        tokens = part.pop("embed_tokens.weight", None)
        if tokens is not None:
            out[embed] = tokens
        out.update(_convert_stack(part, stack))
    rest = {k: t for k, t in sd.items() if k.split(".")[0] not in _EMBED}  # shared, lm_head, bias
    if s["share_encoder_decoder_embeddings"]:  # one matrix (shared.weight; embed_tokens are tied copies of it)
        shared = rest.pop("shared.weight", out.get(_EMBED["encoder"]))
        out.update({name: shared for name in _EMBED.values() if shared is not None})
    lm_head = rest.pop("lm_head.weight", None)
    if lm_head is not None and not s["tie_word_embeddings"]:
        raise UnsupportedModelError("an lm_head not tied to the target embedding is not supported")
    bias = rest.pop("final_logits_bias", None)
    if rest:
        raise UnsupportedModelError(f"unexpected key in Marian checkpoint: {sorted(rest)[0]}")
    if bias is not None:
        out["final_logits_bias"] = bias.reshape(-1)  # (1, V) -> (V,)
    elif _EMBED["decoder"] in out:  # MarianModel has no LM head: no bias
        out["final_logits_bias"] = torch.zeros(out[_EMBED["decoder"]].shape[0])
    kv: dict[tuple, dict[str, torch.Tensor]] = {}
    for key in [k for k in out if _CROSS_KV.match(k)]:
        layer, which, kind = _CROSS_KV.match(key).groups()
        kv.setdefault((int(layer), kind), {})[which] = out.pop(key)
    out.update(fuse_qkv(kv, lambda key: f"decoder.{key[0]}.cross.kv.{key[1]}", names=("k", "v")))
    return out


def hf_marian_config(hf: dict) -> EncDecConfig:
    """EncDecConfig from a Marian config.json (transformers' MarianConfig defaults for missing fields).

    Raises:
        UnsupportedModelError: what EncoderDecoder cannot express: different head counts or MLP widths
            in encoder and decoder, an odd width, an activation mmviz lacks.
    """
    s = _settings(hf)
    for a, b in (("encoder_attention_heads", "decoder_attention_heads"), ("encoder_ffn_dim", "decoder_ffn_dim")):
        if s[a] != s[b]:
            raise UnsupportedModelError(f"{a} {s[a]} != {b} {s[b]}: mmviz's EncoderDecoder uses one value for both")
    dim = int(s["d_model"])
    if dim % 2:
        raise UnsupportedModelError(f"odd d_model {dim}: the sinusoidal positions need an even width")
    shared = bool(s["share_encoder_decoder_embeddings"])
    vocab = int(s["vocab_size"])
    return EncDecConfig(
        src_vocab_size=vocab, tgt_vocab_size=vocab if shared else int(s.get("decoder_vocab_size") or vocab),
        shared_vocab=shared, context_length=int(s["max_position_embeddings"]), dim=dim,
        enc_depth=int(s["encoder_layers"]), dec_depth=int(s["decoder_layers"]),
        num_heads=int(s["encoder_attention_heads"]), mlp_ratio=int(s["encoder_ffn_dim"]) / dim,
        hidden_act=check_act(s["activation_function"], ACTIVATIONS), scale_embedding=bool(s["scale_embedding"]),
        pad_id=int(s["pad_token_id"]), bos_id=int(s["decoder_start_token_id"]), eos_id=int(s["eos_token_id"]),
        src_tokenizer="spm", tgt_tokenizer="spm",
    )


def load_hf_marian(path: Path, hf: dict, device: str | torch.device = "cpu") -> EncoderDecoder:
    """Load a local Marian checkpoint folder as an mmviz EncoderDecoder (eval mode, float32).

    Args:
        path: folder with config.json and model.safetensors (or pytorch_model.bin); with source.spm,
            target.spm and vocab.json, ``model.src_tokenizer`` / ``model.tgt_tokenizer`` are set
            (mmviz.tokenizers.hf.SentencePieceTokenizer).
        hf: its config.json.
        device: where to put the model.

    Returns:
        EncoderDecoder (``greedy`` translates; ``logits`` adds final_logits_bias).
    """
    cfg = hf_marian_config(hf)
    model = build(EncoderDecoder, cfg, convert_hf_marian_state_dict(read_state_dict(path), hf), family="Marian",
                  device=device)
    tokenizers = load_marian_tokenizers(path)
    if tokenizers is not None:
        model.src_tokenizer, model.tgt_tokenizer = tokenizers
    return model
