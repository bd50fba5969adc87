"""Hugging Face BERT checkpoints (BertModel, BertForMaskedLM, BertForPreTraining, e.g.
google-bert/bert-base-uncased) -> mmviz BERT.

Key mapping (``bert.`` prefix of the task models stripped):

    embeddings.word_embeddings / position_embeddings / token_type_embeddings
                                              -> token_embed / pos_embed / type_embed
    embeddings.LayerNorm                      -> embed_norm
    encoder.layer.i.attention.self.query / key / value (D, D) each
                                              -> blocks.i.attn.qkv (3D, D), q rows first
    encoder.layer.i.attention.output.dense    -> blocks.i.attn.proj
    encoder.layer.i.attention.output.LayerNorm -> blocks.i.norm1   (post-norm: after attention + residual)
    encoder.layer.i.intermediate.dense        -> blocks.i.mlp.fc1
    encoder.layer.i.output.dense              -> blocks.i.mlp.fc2
    encoder.layer.i.output.LayerNorm          -> blocks.i.norm2
    cls.predictions.transform.dense / LayerNorm -> mlm.dense / mlm.norm
    cls.predictions.bias (V,)                 -> mlm.bias

Dropped: the pooler and the next-sentence head ``cls.seq_relationship`` (no lesson uses them), the
``position_ids`` / ``token_type_ids`` buffers, and the MLM decoder ``cls.predictions.decoder``, which
transformers ties to the word embedding and to ``cls.predictions.bias``. Old checkpoints (converted
from TensorFlow, as bert-base-uncased) name LayerNorm parameters ``gamma`` / ``beta``; transformers 5
writes ``weight`` / ``bias`` and otherwise the same names. Without ``cls.predictions`` (a BertModel
checkpoint) the model has no masked-LM head.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from mmviz.hf.common import UnsupportedModelError, build, check_act, convert_keys, read_state_dict
from mmviz.models.bert import BERT, BertConfig
from mmviz.models.layers import ACTIVATIONS
from mmviz.tokenizers.hf import TextTokenizer, load_tokenizer

__all__ = ["convert_hf_bert_state_dict", "hf_bert_config", "load_hf_bert"]

_GAMMA_BETA = [(r"\.LayerNorm\.gamma$", ".LayerNorm.weight"), (r"\.LayerNorm\.beta$", ".LayerNorm.bias")]
_RULES = [
    (r"^embeddings\.word_embeddings\.", "token_embed."),
    (r"^embeddings\.position_embeddings\.", "pos_embed."),
    (r"^embeddings\.token_type_embeddings\.", "type_embed."),
    (r"^embeddings\.LayerNorm\.", "embed_norm."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.dense\.", r"blocks.\1.attn.proj."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.LayerNorm\.", r"blocks.\1.norm1."),
    (r"^encoder\.layer\.(\d+)\.intermediate\.dense\.", r"blocks.\1.mlp.fc1."),
    (r"^encoder\.layer\.(\d+)\.output\.dense\.", r"blocks.\1.mlp.fc2."),
    (r"^encoder\.layer\.(\d+)\.output\.LayerNorm\.", r"blocks.\1.norm2."),
    (r"^cls\.predictions\.transform\.dense\.", "mlm.dense."),
    (r"^cls\.predictions\.transform\.LayerNorm\.", "mlm.norm."),
    (r"^cls\.predictions\.bias$", "mlm.bias"),
]
_QKV = re.compile(r"^encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)\.(weight|bias)$")
_DROP = (r"^pooler\.", r"^cls\.seq_relationship\.", r"^embeddings\.(position_ids|token_type_ids)$",
         r"^cls\.predictions\.decoder\.bias$")
_SPECIALS = {"pad": "[PAD]", "mask": "[MASK]", "cls": "[CLS]", "sep": "[SEP]"}


def convert_hf_bert_state_dict(sd: dict[str, torch.Tensor], *, tied: bool = True) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face BERT state dict to mmviz.models.bert.BERT names.

    Args:
        sd: HF tensors (BertModel, or a task model with the ``bert.`` prefix and ``cls.`` heads).
        tied: the config's tie_word_embeddings; an untied MLM decoder is refused (mmviz ties it).

    Returns:
        state dict for BERT; ``mlm.*`` only when the checkpoint has the masked-LM head.

    Raises:
        UnsupportedModelError: an unexpected key, incomplete q/k/v, or an untied MLM decoder.
    """
    decoder = r"^cls\.predictions\.decoder\.weight$"
    return convert_keys(sd, family="BERT", rules=_RULES, qkv=_QKV, prefix="bert.", pre_rules=_GAMMA_BETA,
                        drop=_DROP + ((decoder,) if tied else ()),
                        refuse=() if tied else ((decoder, "an untied MLM decoder is not supported"),),
                        qkv_target=lambda key: f"blocks.{key[0]}.attn.qkv.{key[1]}", kept=())


