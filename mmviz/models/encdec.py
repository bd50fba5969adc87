"""The original Transformer (Vaswani et al. 2017): an encoder reads the source sentence, a decoder
writes the target sentence one token at a time and reads the source through cross-attention.

Reads top to bottom: source ids -> scaled embedding + sinusoidal positions -> encoder blocks
(self-attention over the whole source) -> memory. Target ids (shifted right, starting with the
decoder start token) -> scaled embedding + positions -> decoder blocks: masked self-attention
(causal), cross-attention (queries from the target, keys and values from the memory), MLP ->
logits tied to the target embedding. Post-norm, as the paper and Marian (``mmviz.hf.marian``).

Shapes: B batch, S source tokens, T target tokens, D width, h heads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn

from mmviz.models.layers import Block, DecoderBlock, KVCache, causal_mask, init_weights, padding_mask
from mmviz.pos_embed.sinusoidal import sinusoidal_1d

__all__ = ["EncDecConfig", "PRESETS", "EncoderDecoder"]


@dataclass(frozen=True)
class EncDecConfig:
    """Encoder-decoder hyper-parameters (hashable).

    Attributes:
        src_vocab_size, tgt_vocab_size: vocabularies (equal when shared).
        shared_vocab: one embedding matrix for source, target and the output (Marian).
        context_length: most positions (sinusoidal table).
        dim, enc_depth, dec_depth, num_heads, mlp_ratio: D, encoder and decoder blocks, h, MLP width / D.
        layer_norm_eps, hidden_act: LayerNorm epsilon, MLP activation (Marian: "swish").
        norm_first: pre-norm (False: post-norm as the paper).
        scale_embedding: multiply embeddings by sqrt(D) (the paper, Marian).
        pad_id, bos_id (the decoder start token), eos_id: special ids.
        src_tokenizer, tgt_tokenizer: "shapes-en" / "shapes-ko" (mmviz.tokenizers.text) or "spm" (a checkpoint's).
    """

    src_vocab_size: int = 58101
    tgt_vocab_size: int = 58101
    shared_vocab: bool = True
    context_length: int = 512
    dim: int = 512
    enc_depth: int = 6
    dec_depth: int = 6
    num_heads: int = 8
    mlp_ratio: float = 4.0
    layer_norm_eps: float = 1e-5
    hidden_act: str = "swish"
    norm_first: bool = False
    scale_embedding: bool = True
    pad_id: int = 58100
    bos_id: int = 58100
    eos_id: int = 0
    src_tokenizer: str = "spm"
    tgt_tokenizer: str = "spm"
    qkv_bias: bool = True


PRESETS: dict[str, EncDecConfig] = {
    # Helsinki-NLP/opus-mt-en-de (Marian)
    "opus-mt-en-de": EncDecConfig(),
    # trained by `python -m mmviz.train encdec-tiny`: English -> Korean on mmviz.data.text
    "encdec-tiny-shapes": EncDecConfig(src_vocab_size=98, tgt_vocab_size=65, shared_vocab=False, context_length=48,
                                       dim=128, enc_depth=3, dec_depth=3, num_heads=4, mlp_ratio=4.0,
                                       hidden_act="relu", pad_id=0, bos_id=5, eos_id=6, src_tokenizer="shapes-en",
                                       tgt_tokenizer="shapes-ko"),
}


class EncoderDecoder(nn.Module):
    """Encoder, decoder with cross-attention, and a tied output layer.

    Args:
        cfg: an EncDecConfig.
    """

    def __init__(self, cfg: EncDecConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.src_embed = nn.Embedding(cfg.src_vocab_size, cfg.dim)
        self.tgt_embed = self.src_embed if cfg.shared_vocab else nn.Embedding(cfg.tgt_vocab_size, cfg.dim)
        self.register_buffer("pos_table", sinusoidal_1d(cfg.context_length, cfg.dim, split=True), persistent=False)
        self.encoder = nn.ModuleList([Block.from_config(cfg) for _ in range(cfg.enc_depth)])
        self.decoder = nn.ModuleList([DecoderBlock.from_config(cfg) for _ in range(cfg.dec_depth)])
        self.final_logits_bias = nn.Parameter(torch.zeros(cfg.tgt_vocab_size))
        self.embed_scale = math.sqrt(cfg.dim) if cfg.scale_embedding else 1.0
        self.src_tokenizer = self.tgt_tokenizer = None  # set by the loaders for a checkpoint's tokenizers
        if cfg.src_tokenizer == "shapes-en":  # the grammar's vocabularies (mmviz.tokenizers.text)
            from mmviz.tokenizers.text import TextTokenizer

            self.src_tokenizer, self.tgt_tokenizer = TextTokenizer.english(), TextTokenizer.korean()
        self.class_names: list[str] | None = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """N(0, 0.02) weights and embeddings, zero biases (call after torch.manual_seed)."""
        init_weights(self)
        for emb in {id(self.src_embed): self.src_embed, id(self.tgt_embed): self.tgt_embed}.values():
            nn.init.normal_(emb.weight, std=0.02)

    @property
    def depth(self) -> int:
        return self.cfg.dec_depth

    def new_cache(self) -> KVCache:
        """An empty KV cache for the decoder (self-attention keys grow; cross-attention keys are computed once)."""
        return KVCache(self.cfg.dec_depth)

    def _embed(self, emb: nn.Embedding, ids: torch.Tensor, start: int = 0) -> torch.Tensor:
        T = ids.shape[1]
        if start + T > self.cfg.context_length:
            raise ValueError(f"{start + T} tokens exceed the context length {self.cfg.context_length}")
        return emb(ids) * self.embed_scale + self.pos_table[start:start + T]

    def encode(self, input_ids: torch.Tensor, *, attention_mask: torch.Tensor | None = None,
               return_attn: bool = False) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """The encoder: (B, S) source ids -> ((B, S, D) memory, S x S self-attention per block or None)."""
        x = self._embed(self.src_embed, input_ids)
        mask = None if attention_mask is None else padding_mask(attention_mask)
        attentions = []
        for block in self.encoder:
            x, attn = block(x, return_attn=return_attn, attn_mask=mask)
            if return_attn:
                attentions.append(attn)
        return x, (attentions if return_attn else None)

    def decode(self, decoder_input_ids: torch.Tensor, memory: torch.Tensor, *,
               attention_mask: torch.Tensor | None = None, return_attn: bool = False,
               cache: KVCache | None = None) -> tuple[torch.Tensor, list | None, list | None]:
        """The decoder.

        Args:
            decoder_input_ids: (B, T) target ids so far (with a cache: only the new ones).
            memory: (B, S, D) the encoder's output.
            attention_mask: (B, S) source padding (1 = real).
            return_attn: also return the attention of every block.
            cache: a KVCache from new_cache().

        Returns:
            hidden (B, T, D); self-attentions (B, h, T, T_keys) and cross-attentions (B, h, T, S) per block, or None.
        """
        past = len(cache) if cache is not None else 0
        T = decoder_input_ids.shape[1]
        x = self._embed(self.tgt_embed, decoder_input_ids, start=past)
        self_mask = causal_mask(T, keys=past + T, device=x.device)
        mem_mask = None if attention_mask is None else padding_mask(attention_mask)
        selfs, crosses = [], []
        for i, block in enumerate(self.decoder):
            x, sa, ca = block(x, memory, return_attn=return_attn, self_mask=self_mask, memory_mask=mem_mask,
                              cache=None if cache is None else cache.layers[i],
                              cross_cache=None if cache is None else cache.cross[i])
            if return_attn:
                selfs.append(sa)
                crosses.append(ca)
        return x, (selfs if return_attn else None), (crosses if return_attn else None)

    def forward(self, input_ids: torch.Tensor, decoder_input_ids: torch.Tensor, *,
                attention_mask: torch.Tensor | None = None,
                return_attn: bool = False) -> tuple[torch.Tensor, dict | None]:
        """Teacher forcing: encode the source, decode the whole (shifted) target in one pass.

        Returns:
            decoder hidden (B, T, D); {"encoder": [...], "decoder": [...], "cross": [...]} attentions or None.
        """
        memory, enc = self.encode(input_ids, attention_mask=attention_mask, return_attn=return_attn)
        hidden, dec, cross = self.decode(decoder_input_ids, memory, attention_mask=attention_mask,
                                         return_attn=return_attn)
        return hidden, ({"encoder": enc, "decoder": dec, "cross": cross} if return_attn else None)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """(B, T, D) -> (B, T, V_tgt): tied to the target embedding, plus Marian's final_logits_bias."""
        return hidden @ self.tgt_embed.weight.t() + self.final_logits_bias

    @torch.no_grad()
    def ban_unwritable(self, logits: torch.Tensor) -> torch.Tensor:
        """Set the logits of padding and the start token to -inf (in place; never the end token).

        Marian's generation config bans padding, and Marian's start token is its padding.

        Args:
            logits: (..., V) next-token logits.
        Returns:
            the same tensor.
        """
        for banned in {self.cfg.pad_id, self.cfg.bos_id} - {self.cfg.eos_id}:
            if 0 <= banned < logits.shape[-1]:
                logits[..., banned] = float("-inf")
        return logits

    def greedy(self, input_ids: torch.Tensor, max_new_tokens: int = 64, *,
               attention_mask: torch.Tensor | None = None, use_cache: bool = True,
               force_eos: bool = False) -> torch.Tensor:
        """Translate by always taking the most likely next token until <eos> (or max_new_tokens).

        Padding and the start token are never chosen (Marian's generation config bans padding; Marian's
        start token is its padding); with ``force_eos`` a text
        that reaches the length limit ends with <eos> (transformers' forced_eos_token_id).

        Returns:
            (B, 1 + n) target ids, starting with the decoder start token (bos_id).
        """
        memory, _ = self.encode(input_ids, attention_mask=attention_mask)
        B = input_ids.shape[0]
        out = torch.full((B, 1), self.cfg.bos_id, dtype=torch.long, device=input_ids.device)
        cache = self.new_cache() if use_cache else None
        done = torch.zeros(B, dtype=torch.bool, device=input_ids.device)
        steps = min(max_new_tokens, self.cfg.context_length - 1)
        for t in range(steps):
            hidden, _, _ = self.decode(out[:, -1:] if use_cache else out, memory, attention_mask=attention_mask,
                                       cache=cache)
            nxt = self.ban_unwritable(self.logits(hidden[:, -1])).argmax(-1)
            if force_eos and t == steps - 1:
                nxt = torch.full_like(nxt, self.cfg.eos_id)
            nxt = torch.where(done, torch.full_like(nxt, self.cfg.eos_id), nxt)
            out = torch.cat([out, nxt[:, None]], 1)
            done |= nxt == self.cfg.eos_id
            if bool(done.all()):
                break
        return out
