"""GPT's half of the lesson: the next-token distribution and its sampling controls, one generation step
at a time, teacher forcing (every position's loss in one pass), and what the KV cache saves.

Shapes: T tokens, V vocabulary, L layers, h heads, D width, M MLP width.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from mmviz.device import torch_threads
from mmviz.sampling import next_token_probs, sample_next
from mmviz.tokenizers.bounded import piece

__all__ = ["MAX_NEW_TOKENS", "next_token", "generation_step", "teacher_forcing", "step_by_step_check",
           "cache_costs", "cache_size"]

#: the most tokens the "next token" button appends (and the model's context bounds it too)
MAX_NEW_TOKENS = 40


def next_token(logits: np.ndarray, *, temperature: float, top_k: int | None, top_p: float | None,
               k: int = 12, tok=None) -> dict:
    """The distribution the next token is drawn from, before and after the sampling controls.

    Args:
        logits: (V,) the scores after the last token.
        temperature, top_k, top_p: as `mmviz.sampling.next_token_probs` (top_k 0 / top_p 1: off).
        k: how many tokens to return (the largest after the controls, then by the plain softmax).
        tok: the model's tokenizer (for ``tokens``).

    Returns:
        dict(ids (k,), tokens (k,) their pieces (ids as text without ``tok``), plain (k,) softmax(logits),
        probs (k,) after the controls, kept: tokens with
        probability > 0, kept_mass: plain probability of those, entropy_plain / entropy nats).
    """
    z = torch.from_numpy(np.asarray(logits, dtype=np.float32))[None]
    plain = z.softmax(-1)[0]
    probs = next_token_probs(z, temperature=temperature, top_k=top_k or None, top_p=top_p)[0]
    order = torch.argsort(probs * 2 + plain, descending=True)[:k]  # kept tokens first, by probability
    kept = probs > 0

    def entropy(p):
        p = p[p > 0]
        return float(-(p * p.log()).sum())

    return {"ids": order.numpy(), "plain": plain[order].numpy(), "probs": probs[order].numpy(),
            "tokens": [piece(tok, i) if tok is not None else str(i) for i in order.tolist()],
            "kept": int(kept.sum()), "kept_mass": float(plain[kept].sum()),
            "entropy_plain": entropy(plain), "entropy": entropy(probs)}


@torch.no_grad()
def generation_step(model, ids: list[int], *, temperature: float, top_k: int | None, top_p: float | None,
                    seed: int, greedy: bool = False) -> dict:
    """Append ONE token: run the sequence, take the last position's scores, draw the next id.

    The draw is seeded by ``seed`` and the step number, so the same controls give the same text.

    Args:
        model: a GPT.
        ids: (T,) the prompt and the tokens generated so far.

    Returns:
        dict(id: the new token, token: its piece, prob: its probability after the controls, row (L, h, T) the last
        position's attention over every token so far (what decided the new token), top (k,) ids and
        top_p (k,) the most likely candidates).
    """
    x = torch.tensor([ids])
    with torch_threads(1):
        hidden, attns = model(x, return_attn=True)  # (1, T, D), L x (1, h, T, T)
        logits = model.logits(hidden[:, -1])  # (1, V)
        g = torch.Generator().manual_seed(seed * 1_000_003 + len(ids))
        nxt = int(sample_next(logits, temperature=temperature, top_k=top_k or None, top_p=top_p, generator=g,
                              greedy=greedy)[0])
        probs = next_token_probs(logits, temperature=temperature, top_k=top_k or None, top_p=top_p)[0]
    top = probs.topk(min(8, probs.numel()))
    return {"id": nxt, "token": piece(model.tokenizer, nxt), "prob": float(probs[nxt]),
            "row": torch.stack([a[0, :, -1] for a in attns]).numpy(),
            "top": top.indices.numpy(), "top_p": top.values.numpy()}


def teacher_forcing(log_probs: np.ndarray) -> dict:
    """The training loss of one sentence from ONE pass: position t predicts token t + 1, and the causal
    mask keeps it from seeing it.

    Args:
        log_probs: (T - 1,) log p(x_{t+1} | x_<=t) of every actual next token.

    Returns:
        dict(loss (T - 1,) = -log p, mean: the cross-entropy the trainer minimises, perplexity = exp(mean)).
    """
    loss = -np.asarray(log_probs, dtype=np.float64)
    mean = float(loss.mean()) if len(loss) else float("nan")
    return {"loss": loss.astype(np.float32), "mean": mean, "perplexity": math.exp(mean) if len(loss) else float("nan")}


@torch.no_grad()
def step_by_step_check(model, ids: list[int]) -> dict:
    """The same scores computed the slow way: one token at a time with a KV cache (as generation
    does), compared with the one-pass teacher-forced scores.

    Returns:
        dict(max_diff: max |logits one pass - logits step by step| over all positions, steps: T, cache_numel:
        numbers the cache holds at the end).
    """
    x = torch.tensor([ids])
    with torch_threads(1):
        full = model.logits(model(x)[0])[0]  # (T, V)
        cache = model.new_cache()
        rows = [model.logits(model(x[:, t:t + 1], cache=cache)[0])[0, 0] for t in range(x.shape[1])]
    return {"max_diff": float((torch.stack(rows) - full).abs().max()), "steps": x.shape[1],
            "cache_numel": cache.numel()}


def _dims(model) -> dict:
    """L, h, D, M read from the weights' shapes (qkv: (3D, D), fc1: (M, D))."""
    blk = model.blocks[0]
    D = blk.attn.qkv.weight.shape[1]
    return {"L": len(model.blocks), "h": blk.attn.num_heads, "D": D, "M": blk.mlp.fc1.weight.shape[0]}


