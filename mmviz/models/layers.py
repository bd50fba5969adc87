"""The pieces every mmviz transformer is built from, one of each.

- ``attend``: softmax(Q K^T * scale + mask) V, explicitly (weights returned) or with the fused
  ``F.scaled_dot_product_attention`` kernel; the one place attention is computed.
- ``Attention``: multi-head self-attention with one fused ``qkv`` projection (timm names).
- ``WindowAttention``: the same inside windows, plus Swin's learned relative position bias.
- ``CrossAttention``: queries from one sequence, keys and values from another (encoder-decoder).
- ``KVCache``: the keys and values of the tokens generated so far, so a decoder step costs one token.
- ``MLP``, ``Block`` (pre-norm as GPT/ViT, or post-norm as BERT and the original Transformer),
  ``DecoderBlock`` (masked self-attention, cross-attention, MLP), ``PatchEmbed`` (a convolution with
  kernel P), ``init_weights``.

Every attention module has one call signature, ``forward(x, *, return_attn=False,
attn_mask=None) -> (out, attn_or_None)``, attn being ``(B, h, N_query, N_key)`` after the softmax.
A mask is either bool (True = may attend) or float (added to the scores, e.g. Swin's 0 / -100).

Shapes: B batch, N tokens, D width, h heads, d = D // h head size.
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmviz import windows

__all__ = [
    "IMAGENET_MEAN", "IMAGENET_STD", "HALF", "quick_gelu", "ACTIVATIONS", "attend", "causal_mask", "padding_mask",
    "LayerCache", "KVCache", "Attention", "CrossAttention", "WindowAttention", "MLP", "Block", "DecoderBlock",
    "PatchEmbed", "seeded_patch_embed", "init_weights", "normalize_pixels",
]

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
HALF = (0.5, 0.5, 0.5)


def quick_gelu(x: torch.Tensor) -> torch.Tensor:
    """OpenAI CLIP's GELU approximation x * sigmoid(1.702 x); any shape -> same shape."""
    return x * torch.sigmoid(1.702 * x)


def _gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    """GPT-2's "gelu_new": the tanh approximation of GELU."""
    return F.gelu(x, approximate="tanh")


#: MLP non-linearities by their Hugging Face names.
ACTIVATIONS = {"gelu": F.gelu, "quick_gelu": quick_gelu, "gelu_new": _gelu_tanh, "relu": F.relu,
               "swish": F.silu, "silu": F.silu}


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, *, mask: torch.Tensor | None = None,
           return_attn: bool = False, scale: float | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
    """softmax(q k^T * scale + mask) v for every head at once.

    Args:
        q: (..., Nq, d) queries (leading axes: batch, heads, ...).
        k, v: (..., Nk, d) keys and values.
        mask: None, bool (True = may attend; False becomes -inf) or float (added to the scores),
            broadcastable to (..., Nq, Nk).
        return_attn: compute the weights explicitly and return them; otherwise use the fused
            ``F.scaled_dot_product_attention`` kernel, which never builds them.
        scale: score scale, 1/sqrt(d) by default.

    Returns:
        out: (..., Nq, d).
        attn: (..., Nq, Nk) post-softmax weights (rows sum to 1), or None.
    """
    scale = q.shape[-1] ** -0.5 if scale is None else scale
    if not return_attn:
        if mask is not None and mask.dtype != torch.bool:
            mask = mask.to(q.dtype)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale), None
    # (q * scale) @ k^T == (q @ k^T) * scale; scaling the (Nq, d) queries is cheaper than the (Nq, Nk) scores
    scores = (q * scale) @ k.transpose(-2, -1)  # (..., Nq, Nk)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask.to(scores)
    attn = scores.softmax(dim=-1)  # (..., Nq, Nk)
    return attn @ v, attn


def causal_mask(L: int, *, keys: int | None = None, device: torch.device | str = "cpu") -> torch.Tensor:
    """(L, keys) bool, True = may attend: query i sees keys 0 .. i + (keys - L) (lower triangle).

    With a KV cache the L new queries are the last L of ``keys`` positions, so the triangle is
    shifted right by ``keys - L``; without one, keys = L.
    """
    keys = L if keys is None else keys
    return torch.ones(L, keys, dtype=torch.bool, device=device).tril(diagonal=keys - L)


