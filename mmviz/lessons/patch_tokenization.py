"""Numbers and arrays for the patch tokenization page, read from real tensors (NumPy out).

The teaching functions the page shows (``patchify``, ``PatchEmbed``, ``HybridStem``, ...) are
re-exported here, so the page reaches everything behind it through its lesson.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from mmviz.models.layers import PatchEmbed, seeded_patch_embed
from mmviz.patches.conv_tokens import (
    ConvTokenEmbed,
    HybridStem,
    conv_out_size,
    receptive_field,
    seeded_conv_token_embed,
)
from mmviz.patches.embed import conv_weight_to_linear, linear_patch_embed, prepend_cls, seeded_cls_token
from mmviz.patches.grid import (
    image_to_tensor,
    patch_grid,
    patchify,
    tensor_to_uint8,
    unpatchify,
    valid_patch_sizes,
)

__all__ = [
    "token_counts", "tokenization_summary", "patch_lesson",
    # the teaching functions the page shows and calls
    "image_to_tensor", "patchify", "unpatchify", "linear_patch_embed", "conv_weight_to_linear", "PatchEmbed",
    "prepend_cls", "HybridStem", "ConvTokenEmbed", "conv_out_size", "valid_patch_sizes",
]


# ---------------------------------------------------------------------------------------------
# Numbers for the lesson, read from real tensors
# ---------------------------------------------------------------------------------------------
@torch.no_grad()
def token_counts(x: torch.Tensor, patch_sizes: list[int]) -> list[dict]:
    """Token count, sequence length and attention cost for several patch sizes.

    Every number is read from the shape of ``patchify(x, P)``.

    Args:
        x: ``(1, C, H, W)`` image.
        patch_sizes: patch sizes to try (each must divide ``H`` and ``W``).

    Returns:
        One dict per patch size: ``patch_size``, ``grid`` ``(gh, gw)``, ``n_tokens`` ``N``,
        ``patch_dim`` ``P*P*C``, ``seq_len`` ``N + 1`` (with [CLS]) and ``attn_pairs`` ``N**2``.
    """
    rows = []
    for P in patch_sizes:
        patches = patchify(x, P)  # (1, N, P*P*C)
        N, dim = patches.shape[1], patches.shape[2]
        rows.append(dict(patch_size=P, grid=(x.shape[2] // P, x.shape[3] // P), n_tokens=N,
                         patch_dim=dim, seq_len=N + 1, attn_pairs=N * N))
    return rows


@torch.no_grad()
def tokenization_summary(x: torch.Tensor, patch_size: int, embed_dim: int = 192, cvt_dim: int = 64,
                         seed: int = 0) -> list[dict]:
    """Run the three tokenizers on one image and report what came out.

    Args:
        x: ``(1, 3, H, W)`` image in [0, 1].
        patch_size: ``P`` for the plain ViT patches.
        embed_dim: ``D`` of the plain patch embedding.
        cvt_dim: ``D`` of the CvT embedding (64 in CvT stage 1).
        seed: seed of the untrained projections.

    Returns:
        Three dicts (plain patches, CNN feature map, CvT overlapping conv), each with ``name``,
        ``grid`` ``(gh, gw)``, ``n_tokens`` ``N``, ``token_dim``, ``seq_len`` (``N + 1`` with
        [CLS]), ``attn_pairs`` (``N**2``), ``receptive_field`` (pixels one token sees),
        ``stride`` (pixels between tokens), ``rf_start`` (centre of token 0's window) and
        ``overlap`` (whether neighbouring windows overlap). Counts come from the output tensors.
    """
    H, W = x.shape[2], x.shape[3]
    rows = []

    tokens = seeded_patch_embed(patch_size, embed_dim, seed=seed)(x)  # (1, N, D)
    rf, jump, start = receptive_field([(patch_size, patch_size, 0)])
    rows.append(dict(name="Plain patches (ViT)", grid=(H // patch_size, W // patch_size), tokens=tokens,
                     rf=rf, jump=jump, start=start))

    fmap, tokens = HybridStem()(x)  # (1, C', H/16, W/16), (1, N, C')
    rf, jump, start = receptive_field(HybridStem.LAYERS)
    rows.append(dict(name="CNN feature map (hybrid)", grid=(fmap.shape[2], fmap.shape[3]), tokens=tokens,
                     rf=rf, jump=jump, start=start))

    cvt = seeded_conv_token_embed(cvt_dim, seed=seed)
    tokens, grid = cvt(x)  # (1, H'*W', D)
    rf, jump, start = receptive_field(cvt.layers)
    rows.append(dict(name="Overlapping conv (CvT)", grid=grid, tokens=tokens, rf=rf, jump=jump, start=start))

    out = []
    for r in rows:
        N, D = r["tokens"].shape[1], r["tokens"].shape[2]
        assert N == r["grid"][0] * r["grid"][1]
        out.append(dict(name=r["name"], grid=tuple(int(g) for g in r["grid"]), n_tokens=int(N),
                        token_dim=int(D), seq_len=int(N) + 1, attn_pairs=int(N) ** 2,
                        receptive_field=int(r["rf"]), stride=int(r["jump"]), rf_start=float(r["start"]),
                        overlap=bool(r["rf"] > r["jump"])))
    return out


@torch.no_grad()
def patch_lesson(img: Image.Image, size: int, patch_size: int, embed_dim: int, seed: int = 0) -> dict:
    """Everything the patch tokenization page shows, computed once, as NumPy arrays.

    Steps: ``image_to_tensor`` -> ``patchify`` -> untrained seeded projection (both the conv
    path ``PatchEmbed`` and the linear path, compared) -> ``prepend_cls``; plus the token counts
    for every valid patch size and the three-tokenizer summary.

    Args:
        img: PIL image (any size; resized by the rule of :func:`image_to_tensor`).
        size: side of the square image the model sees.
        patch_size: ``P``; must divide ``size``.
        embed_dim: ``D``.
        seed: seed of the untrained projection and [CLS] token.

    Returns:
        dict with ``image`` ``(size, size, 3)`` uint8, ``original_size`` ``(W_in, H_in)``,
        ``upscaled`` (bool), ``grid`` ``(gh, gw)``, ``patches`` ``(N, P*P*C)`` float32,
        ``tokens`` ``(N + 1, D)`` float32 ([CLS] first), ``conv_vs_linear`` (max abs difference of
        the two embedding paths), ``shapes`` (name -> shape tuple of every tensor on the way),
        ``counts`` (:func:`token_counts` over :func:`valid_patch_sizes`) and ``summary``
        (:func:`tokenization_summary`).
    """
    x = image_to_tensor(img, size)  # (1, 3, H, W)
    grid = patch_grid(size, size, patch_size)
    x_p = patchify(x, patch_size)  # (1, N, P*P*C)
    embed = seeded_patch_embed(patch_size, embed_dim, seed=seed)
    tokens = embed(x)  # (1, N, D), conv path
    w = conv_weight_to_linear(embed.proj.weight)  # (D, P*P*C)
    tokens_linear = linear_patch_embed(x_p, w, embed.proj.bias)  # (1, N, D), linear path
    seq = prepend_cls(tokens, seeded_cls_token(embed_dim, seed=seed))  # (1, N + 1, D)
    return dict(
        image=tensor_to_uint8(x),
        original_size=tuple(img.size),
        upscaled=min(img.size) < size,
        grid=grid,
        patches=x_p[0].numpy().astype(np.float32),
        tokens=seq[0].numpy().astype(np.float32),
        conv_vs_linear=float((tokens - tokens_linear).abs().max()),
        shapes=dict(x=tuple(x.shape), x_p=tuple(x_p.shape), tokens=tuple(tokens.shape), seq=tuple(seq.shape),
                    weight=tuple(w.shape)),
        counts=token_counts(x, valid_patch_sizes(size)),
        summary=tokenization_summary(x, patch_size, embed_dim=embed_dim, seed=seed),
    )
