"""BERT: a bidirectional transformer encoder trained to fill in masked words (Devlin et al. 2019).

Reads top to bottom: token ids -> word + position + segment embeddings -> LayerNorm -> post-norm
blocks in which every token sees every other token (no causal mask; only padding is hidden) ->
hidden states. The masked-LM head (dense -> GELU -> LayerNorm -> logits tied to the word
embedding) scores every vocabulary word at each position; training masks 15% of the tokens
(80% [MASK], 10% a random word, 10% unchanged) and predicts them (``mask_tokens``).

BERT checkpoints convert one to one (``mmviz.hf.bert``); the tiny BERT of the lessons is trained by
``python -m mmviz.train bert-tiny``.

Shapes: B batch, T tokens, D width, h heads, L layers, V vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from mmviz.models.layers import ACTIVATIONS, Block, init_weights, padding_mask

__all__ = ["BertConfig", "PRESETS", "BERT", "mask_tokens"]


@dataclass(frozen=True)
class BertConfig:
    """BERT hyper-parameters (hashable).

    Attributes:
        vocab_size: V.
        context_length: most tokens (learned positions, BERT's max_position_embeddings).
        type_vocab_size: segments (sentence A / B).
        dim, depth, num_heads, mlp_ratio: D, L, h, MLP width / D.
        layer_norm_eps: 1e-12 in BERT.
        hidden_act: MLP and MLM-head activation.
        mlm_head: whether the masked-LM head exists (a BertModel checkpoint has none).
        pad_id, mask_id, cls_id, sep_id: special ids of its tokenizer.
        tokenizer: "shapes-en" (mmviz.tokenizers.text.english_tokenizer) or "wordpiece" (a checkpoint's).
    """

    vocab_size: int = 30522
    context_length: int = 512
    type_vocab_size: int = 2
    dim: int = 768
    depth: int = 12
    num_heads: int = 12
    mlp_ratio: float = 4.0
    layer_norm_eps: float = 1e-12
    hidden_act: str = "gelu"
    mlm_head: bool = True
    pad_id: int = 0
    mask_id: int = 103
    cls_id: int = 101
    sep_id: int = 102
    tokenizer: str = "wordpiece"
    qkv_bias: bool = True
    norm_first: bool = False


PRESETS: dict[str, BertConfig] = {
    # google-bert/bert-base-uncased
    "bert-base-uncased": BertConfig(),
    # trained by `python -m mmviz.train bert-tiny` on mmviz.data.text (vocabulary of mmviz.tokenizers.text)
    "bert-tiny-shapes": BertConfig(vocab_size=98, context_length=48, dim=128, depth=4, num_heads=4, mlp_ratio=4.0,
                                   pad_id=0, mask_id=4, cls_id=2, sep_id=3, tokenizer="shapes-en"),
}


class MLMHead(nn.Module):
    """Masked-LM head: dense -> activation -> LayerNorm -> scores over the vocabulary (decoder tied to the
    word embedding) + bias."""

    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(cfg.dim, cfg.dim)
        self.act = ACTIVATIONS[cfg.hidden_act]
        self.norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.bias = nn.Parameter(torch.zeros(cfg.vocab_size))

    def forward(self, hidden: torch.Tensor, word_embed: torch.Tensor) -> torch.Tensor:
        """hidden (B, T, D), word_embed (V, D) -> (B, T, V)."""
        return self.norm(self.act(self.dense(hidden))) @ word_embed.t() + self.bias


class BERT(nn.Module):
    """Bidirectional encoder with an optional masked-LM head.

    Args:
        cfg: a BertConfig.
    """

    def __init__(self, cfg: BertConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.token_embed = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.pos_embed = nn.Embedding(cfg.context_length, cfg.dim)
        self.type_embed = nn.Embedding(cfg.type_vocab_size, cfg.dim)
        self.embed_norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.blocks = nn.ModuleList([Block.from_config(cfg) for _ in range(cfg.depth)])
        self.mlm = MLMHead(cfg) if cfg.mlm_head else None
        self.tokenizer = None  # set by the loaders for a checkpoint's tokenizer
        if cfg.tokenizer == "shapes-en":  # the grammar's word pieces, built from its vocabulary
            from mmviz.tokenizers.text import TextTokenizer

            self.tokenizer = TextTokenizer.english()
        self.class_names: list[str] | None = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """N(0, 0.02) weights and embeddings, zero biases (BERT's init; call after torch.manual_seed)."""
        init_weights(self)
        for emb in (self.token_embed, self.pos_embed, self.type_embed):
            nn.init.normal_(emb.weight, std=0.02)

    def embed(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        """(B, T) ids -> (B, T, D): word + position + segment embeddings, then LayerNorm."""
        B, T = input_ids.shape
        if T > self.cfg.context_length:
            raise ValueError(f"{T} tokens exceed the context length {self.cfg.context_length}")
        types = torch.zeros_like(input_ids) if token_type_ids is None else token_type_ids
        pos = torch.arange(T, device=input_ids.device)
        x = self.token_embed(input_ids) + self.pos_embed(pos)[None] + self.type_embed(types)
        return self.embed_norm(x)

    def forward(self, input_ids: torch.Tensor, *, attention_mask: torch.Tensor | None = None,
                token_type_ids: torch.Tensor | None = None,
                return_attn: bool = False) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """Encode token ids.

        Args:
            input_ids: (B, T) int64.
            attention_mask: (B, T) 1 = real token, 0 = padding (padding is never attended to).
            token_type_ids: (B, T) segment ids (default 0).
            return_attn: also return every block's attention.

        Returns:
            hidden: (B, T, D) final hidden states (no pooler).
            attentions: L tensors (B, h, T, T), or None.
        """
        x = self.embed(input_ids, token_type_ids)
        mask = None if attention_mask is None else padding_mask(attention_mask)  # (B, 1, 1, T)
        attentions = []
        for block in self.blocks:
            x, attn = block(x, return_attn=return_attn, attn_mask=mask)
            if return_attn:
                attentions.append(attn)
        return x, (attentions if return_attn else None)

    def mlm_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """(B, T, D) -> (B, T, V): how likely each vocabulary word is at each position."""
        if self.mlm is None:
            raise ValueError("this BERT has no masked-LM head")
        return self.mlm(hidden, self.token_embed.weight)


def mask_tokens(input_ids: torch.Tensor, *, mask_id: int, vocab_size: int, special: torch.Tensor,
                generator: torch.Generator | None = None, rate: float = 0.15,
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """BERT's masking recipe: choose 15% of the (non-special) tokens; of those, 80% become [MASK],
    10% a random token and 10% stay; the model must predict the original of every chosen token.

    Args:
        input_ids: (B, T).
        mask_id: id of [MASK].
        vocab_size: V (random replacements are drawn from it).
        special: (B, T) bool, tokens never chosen ([CLS], [SEP], padding).
        generator: for reproducible masks.
        rate: share of tokens chosen.

    Returns:
        (masked ids (B, T), labels (B, T) = original id where chosen else -100, how (B, T) int:
        0 not chosen, 1 [MASK], 2 random, 3 kept).
    """
    B, T = input_ids.shape
    u = torch.rand(B, T, generator=generator)
    chosen = (u < rate) & ~special
    kind = torch.rand(B, T, generator=generator)
    to_mask = chosen & (kind < 0.8)
    to_random = chosen & (kind >= 0.8) & (kind < 0.9)
    randoms = torch.randint(0, vocab_size, (B, T), generator=generator)
    out = torch.where(to_mask, torch.full_like(input_ids, mask_id), input_ids)
    out = torch.where(to_random, randoms.to(input_ids), out)
    labels = torch.where(chosen, input_ids, torch.full_like(input_ids, -100))
    how = torch.zeros_like(input_ids) + to_mask.long() + 2 * to_random.long() + 3 * (chosen & ~to_mask & ~to_random).long()
    return out, labels, how