def hf_bert_config(hf: dict, *, mlm_head: bool, tokenizer: TextTokenizer | None = None) -> BertConfig:
    """BertConfig from a BERT config.json (transformers' BertConfig defaults for fields it leaves out).

    Args:
        hf: config.json (model_type "bert").
        mlm_head: whether the checkpoint has the masked-LM head.
        tokenizer: the folder's tokenizer, for the ids of [MASK], [CLS], [SEP] (bert-base-uncased's
            103, 101, 102 without one; -1 where those do not fit the vocabulary).

    Raises:
        UnsupportedModelError: an activation mmviz lacks, relative position embeddings, or a decoder.
    """
    if hf.get("position_embedding_type", "absolute") != "absolute":
        raise UnsupportedModelError(f"position_embedding_type {hf['position_embedding_type']!r} is not supported "
                                    "(only absolute)")
    if hf.get("is_decoder") or hf.get("add_cross_attention"):
        raise UnsupportedModelError("BERT as a decoder (is_decoder, add_cross_attention) is not supported")
    dim, vocab = int(hf.get("hidden_size", 768)), int(hf.get("vocab_size", 30522))
    default = BertConfig()
    ids = {}
    for role, token in _SPECIALS.items():
        i = tokenizer.token_to_id(token) if tokenizer is not None else None
        i = getattr(default, f"{role}_id") if i is None else i
        ids[f"{role}_id"] = i if i < vocab else -1
    if hf.get("pad_token_id") is not None:
        ids["pad_id"] = int(hf["pad_token_id"])
    return BertConfig(
        vocab_size=vocab, context_length=int(hf.get("max_position_embeddings", 512)),
        type_vocab_size=int(hf.get("type_vocab_size", 2)), dim=dim, depth=int(hf.get("num_hidden_layers", 12)),
        num_heads=int(hf.get("num_attention_heads", 12)), mlp_ratio=int(hf.get("intermediate_size", 4 * dim)) / dim,
        layer_norm_eps=float(hf.get("layer_norm_eps", 1e-12)),
        hidden_act=check_act(hf.get("hidden_act", "gelu"), ACTIVATIONS), mlm_head=mlm_head, tokenizer="wordpiece",
        **ids,
    )


def load_hf_bert(path: Path, hf: dict, device: str | torch.device = "cpu") -> BERT:
    """Load a local BERT checkpoint folder as an mmviz BERT (eval mode, float32).

    Args:
        path: folder with config.json and model.safetensors (or pytorch_model.bin); tokenizer.json
            when present becomes ``model.tokenizer`` (mmviz.tokenizers.hf.JsonTokenizer, WordPiece).
        hf: its config.json.
        device: where to put the model.

    Returns:
        BERT, with ``mlm`` (masked-LM head) when the checkpoint has ``cls.predictions``.
    """
    state = convert_hf_bert_state_dict(read_state_dict(path), tied=hf.get("tie_word_embeddings", True))
    tokenizer = load_tokenizer(path)
    cfg = hf_bert_config(hf, mlm_head="mlm.dense.weight" in state, tokenizer=tokenizer)
    model = build(BERT, cfg, state, family="BERT", device=device)
    model.tokenizer = tokenizer
    return model