def padding_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, T) 1 = real token, 0 = padding -> (B, 1, 1, T) bool, True = may attend (broadcasts over heads, queries)."""
    return attention_mask.bool()[:, None, None, :]


class LayerCache:
    """One attention layer's cached keys and values, (B, h, T_seen, d) each (empty at first)."""

    def __init__(self) -> None:
        self.k: torch.Tensor | None = None
        self.v: torch.Tensor | None = None

    def append(self, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Add the new tokens' k, v (B, h, T_new, d) and return all of them (B, h, T_seen + T_new, d)."""
        self.k = k if self.k is None else torch.cat([self.k, k], dim=2)
        self.v = v if self.v is None else torch.cat([self.v, v], dim=2)
        return self.k, self.v

    def __len__(self) -> int:
        return 0 if self.k is None else self.k.shape[2]


class KVCache:
    """The keys and values of every layer for the tokens generated so far (transformers' past_key_values).

    A decoder step then runs the network on the one new token only: its query attends to the cached
    keys of all earlier tokens, which never change under a causal mask.

    Args:
        depth: number of attention layers (a decoder with cross-attention keeps one more cache per
            layer for the encoder's keys and values, computed once).
    """

    def __init__(self, depth: int) -> None:
        self.layers = [LayerCache() for _ in range(depth)]
        self.cross = [LayerCache() for _ in range(depth)]

    def __len__(self) -> int:
        """Tokens cached so far."""
        return len(self.layers[0]) if self.layers else 0

    def numel(self) -> int:
        """Numbers held (keys + values of every layer), for the lesson's "what the cache costs"."""
        return sum(c.k.numel() + c.v.numel() for c in self.layers + self.cross if c.k is not None)


class Attention(nn.Module):
    """Multi-head self-attention, softmax(Q K^T / sqrt(d)) V, with one fused qkv projection.

    Args:
        dim: model width D.
        num_heads: number of heads h; must divide D.
        qkv_bias: whether the fused qkv Linear has a bias.
    """

    def __init__(self, dim: int, num_heads: int, *, qkv_bias: bool = True) -> None:
        super().__init__()
        if dim % num_heads != 0:
            raise ValueError(f"dim={dim} is not divisible by num_heads={num_heads}")
        self.dim, self.num_heads, self.head_dim = dim, num_heads, dim // num_heads
        self.scale = self.head_dim**-0.5
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def heads(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: (B, N, D) -> q, k, v, each (B, h, N, d)."""
        B, N, _ = x.shape
        qkv = self.qkv(x).view(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)  # (3, B, h, N, d)
        return qkv[0], qkv[1], qkv[2]

    def merge(self, y: torch.Tensor) -> torch.Tensor:
        """(B, h, N, d) -> (B, N, D) heads side by side, then the output projection."""
        B, h, N, d = y.shape
        return self.proj(y.transpose(1, 2).reshape(B, N, h * d))

    def forward(self, x: torch.Tensor, *, return_attn: bool = False, attn_mask: torch.Tensor | None = None,
                cache: LayerCache | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend every token to every token (or to those attn_mask allows).

        Args:
            x: (B, N, D) token sequence (with a cache: only the new tokens).
            return_attn: also return the attention weights (computed explicitly).
            attn_mask: None, or bool / additive float broadcastable to (B, h, N, N_keys), e.g. (N, N).
            cache: this layer's cache; the new keys and values are appended and the queries attend
                to all of them (N_keys = cached + N).

        Returns:
            out: (B, N, D) attended tokens after the output projection.
            attn: (B, h, N, N_keys) post-softmax weights, or None.
        """
        q, k, v = self.heads(x)  # each (B, h, N, d)
        if cache is not None:
            k, v = cache.append(k, v)  # (B, h, N_keys, d)
        y, attn = attend(q, k, v, mask=attn_mask, return_attn=return_attn, scale=self.scale)
        return self.merge(y), attn


class CrossAttention(nn.Module):
    """Queries from one sequence (the decoder), keys and values from another (the encoder's output).

    Args:
        dim: D (both sequences).
        num_heads: h.
        bias: biases in the projections.
    """

    def __init__(self, dim: int, num_heads: int, *, bias: bool = True) -> None:
        super().__init__()
        if dim % num_heads != 0:
            raise ValueError(f"dim={dim} is not divisible by num_heads={num_heads}")
        self.dim, self.num_heads, self.head_dim = dim, num_heads, dim // num_heads
        self.scale = self.head_dim**-0.5
        self.q = nn.Linear(dim, dim, bias=bias)
        self.kv = nn.Linear(dim, 2 * dim, bias=bias)
        self.proj = nn.Linear(dim, dim, bias=bias)

    def forward(self, x: torch.Tensor, context: torch.Tensor, *, return_attn: bool = False,
                attn_mask: torch.Tensor | None = None,
                cache: LayerCache | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Every query of x attends to the tokens of context.

        Args:
            x: (B, Nq, D) queries' sequence.
            context: (B, Nk, D) keys' and values' sequence.
            return_attn: also return the weights.
            attn_mask: bool / float broadcastable to (B, h, Nq, Nk), e.g. a padding_mask of context.
            cache: when given, the context's keys and values are computed once and reused.

        Returns:
            out: (B, Nq, D); attn: (B, h, Nq, Nk) or None.
        """
        B, Nq, _ = x.shape
        h, d = self.num_heads, self.head_dim
        q = self.q(x).view(B, Nq, h, d).transpose(1, 2)  # (B, h, Nq, d)
        if cache is not None and cache.k is not None:
            k, v = cache.k, cache.v
        else:
            kv = self.kv(context).view(B, context.shape[1], 2, h, d).permute(2, 0, 3, 1, 4)  # (2, B, h, Nk, d)
            k, v = kv[0], kv[1]
            if cache is not None:
                cache.append(k, v)
        y, attn = attend(q, k, v, mask=attn_mask, return_attn=return_attn, scale=self.scale)
        return self.proj(y.transpose(1, 2).reshape(B, Nq, h * d)), attn


class WindowAttention(Attention):
    """Attention inside M x M windows with a learned relative position bias (Swin).

    Attention = softmax(Q K^T / sqrt(d) + B + mask) V, with B looked up from a ((2M-1)^2, h) table
    by ``mmviz.windows.relative_position_index``.

    Args:
        dim: channels C.
        num_heads: h.
        window_size: M.
        qkv_bias: bias in the fused qkv Linear.
    """

    def __init__(self, dim: int, num_heads: int, window_size: int, *, qkv_bias: bool = True) -> None:
        super().__init__(dim, num_heads, qkv_bias=qkv_bias)
        self.window_size = window_size
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * window_size - 1) ** 2, num_heads))
        self.register_buffer("relative_position_index", windows.relative_position_index(window_size),
                             persistent=False)

    def bias(self) -> torch.Tensor:
        """(h, N, N) relative position bias of this window size, N = M * M."""
        return windows.relative_position_bias(self.relative_position_bias_table, self.relative_position_index)

    def forward(self, x: torch.Tensor, *, return_attn: bool = False,
                attn_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend inside every window.

        Args:
            x: (B * nW, N, C) tokens of each window, image-major.
            return_attn: also return the weights.
            attn_mask: (nW, N, N) additive mask of the shifted windows (0 / -100), or None.

        Returns:
            out: (B * nW, N, C).
            attn: (B * nW, h, N, N) post-softmax weights, or None.
        """
        Bw, N, C = x.shape
        q, k, v = self.heads(x)  # each (B*nW, h, N, d)
        add = self.bias()  # (h, N, N), the same for every window
        if attn_mask is not None:  # one more axis so that the (nW, N, N) mask broadcasts over the images
            nW = attn_mask.shape[0]
            q, k, v = (t.reshape(Bw // nW, nW, *t.shape[1:]) for t in (q, k, v))  # (B, nW, h, N, d)
            add = add[None] + attn_mask.to(add)[:, None]  # (nW, h, N, N)
        y, attn = attend(q, k, v, mask=add, return_attn=return_attn, scale=self.scale)
        y = y.reshape(Bw, self.num_heads, N, self.head_dim)
        return self.merge(y), (None if attn is None else attn.reshape(Bw, self.num_heads, N, N))


class MLP(nn.Module):
    """Position-wise feed-forward: Linear(D, M) -> activation -> Linear(M, D).

    Args:
        dim: D.
        hidden: M.
        act: a key of ACTIVATIONS ("gelu" exact erf, "quick_gelu" CLIP, "gelu_new" GPT-2, ...).
    """

    def __init__(self, dim: int, hidden: int, act: str = "gelu") -> None:
        super().__init__()
        if act not in ACTIVATIONS:
            raise ValueError(f"unknown activation {act!r}; choose from {list(ACTIVATIONS)}")
        self.act = ACTIVATIONS[act]
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, N, D) -> (B, N, D)."""
        return self.fc2(self.act(self.fc1(x)))  # (B, N, M) in between


class Block(nn.Module):
    """Transformer block: attention and an MLP, each with a residual connection and a LayerNorm.

    Pre-norm (GPT-2, ViT, CLIP): x + Attn(LN(x)), then x + MLP(LN(x)).
    Post-norm (the original Transformer, BERT, Marian): LN(x + Attn(x)), then LN(x + MLP(x)).

    Args:
        dim: D.
        num_heads: h.
        mlp_ratio: MLP hidden width / D.
        qkv_bias: bias in the fused qkv projection.
        eps: LayerNorm epsilon.
        act: MLP activation (a key of ACTIVATIONS).
        norm_first: pre-norm (True) or post-norm (False).
    """

    def __init__(self, dim: int, num_heads: int, *, mlp_ratio: float = 4.0, qkv_bias: bool = True,
                 eps: float = 1e-6, act: str = "gelu", norm_first: bool = True) -> None:
        super().__init__()
        self.norm_first = norm_first
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, num_heads, qkv_bias=qkv_bias)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = MLP(dim, int(round(dim * mlp_ratio)), act)

    @classmethod
    def from_config(cls, cfg) -> Block:
        """A block from any config with dim, num_heads, mlp_ratio, layer_norm_eps (and qkv_bias, hidden_act,
        norm_first)."""
        return cls(cfg.dim, cfg.num_heads, mlp_ratio=cfg.mlp_ratio, qkv_bias=getattr(cfg, "qkv_bias", True),
                   eps=cfg.layer_norm_eps, act=getattr(cfg, "hidden_act", "gelu"),
                   norm_first=getattr(cfg, "norm_first", True))

    def forward(self, x: torch.Tensor, *, return_attn: bool = False, attn_mask: torch.Tensor | None = None,
                cache: LayerCache | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """x: (B, T, D) -> ((B, T, D), attn (B, h, T, T_keys) or None); attn_mask and cache as in Attention."""
        if self.norm_first:
            y, attn = self.attn(self.norm1(x), return_attn=return_attn, attn_mask=attn_mask, cache=cache)
            x = x + y
            return x + self.mlp(self.norm2(x)), attn
        y, attn = self.attn(x, return_attn=return_attn, attn_mask=attn_mask, cache=cache)
        x = self.norm1(x + y)
        return self.norm2(x + self.mlp(x)), attn


class DecoderBlock(nn.Module):
    """The decoder block of the original Transformer: masked self-attention, cross-attention to the
    encoder's output, MLP; each with a residual connection and a LayerNorm (post-norm by default).

    Args:
        dim, num_heads, mlp_ratio, eps, act, norm_first: as in Block.
    """

    def __init__(self, dim: int, num_heads: int, *, mlp_ratio: float = 4.0, eps: float = 1e-5, act: str = "relu",
                 norm_first: bool = False) -> None:
        super().__init__()
        self.norm_first = norm_first
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, num_heads)
        self.norm_cross = nn.LayerNorm(dim, eps=eps)
        self.cross = CrossAttention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = MLP(dim, int(round(dim * mlp_ratio)), act)

    @classmethod
    def from_config(cls, cfg) -> DecoderBlock:
        """A decoder block from a config with dim, num_heads, mlp_ratio, layer_norm_eps, hidden_act, norm_first."""
        return cls(cfg.dim, cfg.num_heads, mlp_ratio=cfg.mlp_ratio, eps=cfg.layer_norm_eps, act=cfg.hidden_act,
                   norm_first=cfg.norm_first)

    def forward(self, x: torch.Tensor, memory: torch.Tensor, *, return_attn: bool = False,
                self_mask: torch.Tensor | None = None, memory_mask: torch.Tensor | None = None,
                cache: LayerCache | None = None, cross_cache: LayerCache | None = None,
                ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        """x: (B, T, D) target tokens, memory: (B, S, D) encoder output.

        Returns:
            (B, T, D); self-attention (B, h, T, T_keys) and cross-attention (B, h, T, S), or None.
        """
        pre = self.norm_first
        y, self_attn = self.attn(self.norm1(x) if pre else x, return_attn=return_attn, attn_mask=self_mask,
                                 cache=cache)
        x = x + y if pre else self.norm1(x + y)
        y, cross_attn = self.cross(self.norm_cross(x) if pre else x, memory, return_attn=return_attn,
                                   attn_mask=memory_mask, cache=cross_cache)
        x = x + y if pre else self.norm_cross(x + y)
        y = self.mlp(self.norm2(x) if pre else x)
        return (x + y if pre else self.norm2(x + y)), self_attn, cross_attn


class PatchEmbed(nn.Module):
    """Cut a (B, C, H, W) map into P x P patches and project each to D: a convolution with kernel P.

    With ``stride`` < P the patches overlap (AST). What happens to a remainder of the image that
    does not fill a whole patch is an argument:

    - ``"crop"``: dropped (the convolution never reaches it; ViT);
    - ``"pad"``: zeros are added at the bottom/right up to the next whole patch (Swin);
    - ``"raise"``: a ValueError that says which sizes fit (the patch tokenization lesson).

    Args:
        patch_size: P.
        in_chans: C.
        dim: D.
        stride: step between patches, (sy, sx) or one int; default P (no overlap).
        bias: bias of the projection (OpenAI CLIP has none).
        norm: a LayerNorm on the tokens (Swin).
        remainder: "crop", "pad" or "raise".
    """

    def __init__(self, patch_size: int, in_chans: int, dim: int, *, stride: int | tuple[int, int] | None = None,
                 bias: bool = True, norm: bool = False, remainder: Literal["crop", "pad", "raise"] = "crop") -> None:
        super().__init__()
        if remainder not in ("crop", "pad", "raise"):
            raise ValueError(f"remainder must be 'crop', 'pad' or 'raise', got {remainder!r}")
        stride = patch_size if stride is None else stride
        self.patch_size = patch_size
        self.stride = (stride, stride) if isinstance(stride, int) else tuple(stride)
        self.remainder = remainder
        self.proj = nn.Conv2d(in_chans, dim, kernel_size=patch_size, stride=self.stride, bias=bias)
        self.norm = nn.LayerNorm(dim) if norm else None

    def grid(self, height: int, width: int) -> tuple[int, int]:
        """Patch grid (gh, gw) of a height x width input under this module's remainder rule."""
        P, (sy, sx) = self.patch_size, self.stride
        if self.remainder == "pad":
            height, width = max(P, height + (-(height - P) % sy)), max(P, width + (-(width - P) % sx))
        elif self.remainder == "raise":
            if height < P or width < P:
                raise ValueError(f"A {P}x{P} patch does not fit in a {height}x{width} image.")
            if (height - P) % sy or (width - P) % sx:
                raise ValueError(f"The image ({height}x{width}) cannot be cut into whole {P}x{P} patches"
                                 + (f": {height} and {width} must both be divisible by {P}." if self.stride == (P, P)
                                    else f" at stride {self.stride}."))
        elif height < P or width < P:
            raise ValueError(f"image {height}x{width} is smaller than one {P}px patch")
        return (height - P) // sy + 1, (width - P) // sx + 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, C, H, W) -> (B, N, D), N = gh * gw patches in row-major order."""
        H, W = x.shape[-2:]
        gh, gw = self.grid(H, W)  # raises for "raise"
        if self.remainder == "pad":
            P, (sy, sx) = self.patch_size, self.stride
            x = F.pad(x, (0, (gw - 1) * sx + P - W, 0, (gh - 1) * sy + P - H))  # bottom/right zeros
        x = self.proj(x).flatten(2).transpose(1, 2)  # (B, D, gh, gw) -> (B, gh*gw, D)
        return self.norm(x) if self.norm is not None else x


def seeded_patch_embed(patch_size: int, embed_dim: int, in_chans: int = 3, seed: int = 0) -> PatchEmbed:
    """A :class:`PatchEmbed` (remainder "raise") with PyTorch's default initialisation from a fixed seed.

    Untrained: it demonstrates the shape ``N x (P*P*C) -> N x D`` (the patch and position lessons);
    the global RNG is left untouched.

    Returns:
        ``PatchEmbed`` in eval mode.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return PatchEmbed(patch_size, in_chans, embed_dim, remainder="raise").eval()


def init_weights(module: nn.Module) -> None:
    """Truncated-normal(0.02) Linear/Conv weights, zero biases, unit LayerNorms (timm / HF init).

    Shared by every model; each also initialises its own tokens, positions or bias tables.
    """
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def normalize_pixels(images: torch.Tensor, mean: tuple[float, ...], std: tuple[float, ...]) -> torch.Tensor:
    """(B, C, H, W) pixels in [0, 1] -> (images - mean) / std per channel."""
    m = torch.tensor(mean, device=images.device, dtype=images.dtype)[:, None, None]
    s = torch.tensor(std, device=images.device, dtype=images.dtype)[:, None, None]
    return (images - m) / s

