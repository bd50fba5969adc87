"""Tokenize an image with the VQ-VAE: the grid of code ids, the codebook as patches, code use, the
reconstruction and its error, and what a smaller codebook or a coarser grid costs (NumPy out).

Everything runs the trained ``vq-tiny-shapes`` as it is (``mmviz.models.vq.VQVAE``): ``encode`` picks
the nearest code of every cell, ``decode_codes`` paints codes back into pixels. The shapes-world
composer draws its scene with the world's own generator (``mmviz.data.shapes.generate_scene``).

Shapes: S tokenizer input side (64), h x w code grid (8 x 8), K codebook entries (256), C code width.
"""

from __future__ import annotations

import math
import re

import numpy as np
import torch
from PIL import Image

from mmviz.data.shapes import Scene, compose_scene, make_batch
from mmviz.models.dalle import decode_image
from mmviz.models.vq import VQVAE
from mmviz.patches.grid import image_to_tensor, tensor_to_uint8, uint8_to_tensor

__all__ = ["KEEP_SIZES", "COARSE_SIDES", "compose", "model_input", "tokenize_image", "codebook_patches",
           "heldout_usage", "restrict_codebook", "coarser_grids", "psnr"]

#: codebook sizes M of the "keep the M most used codes" experiment
KEEP_SIZES: tuple[int, ...] = (256, 128, 64, 32, 16, 8, 4, 2)
#: input sides of the coarser-grid experiment (the tokenizer shrinks 8x: 8x8, 4x4, 2x2 codes)
COARSE_SIDES: tuple[int, ...] = (64, 32, 16)


def compose(kind: str, colour: str, size: str = "large", background: str = "plain", *, seed: int = 0,
            image_size: int = 64) -> tuple[Scene, bool]:
    """A one-shape scene with the chosen kind, colour, size and background (mmviz.data.shapes.compose_scene,
    the CLIP lesson's composer too).

    Returns:
        (Scene with image (S, S, 3) uint8 and caption, True: the colour is always the chosen one).
    """
    return compose_scene(kind, colour, size, background, seed=seed, image_size=image_size), True


