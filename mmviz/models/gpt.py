"""GPT: a decoder-only transformer that predicts the next token (Radford et al. 2018/2019).

Reads top to bottom (as nanoGPT): token ids -> token embedding + position embedding -> pre-norm
blocks whose attention is causal (token t sees tokens 0..t) -> final LayerNorm -> logits = hidden
times the token embedding matrix (tied). Training is teacher forcing: one pass predicts every
position's next token at once, because the mask hides the future. Generation appends one token
at a time; with a KV cache (``mmviz.models.layers.KVCache``) each step runs only the new token.

GPT-2 checkpoints convert one to one (``mmviz.hf.gpt2``); the tiny GPT of the lessons is trained by
``python -m mmviz.train gpt-tiny``.

Shapes: B batch, T tokens, D width, h heads, L layers, V vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn

from mmviz.models.layers import Block, KVCache, causal_mask, init_weights
from mmviz.pos_embed.sinusoidal import sinusoidal_1d
from mmviz.sampling import sample_next

__all__ = ["GPTConfig", "PRESETS", "GPT"]


@dataclass(frozen=True)
class GPTConfig:
    """GPT hyper-parameters (hashable, so they can key caches).

    Attributes:
        vocab_size: V.
        context_length: most tokens (learned positions).
        dim: D.
        depth: L blocks.
        num_heads: h.
        mlp_ratio: MLP width / D (GPT-2: 4).
        layer_norm_eps: LayerNorm epsilon (GPT-2: 1e-5).
        hidden_act: MLP activation ("gelu_new" is GPT-2's tanh GELU).
        positions: "learned" (GPT-2) or "sinusoidal" (fixed table, nothing to learn).
        bos_id, eos_id, pad_id: special token ids of its tokenizer (-1 = none).
        tokenizer: "shapes-en" (mmviz.tokenizers.text.english_tokenizer) or "bpe" (a checkpoint's tokenizer.json).
    """

    vocab_size: int = 50257
    context_length: int = 1024
    dim: int = 768
    depth: int = 12
    num_heads: int = 12
    mlp_ratio: float = 4.0
    layer_norm_eps: float = 1e-5
    hidden_act: str = "gelu_new"
    positions: str = "learned"
    bos_id: int = 50256
    eos_id: int = 50256
    pad_id: int = -1
    tokenizer: str = "bpe"
    qkv_bias: bool = True
    norm_first: bool = True


PRESETS: dict[str, GPTConfig] = {
    # openai-community/gpt2 (124 M parameters)
    "gpt2": GPTConfig(),
    # trained by `python -m mmviz.train gpt-tiny` on mmviz.data.text (vocabulary of mmviz.tokenizers.text)
    "gpt-tiny-shapes": GPTConfig(vocab_size=98, context_length=48, dim=128, depth=4, num_heads=4, mlp_ratio=4.0,
                                 hidden_act="gelu", positions="learned", bos_id=5, eos_id=6, pad_id=0,
                                 tokenizer="shapes-en"),
}


class GPT(nn.Module):
    """Decoder-only transformer with a tied language-model head.

    Args:
        cfg: a GPTConfig.
    """

    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.token_embed = nn.Embedding(cfg.vocab_size, cfg.dim)
        if cfg.positions == "learned":
            self.pos_embed = nn.Parameter(torch.zeros(cfg.context_length, cfg.dim))
        elif cfg.positions == "sinusoidal":
            self.register_buffer("pos_embed", sinusoidal_1d(cfg.context_length, cfg.dim), persistent=False)
        else:
            raise ValueError(f"positions must be 'learned' or 'sinusoidal', got {cfg.positions!r}")
        self.blocks = nn.ModuleList([Block.from_config(cfg) for _ in range(cfg.depth)])
        self.norm = nn.LayerNorm(cfg.dim, eps=cfg.layer_norm_eps)
        self.tokenizer = None  # set by the loaders for a checkpoint's tokenizer
        if cfg.tokenizer == "shapes-en":  # the grammar's word pieces, built from its vocabulary
            from mmviz.tokenizers.text import TextTokenizer

            self.tokenizer = TextTokenizer.english()
        self.class_names: list[str] | None = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """N(0, 0.02) embeddings and weights, zero biases (GPT-2's init; call after torch.manual_seed)."""
        init_weights(self)
        nn.init.normal_(self.token_embed.weight, std=0.02)
        if isinstance(self.pos_embed, nn.Parameter):
            nn.init.normal_(self.pos_embed, std=0.01)

    def new_cache(self) -> KVCache:
        """An empty KV cache with one slot per block."""
        return KVCache(self.cfg.depth)

    def forward(self, input_ids: torch.Tensor, *, return_attn: bool = False,
                cache: KVCache | None = None) -> tuple[torch.Tensor, list[torch.Tensor] | None]:
        """Run the decoder.

        Args:
            input_ids: (B, T) int64; with a cache, only the tokens not seen yet.
            return_attn: also return every block's causal attention.
            cache: a KVCache from new_cache(); the new tokens' keys and values are added to it.

        Returns:
            hidden: (B, T, D) after the final LayerNorm.
            attentions: L tensors (B, h, T, T_keys) (zero above the shifted diagonal), or None.
        """
        B, T = input_ids.shape
        past = len(cache) if cache is not None else 0
        if past + T > self.cfg.context_length:
            raise ValueError(f"{past + T} tokens exceed the context length {self.cfg.context_length}")
        x = self.token_embed(input_ids) + self.pos_embed[past:past + T]  # (B, T, D)
        mask = causal_mask(T, keys=past + T, device=x.device)  # (T, T_keys)
        attentions = []
        for i, block in enumerate(self.blocks):
            x, attn = block(x, return_attn=return_attn, attn_mask=mask,
                            cache=None if cache is None else cache.layers[i])
            if return_attn:
                attentions.append(attn)  # (B, h, T, T_keys)
        return self.norm(x), (attentions if return_attn else None)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        """(B, T, D) -> (B, T, V): scores of every possible next token (tied to the token embedding)."""
        return hidden @ self.token_embed.weight.t()

    @torch.no_grad()
    def generate(self, input_ids: torch.Tensor, max_new_tokens: int, *, temperature: float = 1.0,
                 top_k: int | None = None, top_p: float | None = None, greedy: bool = False,
                 generator: torch.Generator | None = None, use_cache: bool = True,
                 stop_id: int | None = None) -> torch.Tensor:
        """Append up to ``max_new_tokens`` tokens, one at a time (nanoGPT's loop, with a KV cache).

        Args:
            input_ids: (B, T0) the prompt (at least one token, e.g. <bos>).
            max_new_tokens: the most tokens to add (bounded by the context length).
            temperature, top_k, top_p, greedy, generator: see mmviz.sampling.sample_next.
            use_cache: run only the new token at each step (False: the whole sequence every step).
            stop_id: stop once every sequence has produced this id (e.g. <eos>).

        Returns:
            (B, T0 + n) ids, n <= max_new_tokens.
        """
        ids = input_ids
        cache = self.new_cache() if use_cache else None
        step_in = ids
        done = torch.zeros(ids.shape[0], dtype=torch.bool, device=ids.device)
        for _ in range(min(max_new_tokens, self.cfg.context_length - ids.shape[1])):
            hidden, _ = self(step_in if use_cache else ids, cache=cache)
            nxt = sample_next(self.logits(hidden[:, -1]), temperature=temperature, top_k=top_k, top_p=top_p,
                              generator=generator, greedy=greedy)  # (B,)
            if stop_id is not None:
                nxt = torch.where(done, torch.full_like(nxt, stop_id), nxt)
                done |= nxt == stop_id
            ids = torch.cat([ids, nxt[:, None]], dim=1)
            step_in = nxt[:, None]
            if stop_id is not None and bool(done.all()):
                break
        return ids
