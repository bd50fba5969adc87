"""Attention analysis: what the attention tensors a model returns say about where it looks.

Plain torch functions of post-softmax attention ``(B, h, N, N)`` (the model layer that computes
attention is ``mmviz.models.layers.Attention``): ``attention_rollout`` (Abnar & Zuidema),
``mean_attention_distance`` (ViT paper, Fig. 7) and ``attention_entropy``. They need no model.

Shapes: B batch, N tokens, D model width, h heads, hs = D // h head size.
"""

from __future__ import annotations

import torch

__all__ = [
    "attention_rollout",
    "mean_attention_distance",
    "attention_entropy",
]


def attention_rollout(
    attentions: list[torch.Tensor],
    *,
    head_fusion: str = "mean",
    discard_ratio: float = 0.0,
) -> torch.Tensor:
    """Attention rollout (Abnar & Zuidema, 2020): how much each input token flows into each output.

    Per layer: fuse the heads, optionally zero the weakest weights, add the identity for the
    residual connection, renormalise rows, then multiply the layers together.

    Args:
        attentions: one (B, h, N, N) post-softmax tensor per layer, first layer first.
        head_fusion: "mean", "max" or "min" over heads.
        discard_ratio: fraction of the smallest fused weights (per sample) set to zero before
            adding the identity; column 0 (the [CLS] key) is never discarded.

    Returns:
        (B, N, N) rollout; row i tells how much of token i's final state comes from each input token.
    """
    if not attentions:
        raise ValueError("attentions is empty")
    B, _, N, _ = attentions[0].shape
    eye = torch.eye(N, dtype=attentions[0].dtype, device=attentions[0].device)
    result = eye.expand(B, N, N).clone()  # (B, N, N)
    for attn in attentions:
        if head_fusion == "mean":
            a = attn.mean(dim=1)  # (B, N, N)
        elif head_fusion == "max":
            a = attn.amax(dim=1)
        elif head_fusion == "min":
            a = attn.amin(dim=1)
        else:
            raise ValueError(f"head_fusion must be 'mean', 'max' or 'min', got {head_fusion!r}")
        if discard_ratio > 0:
            a = a.clone()
            flat = a.reshape(B, -1)  # (B, N*N), a view
            n_drop = int(flat.shape[1] * discard_ratio)
            if n_drop > 0:
                idx = flat.topk(n_drop, dim=-1, largest=False).indices  # (B, n_drop)
                keep_cls = idx % N == 0  # column 0: attention to [CLS], keep it
                flat.scatter_(1, idx, torch.where(keep_cls, flat.gather(1, idx), 0.0))
        a = a + eye  # residual path
        a = a / a.sum(dim=-1, keepdim=True)  # rows sum to 1
        result = a @ result  # (B, N, N)
    return result


def mean_attention_distance(
    attn: torch.Tensor,
    grid: tuple[int, int],
    patch_size: int,
    num_prefix_tokens: int = 1,
) -> torch.Tensor:
    """Mean attention distance per head in pixels (ViT paper, Fig. 7 right).

    For each query patch: sum over key patches of weight x pixel distance between patch
    centres, with the weights renormalised over patches (prefix tokens such as [CLS] dropped).
    Then average over query patches.

    Args:
        attn: (B, h, N, N) post-softmax, N = num_prefix_tokens + gh * gw.
        grid: (gh, gw) patch grid, row-major token order.
        patch_size: patch side in pixels.
        num_prefix_tokens: tokens before the patches ([CLS], registers).

    Returns:
        (B, h) mean distance in pixels.
    """
    gh, gw = grid
    p = num_prefix_tokens
    if attn.shape[-1] != p + gh * gw:
        raise ValueError(f"attn has {attn.shape[-1]} tokens, expected {p} + {gh}x{gw}")
    a = attn[..., p:, p:]  # (B, h, M, M) patch -> patch, M = gh*gw
    a = a / a.sum(dim=-1, keepdim=True).clamp_min(1e-12)
    ys, xs = torch.meshgrid(torch.arange(gh), torch.arange(gw), indexing="ij")
    pos = torch.stack([ys.flatten(), xs.flatten()], dim=-1).to(attn)  # (M, 2) in patches
    dist = torch.cdist(pos, pos) * patch_size  # (M, M) in pixels
    per_query = (a * dist).sum(dim=-1)  # (B, h, M)
    return per_query.mean(dim=-1)  # (B, h)


def attention_entropy(attn: torch.Tensor) -> torch.Tensor:
    """Mean entropy of the attention rows, per head, in nats.

    0 means every query looks at one key; log(N) means uniform attention.

    Args:
        attn: (B, h, N, N) post-softmax.

    Returns:
        (B, h) entropy averaged over queries.
    """
    ent = -(attn * torch.log(attn.clamp_min(1e-12))).sum(dim=-1)  # (B, h, N)
    return ent.mean(dim=-1)  # (B, h)
