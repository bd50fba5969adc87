"""How a decoder picks its next token from the logits of the last position: temperature, top-k, top-p.

Plain functions (no model) so the lessons can show them and every generator (GPT, the image-token
decoders) uses the same rule. Shapes: B batch, V vocabulary.
"""

from __future__ import annotations

import torch

__all__ = ["next_token_probs", "sample_next"]


def next_token_probs(logits: torch.Tensor, *, temperature: float = 1.0, top_k: int | None = None,
                     top_p: float | None = None) -> torch.Tensor:
    """The distribution the next token is drawn from.

    1. divide the logits by the temperature (T < 1 sharpens, T > 1 flattens; T -> 0 is greedy);
    2. keep only the top_k largest logits (others get probability 0);
    3. keep the smallest set of tokens whose probabilities add up to at least top_p (nucleus);
    4. renormalise.

    Args:
        logits: (B, V) scores of the next token.
        temperature: > 0.
        top_k: keep this many tokens (None or 0: all).
        top_p: keep this much probability mass (None or 1: all).

    Returns:
        (B, V) probabilities, each row summing to 1.
    """
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    logits = logits.float() / temperature
    if top_k:
        kth = logits.topk(min(top_k, logits.shape[-1]), dim=-1).values[..., -1:]  # (B, 1) the k-th largest
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = logits.softmax(dim=-1)
    if top_p is not None and top_p < 1.0:
        sorted_p, order = probs.sort(dim=-1, descending=True)
        before = sorted_p.cumsum(-1) - sorted_p  # mass of the tokens ranked above each one
        sorted_p = sorted_p.masked_fill(before >= top_p, 0.0)  # the first token always stays
        probs = torch.zeros_like(probs).scatter(-1, order, sorted_p)
        probs = probs / probs.sum(-1, keepdim=True)
    return probs


def sample_next(logits: torch.Tensor, *, temperature: float = 1.0, top_k: int | None = None,
                top_p: float | None = None, generator: torch.Generator | None = None,
                greedy: bool = False) -> torch.Tensor:
    """Draw the next token of every sequence (or take the most likely one with ``greedy``).

    Args:
        logits: (B, V).
        temperature, top_k, top_p: see next_token_probs.
        generator: torch.Generator for reproducible draws (a seed in the lesson).
        greedy: argmax instead of sampling.

    Returns:
        (B,) int64 token ids.
    """
    if greedy:
        return logits.argmax(dim=-1)
    probs = next_token_probs(logits, temperature=temperature, top_k=top_k, top_p=top_p)
    return torch.multinomial(probs.cpu(), 1, generator=generator).squeeze(-1).to(logits.device)