def model_input(image, size: int = 64) -> np.ndarray:
    """What the tokenizer reads: the image (PIL or (H, W, 3) uint8) centre-cropped to a square and resized
    (bicubic) to ``size`` x ``size``; returns (size, size, 3) uint8."""
    img = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image, dtype=np.uint8))
    return tensor_to_uint8(image_to_tensor(img, size))


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio of two (..., 3) uint8 images in dB, pixels in [0, 1]: 10 log10(1 / MSE)."""
    mse = float(np.mean((a.astype(np.float64) / 255 - b.astype(np.float64) / 255) ** 2))
    return 10 * math.log10(1.0 / max(mse, 1e-10))


@torch.no_grad()
def tokenize_image(vq: VQVAE, pixels: np.ndarray) -> dict:
    """Encode one image into codes and paint it back.

    Args:
        vq: the tokenizer.
        pixels: (S, S, 3) uint8, the tokenizer's input (see :func:`model_input`).

    Returns:
        dict(pixels (the input), codes (h, w) int64 ids, distance (h, w) from each cell's vector to its code,
        second (h, w) distance to the second-nearest code, recon (S, S, 3) uint8, error (S, S) squared error per
        pixel (mean over RGB, pixels in [0, 1]), mse, psnr, usage (K,) how often each code occurs, distinct,
        perplexity, z_shape).
    """
    vq.eval()
    dev = vq.quantizer.codebook.device
    x = vq.normalize(uint8_to_tensor(pixels).to(dev))  # (1, 3, S, S)
    z = vq.encoder(x)  # (1, C, h, w)
    _, C, h, w = z.shape
    d = vq.quantizer.distances(z.permute(0, 2, 3, 1).reshape(-1, C))  # (h*w, K) squared distances
    codes, info = vq.encode(x)  # (1, h, w): the argmin of d
    recon = decode_image(vq, codes[0])  # (S, S, 3)
    err = ((recon.astype(np.float64) - pixels.astype(np.float64)) / 255) ** 2
    K = vq.cfg.codebook_size
    usage = np.bincount(codes.flatten().cpu().numpy(), minlength=K)
    p = usage[usage > 0] / usage.sum()
    two = d.clamp_min(0).sqrt().topk(2, largest=False).values  # (h*w, 2)
    return {"pixels": pixels, "codes": codes[0].cpu().numpy(), "distance": info["distance"][0].cpu().numpy(),
            "second": two[:, 1].view(h, w).cpu().numpy(), "recon": recon, "error": err.mean(-1),
            "mse": float(err.mean()), "psnr": psnr(recon, pixels), "usage": usage, "distinct": int(len(p)),
            "perplexity": float(np.exp(-(p * np.log(p)).sum())), "z_shape": (1, C, h, w)}


@torch.no_grad()
def codebook_patches(vq: VQVAE, batch: int = 64) -> np.ndarray:
    """Every code decoded alone: a grid filled with code k goes through the decoder, and the cell in its middle
    is kept (away from the borders, where the decoder's zero padding shows).

    Returns:
        (K, p, p, 3) uint8, p = S / grid (the pixels one code paints).
    """
    vq.eval()
    g, K, p = vq.cfg.grid, vq.cfg.codebook_size, vq.cfg.downsample
    dev = vq.quantizer.codebook.device
    mid = (g // 2) * p
    out = []
    for start in range(0, K, batch):
        ids = torch.arange(start, min(K, start + batch), device=dev)
        grids = ids[:, None, None].expand(-1, g, g)  # (b, h, w), every cell the same code
        out.append(decode_image(vq, grids)[:, mid:mid + p, mid:mid + p])  # (b, p, p, 3)
    return np.concatenate(out)


def _heldout_recipe(card: dict) -> tuple[int, str, int]:
    """(seed, task, n) of the card's held-out scenes (mmviz.train.vq writes them into the card)."""
    data = card.get("data", {})
    m = re.search(r"task=['\"](\w+)['\"]", str(data.get("generator", "")))
    return int(data.get("heldout_seed", 987_654)), m.group(1) if m else "largest", int(card.get("heldout", {}).get(
        "n", 500))


@torch.no_grad()
def heldout_usage(vq: VQVAE, card: dict, *, n: int | None = None, batch_size: int = 100) -> dict:
    """How often each code is chosen on the card's held-out scenes (the same scenes, seeds and batches as the
    card's evaluation, so ``codes_used`` and ``perplexity`` come out as on the card).

    Returns:
        dict(counts (K,), order (K,) code ids from the most to the least used, n (images), codes_used, perplexity,
        task, seed).
    """
    vq.eval()
    seed, task, n_card = _heldout_recipe(card)
    n = n or n_card
    counts = torch.zeros(vq.cfg.codebook_size)
    dev = vq.quantizer.codebook.device
    for i in range(0, n, batch_size):
        b = make_batch(min(batch_size, n - i), seed=seed + i, task=task, size=vq.cfg.image_size)
        codes, _ = vq.encode(vq.normalize(b["images"].to(dev)))
        counts += torch.bincount(codes.flatten().cpu(), minlength=vq.cfg.codebook_size).float()
    p = counts / counts.sum()
    counts_np = counts.numpy().astype(np.int64)
    return {"counts": counts_np, "order": np.argsort(-counts_np, kind="stable"), "n": n,
            "codes_used": int((counts > 0).sum()),
            "perplexity": float(math.exp(-(p * (p + 1e-12).log()).sum().item())), "task": task, "seed": seed}


@torch.no_grad()
def restrict_codebook(vq: VQVAE, pixels: np.ndarray, order: np.ndarray, sizes=KEEP_SIZES) -> dict:
    """Keep only the M most used codes of the trained codebook and quantise again: every cell takes the nearest
    code among those M, and the decoder paints the result. Not a retrained smaller codebook: the codes and the
    decoder stay those learned with all K.

    Args:
        vq: the tokenizer.
        pixels: (S, S, 3) uint8.
        order: (K,) code ids, most used first (held-out use).
        sizes: the values of M.

    Returns:
        dict(sizes (n,), psnr (n,), recon (n, S, S, 3) uint8, distinct (n,) codes the image uses, bits (n,)
        h*w*log2 M).
    """
    vq.eval()
    dev = vq.quantizer.codebook.device
    z = vq.encoder(vq.normalize(uint8_to_tensor(pixels).to(dev)))  # (1, C, h, w)
    _, C, h, w = z.shape
    d = vq.quantizer.distances(z.permute(0, 2, 3, 1).reshape(-1, C))  # (h*w, K)
    order_t = torch.tensor(np.array(order, dtype=np.int64), device=dev)  # (K,) a copy: any strides
    grids = []
    for M in sizes:
        allowed = order_t[:M]
        grids.append(allowed[d[:, allowed].argmin(1)].view(h, w))  # nearest allowed code per cell
    recon = decode_image(vq, torch.stack(grids))  # (n, S, S, 3)
    return {"sizes": np.array(sizes), "psnr": np.array([psnr(r, pixels) for r in recon]), "recon": recon,
            "distinct": np.array([len(torch.unique(g)) for g in grids]),
            "bits": np.array([h * w * math.log2(M) for M in sizes])}



@torch.no_grad()
def coarser_grids(vq: VQVAE, image, sides=COARSE_SIDES) -> dict:
    """A coarser grid with the same trained tokenizer: it shrinks every image 8x, so a 32 px copy of the image
    gives 4 x 4 codes and a 16 px copy 2 x 2. Each reconstruction is enlarged back to the full input size and
    compared with the full-size input.

    Args:
        vq: the tokenizer.
        image: PIL image or (H, W, 3) uint8 (any size).
        sides: input sides (multiples of the tokenizer's downsampling).

    Returns:
        dict(sides, grids (n,) codes per side, tokens (n,), psnr (n,), recon (n, S, S, 3) uint8 at the full
        input size S, bits (n,) tokens * log2 K).
    """
    vq.eval()
    S, K = vq.cfg.image_size, vq.cfg.codebook_size
    full = model_input(image, S)
    dev = vq.quantizer.codebook.device
    out = []
    for s in sides:
        x = vq.normalize(uint8_to_tensor(model_input(image, s)).to(dev))  # (1, 3, s, s)
        codes, _ = vq.encode(x)  # (1, s/8, s/8)
        rec = Image.fromarray(decode_image(vq, codes[0]))  # s x s
        out.append(np.asarray(rec.resize((S, S), Image.Resampling.BILINEAR)))
    grids = np.array([s // vq.cfg.downsample for s in sides])
    return {"sides": np.array(sides), "grids": grids, "tokens": grids ** 2,
            "psnr": np.array([psnr(r, full) for r in out]),
            "recon": np.stack(out), "bits": grids ** 2 * math.log2(K)}
