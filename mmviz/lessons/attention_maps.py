"""Numbers and arrays for the attention maps lesson, read from one real forward pass (NumPy out).

`attention_lesson` runs the ViT once with ``return_attn=True`` and returns everything the page
draws; the other functions are cheap follow-ups on its arrays (rollout, DINO masks, one query's
attention, the worked example of one attention row) so that changing a layer, head or query never
re-runs the model.

Shapes: L layers (depth), h heads, T = 1 + N tokens ([CLS] first), N = gh * gw patches,
D width, hs = D // h head size, P patch side in pixels.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image

from mmviz.attention import (
    attention_entropy,
    attention_rollout,
    mean_attention_distance,
)
from mmviz.data.shapes import TASKS
from mmviz.device import torch_threads
from mmviz.models.layers import Attention, attend
from mmviz.models.vit import PRESETS, ViT
from mmviz.patches.grid import fit_image, uint8_to_tensor
from mmviz.weights import EMBEDDED_NAME

__all__ = [
    "TINY",
    "MAX_TOKENS",
    "input_sizes",
    "shapes_sample",
    "attention_lesson",
    "query_attention",
    "rollout_map",
    "rollout_panels",
    "dino_mask",
    "dino_masks",
    "worked_example",
    "preprocess_note",
    # the teaching functions the page shows
    "Attention", "attend", "attention_rollout", "mean_attention_distance",
]

#: Attention stacks larger than this many bytes in float32 are returned as float16.
F16_ABOVE_BYTES = 16 * 2**20
#: the preset of the embedded tiny ViT (and of its untrained twin)
TINY = EMBEDDED_NAME
#: input sizes offered keep T = 1 + N under this (square input)
MAX_TOKENS = 257


def input_sizes(preset: str, max_tokens: int = MAX_TOKENS) -> list[int]:
    """Short sides to offer for a ViT preset: its training size, then 1.5x and 2x (multiples of P),
    as long as a square input keeps T = 1 + N <= ``max_tokens``."""
    cfg = PRESETS[preset]
    S, P = cfg.image_size, cfg.patch_size
    out = [S] + [s - s % P for s in (S * 3 // 2, S * 2)]
    return [s for s in dict.fromkeys(out) if (s // P) ** 2 + 1 <= max_tokens]


def shapes_sample(seed: int) -> dict:
    """A scene of the shapes world (what the tiny ViT was trained on), in the shape of the sidebar's image.

    Returns:
        {"name": "shapes world #seed: caption", "key", "image": PIL RGB 64 x 64}.
    """
    scene = TASKS["shape"].scene(np.random.default_rng(seed))
    return {"name": f"shapes world #{seed}: {scene.caption}", "key": f"shapes-{seed}",
            "image": Image.fromarray(scene.image)}


def preprocess_note(size_in: tuple[int, int], image_size: int, patch_size: int, max_aspect: float = 2.0) -> dict:
    """What `mmviz.patches.fit_image` does to an image of ``size_in``, in numbers.

    Args:
        size_in: ``(W, H)`` of the input image.
        image_size: target short side in pixels.
        patch_size: P.
        max_aspect: longest allowed long/short ratio before the centre crop.

    Returns:
        dict with ``cropped_aspect`` (bool: a panorama was centre-cropped to ``max_aspect``:1),
        ``upscaled`` (bool: the short side was enlarged), ``tiny`` (bool: smaller than one patch)
        ``image_size``, ``patch_size`` and ``max_aspect`` (the rule's numbers) and ``rule`` (the rule in one
        English sentence; the page words it in the interface's language from the numbers).
    """
    w, h = size_in
    rule = (f"Converted to RGB (greyscale is copied to 3 channels); centre-cropped so the long side is at most "
            f"{max_aspect:g}× the short side; resized (bicubic) so the short side is {image_size} px; "
            f"the long side cropped to a multiple of the {patch_size} px patch.")
    return dict(cropped_aspect=max(w, h) > int(min(w, h) * max_aspect), upscaled=min(w, h) < image_size,
                tiny=min(w, h) < patch_size, image_size=int(image_size), patch_size=int(patch_size),
                max_aspect=float(max_aspect), rule=rule)


@torch.no_grad()
def attention_lesson(model: ViT, image: Image.Image, *, size: int | None = None, device="cpu",
                     top_k: int = 5) -> dict:
    """Everything the attention maps page shows, from ONE forward pass with ``return_attn=True``.

    Args:
        model: an mmviz ViT (eval mode).
        image: PIL image of any size or mode; prepared by `mmviz.patches.fit_image` (see
            :func:`preprocess_note` for the rule).
        size: short side fed to the model (default ``model.cfg.image_size``).
        device: where to run.
        top_k: number of predicted classes to return (when the model has a head).

    Returns:
        dict with
        ``image`` (H, W, 3) uint8 the model sees; ``grid`` (gh, gw); ``patch_size`` P;
        ``attn`` (L, h, T, T) post-softmax, float32 (float16 above 16 MB);
        ``cls_maps`` (L, h, gh, gw) float32, [CLS] -> patch weights of every head;
        ``block_inputs`` (L, T, D) float32, the tokens entering each block (for :func:`worked_example`);
        ``distance`` (L, h) mean attention distance in pixels; ``uniform_distance`` (float) the same
        under uniform attention; ``entropy`` (L, h) in nats; ``max_entropy`` log(T);
        ``predictions`` list of (class name, probability), empty without a head or class names;
        ``numbers`` dict N, T, D, heads, depth, head_dim, all read from tensor shapes;
        ``shapes`` name -> shape of each tensor; ``note`` :func:`preprocess_note`;
        ``mean_entropy`` (float) over layers and heads; ``cls_from_layer`` the first layer in which
        [CLS] attends to the patches (0 for a plain ViT; CaiT-style class attention starts later).
    """
    cfg = model.cfg
    seen = fit_image(image, size or cfg.image_size, cfg.patch_size)  # (H, W, 3) uint8, what the model sees
    pixels = model.normalize(uint8_to_tensor(seen)).to(device)  # (1, 3, H, W)
    H, W = pixels.shape[-2:]
    gh, gw = model.grid(H, W)

    # The inputs of the blocks: a pre-hook only reads the tensor each block receives.
    inputs: list[torch.Tensor] = []
    hooks = [b.register_forward_pre_hook(lambda m, args: inputs.append(args[0])) for b in model.blocks]
    try:
        tokens, attns = model(pixels, return_attn=True)  # (1, T, D), L x (1, h, T, T)
    finally:
        for hk in hooks:
            hk.remove()

    attn = torch.cat(attns, dim=0).float()  # (L, h, T, T), the batch of 1 becomes the layer axis
    L, h, T, _ = attn.shape
    D = tokens.shape[-1]
    cls_maps = attn[:, :, 0, 1:].reshape(L, h, gh, gw)  # (L, h, gh, gw) [CLS] row, patches only
    distance = mean_attention_distance(attn, (gh, gw), cfg.patch_size)  # (L, h) pixels
    uniform = torch.full((1, 1, T, T), 1.0 / T)
    uniform_distance = float(mean_attention_distance(uniform, (gh, gw), cfg.patch_size)[0, 0])
    entropy = attention_entropy(attn)  # (L, h) nats

    predictions: list[tuple[str, float]] = []
    names = getattr(model, "class_names", None)
    if model.head is not None and names:
        probs = model.head(tokens[:, 0]).softmax(-1)[0]  # (num_classes,)
        p, idx = probs.topk(min(top_k, probs.numel()))
        predictions = [(names[i], float(v)) for v, i in zip(p.tolist(), idx.tolist())]

    attn_np = attn.cpu().numpy()
    if attn_np.nbytes > F16_ABOVE_BYTES:
        attn_np = attn_np.astype(np.float16)
    w_in, h_in = image.size
    return dict(
        image=seen,
        grid=(int(gh), int(gw)),
        patch_size=int(cfg.patch_size),
        attn=attn_np,
        cls_maps=cls_maps.cpu().numpy().astype(np.float32),
        block_inputs=torch.cat(inputs, dim=0).float().cpu().numpy(),  # (L, T, D)
        distance=distance.cpu().numpy().astype(np.float32),
        uniform_distance=uniform_distance,
        entropy=entropy.cpu().numpy().astype(np.float32),
        max_entropy=math.log(T),
        mean_entropy=float(entropy.mean()),
        cls_from_layer=int(getattr(cfg, "cls_from_layer", 0)),
        predictions=predictions,
        numbers=dict(N=int(gh * gw), T=int(T), D=int(D), heads=int(h), depth=int(L),
                     head_dim=int(D // h), patch_size=int(cfg.patch_size)),
        shapes=dict(pixels=tuple(pixels.shape), tokens=tuple(tokens.shape), attn_layer=tuple(attns[0].shape)),
        original_size=(int(w_in), int(h_in)),
        note=preprocess_note((w_in, h_in), size or cfg.image_size, cfg.patch_size),
    )


def query_attention(attn: np.ndarray, layer: int, query_index: int, grid: tuple[int, int]) -> np.ndarray:
    """Where one query token looks, per head, as maps over the patch grid.

    Args:
        attn: (L, h, T, T) post-softmax.
        layer: block index.
        query_index: token index (0 = [CLS], 1 + k = patch k).
        grid: (gh, gw) with T = 1 + gh * gw.

    Returns:
        (h, gh, gw) float32 weights from the query to every patch (the [CLS] key is left out,
        so a map sums to 1 minus the weight on [CLS]).
    """
    gh, gw = grid
    row = np.asarray(attn[layer, :, query_index, 1:], dtype=np.float32)  # (h, N)
    return row.reshape(-1, gh, gw)


def rollout_map(attn: np.ndarray, grid: tuple[int, int], *, head_fusion: str = "mean",
                discard_ratio: float = 0.0, upto: int | None = None) -> np.ndarray:
    """Attention rollout of [CLS] over the patches (see `mmviz.attention.attention_rollout`).

    Args:
        attn: (L, h, T, T) post-softmax.
        grid: (gh, gw).
        head_fusion: "mean", "max" or "min".
        discard_ratio: fraction of the weakest fused weights dropped per layer.
        upto: use layers 0 .. upto (inclusive); default all.

    Returns:
        (gh, gw) float32: how much of [CLS]'s final state flows from each patch.
    """
    a = torch.from_numpy(np.asarray(attn, dtype=np.float32))  # (L, h, T, T)
    layers = [a[i : i + 1] for i in range(a.shape[0] if upto is None else upto + 1)]  # L x (1, h, T, T)
    with torch_threads(1):
        r = attention_rollout(layers, head_fusion=head_fusion, discard_ratio=discard_ratio)  # (1, T, T)
    return r[0, 0, 1:].reshape(grid).numpy().astype(np.float32)


def rollout_panels(attn: np.ndarray, cls_maps: np.ndarray, grid: tuple[int, int], *, head_fusion: str = "mean",
                   discard_ratio: float = 0.0) -> np.ndarray:
    """Rollout next to the last layer alone: (2, gh, gw) = [:func:`rollout_map`, mean of the last
    layer's [CLS] maps over the heads].

    Args:
        attn: (L, h, T, T) post-softmax.
        cls_maps: (L, h, gh, gw) [CLS] -> patch weights.
        grid: (gh, gw).
        head_fusion, discard_ratio: as in :func:`rollout_map`.
    """
    roll = rollout_map(attn, grid, head_fusion=head_fusion, discard_ratio=discard_ratio)  # (gh, gw)
    return np.stack([roll, np.asarray(cls_maps[-1], np.float32).mean(0)])


def dino_mask(cls_map: np.ndarray, keep: float) -> np.ndarray:
    """DINO's thresholded mask: the fewest patches that together hold ``keep`` of the attention.

    Sort the patches by weight, accumulate, and keep the top ones until the running sum reaches
    ``keep`` of the total (DINO keeps 60%).

    Args:
        cls_map: (gh, gw) non-negative weights, e.g. one head's [CLS] -> patch attention.
        keep: fraction of the mass to keep, in (0, 1].

    Returns:
        (gh, gw) bool mask.
    """
    w = np.asarray(cls_map, dtype=np.float64).ravel()  # (N,)
    w = w / w.sum()  # normalise over the patches
    order = np.argsort(-w, kind="stable")  # heaviest first
    cum = np.cumsum(w[order])  # (N,)
    n_keep = int(np.searchsorted(cum, keep - 1e-12)) + 1  # first index where the sum reaches keep
    mask = np.zeros(w.size, dtype=bool)
    mask[order[: min(n_keep, w.size)]] = True
    return mask.reshape(np.shape(cls_map))


def dino_masks(cls_maps: np.ndarray, keep: float) -> np.ndarray:
    """:func:`dino_mask` for every head: (h, gh, gw) -> (h, gh, gw) bool."""
    return np.stack([dino_mask(m, keep) for m in cls_maps])


def worked_example(model: ViT, block_input: np.ndarray, layer: int, head: int, query: int, *,
                   top_k: int = 8) -> dict:
    """One row of attention by hand: q·k, ÷√d, softmax, then the weighted sum of the values.

    Recomputes norm1 -> qkv of block ``layer`` from the tokens entering it, and checks the
    result against the attention the model's own `Attention` returns for that input.

    Args:
        model: the ViT that produced ``block_input``.
        block_input: (T, D) tokens entering block ``layer`` (``attention_lesson(...)["block_inputs"][layer]``).
        layer: block index.
        head: head index.
        query: query token index (0 = [CLS], 1 + k = patch k).
        top_k: number of heaviest keys to list.

    Returns:
        dict with ``scores`` (T,) q·k, ``scaled`` (T,) q·k/√hs, ``weights`` (T,) softmax,
        ``model_row`` (T,) the model's attention row, ``max_diff`` max |weights - model_row|,
        ``top`` (top_k,) key indices by weight, ``out`` (hs,) Σ_j w_j v_j, ``model_out`` (hs,)
        the model's attention output for this head and query, ``out_diff`` their max |diff|,
        ``head_dim`` hs, ``q_norm`` ‖q‖, ``v_norms`` (T,) ‖v_j‖, ``weights_sum`` Σ_j w_j (1 up to rounding).
    """
    with torch.no_grad(), torch_threads(1):
        return _worked_example(model, block_input, layer, head, query, top_k)


def _worked_example(model: ViT, block_input: np.ndarray, layer: int, head: int, query: int, top_k: int) -> dict:
    """The body of :func:`worked_example` (which adds no_grad and one thread)."""
    blk = model.blocks[layer]
    mha = blk.attn
    h, hs = mha.num_heads, mha.head_dim
    x = torch.from_numpy(np.asarray(block_input, dtype=np.float32))[None].to(mha.qkv.weight.device)  # (1, T, D)
    T = x.shape[1]
    xn = blk.norm1(x)  # (1, T, D)
    qkv = mha.qkv(xn).view(1, T, 3, h, hs)  # (1, T, 3, h, hs)
    q = qkv[0, query, 0, head]  # (hs,) the query's q for this head
    k = qkv[0, :, 1, head]  # (T, hs) every key
    v = qkv[0, :, 2, head]  # (T, hs) every value
    scores = k @ q  # (T,) q·k_j
    scaled = scores / math.sqrt(hs)  # (T,)
    weights = scaled.softmax(dim=-1)  # (T,) sums to 1
    out = weights @ v  # (hs,) Σ_j w_j v_j

    _, attn = mha(xn, return_attn=True)  # the model's own path: (1, h, T, T)
    model_row = attn[0, head, query]  # (T,)
    model_out = (attn[0, head] @ v)[query]  # (hs,)
    top = weights.topk(min(top_k, T)).indices
    f = lambda t: t.detach().cpu().numpy().astype(np.float32)  # noqa: E731
    return dict(
        scores=f(scores), scaled=f(scaled), weights=f(weights), model_row=f(model_row),
        max_diff=float((weights - model_row).abs().max()), top=top.cpu().numpy(), out=f(out),
        model_out=f(model_out), out_diff=float((out - model_out).abs().max()), head_dim=int(hs),
        q_norm=float(q.norm()), v_norms=f(v.norm(dim=-1)), weights_sum=float(weights.sum()),
    )
