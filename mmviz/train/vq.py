"""Recipe for the embedded VQ-VAE image tokenizer (CPU-friendly, scenes generated on the fly).

    python -m mmviz.train vq-tiny [--steps N] [--threads 1]

writes assets/models/vq-tiny-shapes.safetensors (fp16) and vq-tiny-shapes.json (the card).
Data: shapes-world scenes with one to three shapes on every kind of background
(mmviz.data.shapes.TASKS["largest"]), fresh every step. Loss: mean squared reconstruction error
(in the normalised pixel range) + the commitment loss; the codebook follows EMA updates. A second
phase (``--perceptual W``, continued with ``--init``) adds W x the distance between the feature maps
of the original and the reconstruction in the frozen ``cnn-kind-judge`` (a perceptual loss, as
VQGAN's, with a network mmviz trained itself): MSE alone paints shapes as blobs.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from mmviz.data.shapes import make_batch
from mmviz.models.vq import PRESETS, VQVAE
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options
from mmviz.weights import load_model

__all__ = ["MODEL_NAME", "DEFAULTS", "evaluate_vq", "train_vq_tiny"]

MODEL_NAME = "vq-tiny-shapes"
TASK = "largest"
DEFAULTS = Options(steps=3000, batch_size=32, lr=2e-3, warmup=100, weight_decay=0.0, eval_n=500)


@torch.no_grad()
def evaluate_vq(model: VQVAE, n: int = 500, seed: int = HELDOUT_SEED, batch_size: int = 100) -> dict:
    """Held-out reconstruction and code use on fresh scenes.

    Returns:
        dict(n, psnr_db (mean over images, pixels in [0, 1]), mse, codes_used (distinct codes of K),
        perplexity (exp of the entropy of code use: K if all codes were used equally), bits_per_image
        (h*w*log2 K), raw_bits (S*S*3*8), grid, codebook_size).
    """
    model.eval()
    psnr, mse, counts = [], [], torch.zeros(model.cfg.codebook_size)
    for i in range(0, n, batch_size):
        b = make_batch(min(batch_size, n - i), seed=seed + i, task=TASK, size=model.cfg.image_size)
        recon, codes, _ = model(model.normalize(b["images"]))
        err = ((model.to_pixels(recon) - b["images"]) ** 2).mean((1, 2, 3))  # (B,)
        psnr.append(10 * torch.log10(1.0 / err.clamp_min(1e-10)))
        mse.append(err)
        counts += torch.bincount(codes.flatten(), minlength=model.cfg.codebook_size).float()
    p = counts / counts.sum()
    g, K = model.cfg.grid, model.cfg.codebook_size
    return {"n": n, "psnr_db": round(torch.cat(psnr).mean().item(), 2), "mse": round(torch.cat(mse).mean().item(), 5),
            "codes_used": int((counts > 0).sum()), "perplexity": round(math.exp(-(p * (p + 1e-12).log()).sum().item()), 1),
            "bits_per_image": int(g * g * math.log2(K)), "raw_bits": model.cfg.image_size ** 2 * 3 * 8,
            "grid": [g, g], "codebook_size": K}


def train_vq_tiny(*, perceptual: float = 0.0, **overrides) -> dict:
    """Train the embedded VQ-VAE and write weights + card.

    Args:
        perceptual: weight of the feature-matching loss in the frozen cnn-kind-judge (0 = none).
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    cfg = PRESETS[MODEL_NAME]
    model, previous = new_model(VQVAE, cfg, opts.seed, opts.init)
    gen = torch.Generator().manual_seed(opts.seed)
    judge = load_model("cnn-kind-judge").requires_grad_(False) if perceptual else None

    def features(images01: torch.Tensor) -> torch.Tensor:
        return judge.features(judge.normalize(images01))  # (B, C, S/8, S/8)

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = make_batch(opts.batch_size, seed=opts.seed * 1_000_003 + i, task=TASK, size=cfg.image_size)
        images = torch.where(torch.rand(len(b["images"]), 1, 1, 1, generator=gen) < 0.5, b["images"].flip(-1),
                             b["images"])
        x = model.normalize(images)
        recon, _, info = model(x)
        rec = F.mse_loss(recon, x)
        loss = rec + info["commit"]
        if judge is not None:
            feat = F.mse_loss(features(model.to_pixels(recon)), features(images))
            loss = loss + perceptual * feat
        return loss, {"rec": rec.item(), "ppl": info["perplexity"].item()}

    run = Run(name=MODEL_NAME, family="vq",
              task=f"tokenize {cfg.image_size}x{cfg.image_size} shapes-world scenes into {cfg.grid}x{cfg.grid} codes "
                   f"of a {cfg.codebook_size}-entry codebook, and paint them back",
              data={"generator": f"mmviz.data.shapes.make_batch(task={TASK!r})",
                    "recipe": "one to three shapes (6 kinds, 9 colours, 3 sizes) on plain, gradient, striped, "
                              "checkered, noise or photo-crop backgrounds; fresh scenes every step",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss=f"MSE(reconstruction, input) in the normalised range + {cfg.beta} x commitment"
                   + (f" + {perceptual} x MSE of cnn-kind-judge feature maps (perceptual)" if perceptual else "")
                   + f"; codebook by EMA (decay {cfg.ema_decay}) with dead-code reset",
              phase={"perceptual": perceptual},
              augment="hflip")
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_vq(m, n=opts.eval_n, seed=HELDOUT_SEED),
               probe=lambda m: {k: v for k, v in evaluate_vq(m, n=100, seed=PROBE_SEED).items()
                                if k in ("psnr_db", "codes_used", "perplexity")},
               summary=lambda h: {k: h[k] for k in ("psnr_db", "codes_used", "perplexity")})