def cache_costs(model, prompt: int, new: int) -> dict:
    """Multiply-adds and attention scores of generating ``new`` tokens after a ``prompt``-token prompt,
    with and without a KV cache, counted from the weights' shapes.

    Step s (0-based) ends with n = prompt + s tokens. Without a cache it runs all n tokens again: per layer
    n * (4 D^2 + 2 D M) for the projections and the MLP, n^2 * D for Q K^T and again for A V, h n^2 scores.
    With a cache it runs the new token only (the first step: the whole prompt): 1 * (4 D^2 + 2 D M),
    n D twice, h n scores; the keys and values of the earlier tokens are read from the cache.

    Returns:
        dict(dims L/h/D/M, steps (new,), macs_full (new,), macs_cached (new,), scores_full (new,),
        scores_cached (new,), totals and their ratio).
    """
    d = _dims(model)
    L, h, D, M = d["L"], d["h"], d["D"], d["M"]
    n = prompt + np.arange(new, dtype=np.int64)  # tokens in the sequence at each step
    run = np.where(np.arange(new) == 0, prompt, 1)  # tokens a cached step runs
    per_token = 4 * D * D + 2 * D * M
    macs_full = L * (n * per_token + 2 * n * n * D)
    macs_cached = L * (run * per_token + 2 * run * n * D)
    scores_full, scores_cached = L * h * n * n, L * h * run * n
    return {"dims": d, "steps": np.arange(1, new + 1), "macs_full": macs_full, "macs_cached": macs_cached,
            "scores_full": scores_full, "scores_cached": scores_cached,
            "total_full": int(macs_full.sum()), "total_cached": int(macs_cached.sum()),
            "ratio": float(macs_cached.sum() / max(macs_full.sum(), 1))}


@torch.no_grad()
def cache_size(model, ids: list[int]) -> dict:
    """Run the sequence through a real KVCache and read its size.

    Returns:
        dict(numel: KVCache.numel() (keys + values of every layer), formula: 2 * L * T * D, bytes: numel * 4
        (float32), per_layer_shape: the shape of one layer's key tensor (B, h, T, d)).
    """
    cache = model.new_cache()
    with torch_threads(1):
        model(torch.tensor([ids]), cache=cache)
    d = _dims(model)
    return {"numel": cache.numel(), "formula": 2 * d["L"] * len(ids) * d["D"], "bytes": 4 * cache.numel(),
            "per_layer_shape": tuple(cache.layers[0].k.shape)}
