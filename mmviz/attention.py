"""Multi-head self-attention that can return its weights, plus attention analysis.

Everything here is plain torch. The model path (`MultiHeadAttention`) follows timm's
naming (`qkv`, `proj`) so pretrained checkpoints map onto it one to one; the analysis
functions (`attention_rollout`, `mean_attention_distance`, `attention_entropy`) take the
post-softmax attention tensors a model returns and need no model themselves.

Shapes: B batch, N tokens, D model width, h heads, hs = D // h head size.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = [
    "MultiHeadAttention",
    "attention_rollout",
    "mean_attention_distance",
    "attention_entropy",
]


class MultiHeadAttention(nn.Module):
    """Multi-head self-attention, softmax(Q K^T / sqrt(hs)) V, with one fused qkv projection.

    Args:
        dim: model width D.
        num_heads: number of heads h; must divide D.
        qkv_bias: whether the fused qkv Linear has a bias.
    """

    def __init__(self, dim: int, num_heads: int, qkv_bias: bool = True) -> None:
        super().__init__()
        if dim % num_heads != 0:
            raise ValueError(f"dim={dim} is not divisible by num_heads={num_heads}")
        self.dim = dim
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim**-0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(
        self, x: torch.Tensor, return_attn: bool = False, attn_mask: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend every token to every token (or to those attn_mask allows).

        Args:
            x: (B, N, D) token sequence.
            return_attn: if True, compute attention explicitly and return the weights;
                otherwise use the fused F.scaled_dot_product_attention kernel.
            attn_mask: optional (N, N) bool, True where query i may attend to key j (every row
                needs at least one True); masked scores become -inf before the softmax.

        Returns:
            out: (B, N, D) attended tokens after the output projection.
            attn: (B, h, N, N) post-softmax weights (rows sum to 1), or None.
        """
        B, N, D = x.shape
        h, hs = self.num_heads, self.head_dim
        qkv = self.qkv(x)  # (B, N, 3D)
        qkv = qkv.view(B, N, 3, h, hs).permute(2, 0, 3, 1, 4)  # (3, B, h, N, hs)
        q, k, v = qkv[0], qkv[1], qkv[2]  # each (B, h, N, hs)

        if return_attn:
            # (q * scale) @ k^T == (q @ k^T) * scale; scaling the (N, hs) queries is cheaper than the (N, N) scores
            scores = (q * self.scale) @ k.transpose(-2, -1)  # (B, h, N, N)
            if attn_mask is not None:
                scores = scores.masked_fill(~attn_mask, float("-inf"))
            attn = scores.softmax(dim=-1)  # (B, h, N, N), each row sums to 1
            y = attn @ v  # (B, h, N, hs)
        else:
            attn = None
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)  # (B, h, N, hs)

        y = y.transpose(1, 2).reshape(B, N, D)  # (B, N, h*hs) heads side by side
        return self.proj(y), attn


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
