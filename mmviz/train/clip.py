"""Recipe for the embedded tiny CLIP (CPU-friendly, scenes and captions generated on the fly).

    python -m mmviz.train clip-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/clip-tiny-shapes.safetensors (fp16) and clip-tiny-shapes.json (the card).
Data: one shape per 64x64 shapes-world scene (mmviz.data.shapes.TASKS["caption"]) with its
caption, sometimes shortened ("a red circle", "a large star on a striped background") so short
prompts work too. Loss: symmetric InfoNCE (mmviz.models.clip.clip_loss) where a caption that also fits
another image of the batch counts as a match for it.
"""

from __future__ import annotations

import numpy as np
import torch

from mmviz.data.captions import clip_batch
from mmviz.data.shapes import COLOURS, SHAPE_KINDS
from mmviz.models.clip import CLIP, PRESETS, contrastive_loss
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options

__all__ = ["MODEL_NAME", "DEFAULTS", "evaluate_clip", "train_clip_tiny"]

MODEL_NAME = "clip-tiny-shapes"


@torch.no_grad()
def evaluate_clip(model: CLIP, n: int = 1000, seed: int = 20_000, candidates: int = 8) -> dict:
    """Zero-shot accuracy on freshly generated scenes.

    - captions: for each scene, its own caption against candidates-1 captions of other scenes
      (all different from it); top-1 = the own caption scores highest.
    - kind / colour: prompts "a {kind}" (6) and "a {colour} shape" (9); top-1 = the true one.

    Args:
        model: a CLIP with the shapes tokenizer.
        n: held-out scenes.
        seed: data seed (never used in training).
        candidates: captions to choose among (the issue's 8).

    Returns:
        dict(caption_top1, kind_top1, colour_top1, n, candidates).
    """
    model.eval()
    b = clip_batch(n, seed, p_full=1.0, size=model.cfg.vision.image_size)
    img = torch.cat([model.encode_image(model.normalize(b["images"][i:i + 250])) for i in range(0, n, 250)])
    txt = model.encode_prompts(b["captions"])  # (n, E)
    sim = img @ txt.t()  # (n, n)
    rng = np.random.default_rng(seed + 1)
    caps = np.array(b["captions"])
    hits = 0
    for i in range(n):
        others = np.flatnonzero(caps != caps[i])
        pick = rng.choice(others, candidates - 1, replace=False)
        hits += bool(sim[i, i] > sim[i, pick].max())
    kinds = [s.objects[0]["kind"] for s in b["scenes"]]
    colours = [s.objects[0]["colour"] for s in b["scenes"]]
    k_sim = img @ model.encode_prompts([f"a {k}" for k in SHAPE_KINDS]).t()  # (n, 6)
    c_sim = img @ model.encode_prompts([f"a {c} shape" for c in COLOURS]).t()  # (n, 9)
    kind_top1 = np.mean([SHAPE_KINDS[j] == k for j, k in zip(k_sim.argmax(1).tolist(), kinds)])
    colour_top1 = np.mean([list(COLOURS)[j] == c for j, c in zip(c_sim.argmax(1).tolist(), colours)])
    return {"caption_top1": round(hits / n, 4), "kind_top1": round(float(kind_top1), 4),
            "colour_top1": round(float(colour_top1), 4),
            "n": n, "candidates": candidates}


DEFAULTS = Options(steps=4000, batch_size=64, lr=1e-3, warmup=200)


def train_clip_tiny(*, hard: float = 0.0, **overrides) -> dict:
    """Train the embedded tiny CLIP on shapes-world scenes and captions (from scratch, or continued).

    Recipe: fresh scenes every step (data of step k: numpy seed seed*1_000_003 + k, so a continued
    phase needs another seed), random horizontal flips, symmetric InfoNCE with matches, logit
    scale learned from ln(1/0.07) and clamped at ln(100) after every update; AdamW without decay
    on norms, biases, positions and the logit scale. Loop and card: mmviz.train.common.fit.

    Args:
        hard: share of each batch in hard-negative pairs (see mmviz.data.captions.clip_batch): same
            colour, another kind, so the only way to tell the captions apart is the shape.
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON next to the weights).
    """
    opts = options(DEFAULTS, overrides)
    cfg = PRESETS[MODEL_NAME]
    model, previous = new_model(CLIP, cfg, opts.seed, opts.init)

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = clip_batch(opts.batch_size, opts.seed * 1_000_003 + i, size=cfg.vision.image_size, hard=hard)
        loss, _ = contrastive_loss(model, b)
        return loss, {"scale": model.logit_scale.exp().item()}

    run = Run(name=MODEL_NAME, family="clip",
              task="match 64x64 shapes-world scenes (one shape) with their captions",
              data={"generator": "mmviz.data.captions.clip_batch over mmviz.data.shapes.TASKS['caption']",
                    "captions": "50% full captions, 50% shortened (size / background dropped with p 0.5, kind or "
                                "colour with p 0.3); a caption matching several images is a positive for each; "
                                "phases with hard_pairs > 0 put that share of each batch in same-colour, "
                                "other-kind pairs captioned 'a {colour} {kind}'",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss="symmetric InfoNCE (mmviz.models.clip.clip_loss) with matches", augment="hflip",
              phase={"hard_pairs": hard},
              extra=lambda m: {"tokenizer": "mmviz.tokenizers.shapes_tokenizer (word level, shapes-world words)",
                               "logit_scale": round(m.logit_scale.exp().item(), 3)})
    return fit(model, step, run, opts, previous=previous, after_step=model.clamp_logit_scale,
               evaluate=lambda m: evaluate_clip(m, n=opts.eval_n, seed=HELDOUT_SEED),
               probe=lambda m: evaluate_clip(m, n=250, seed=PROBE_SEED))
