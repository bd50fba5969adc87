"""Recipes for the two image-token generators, DALL·E-style and Parti-style, on one table.

    python -m mmviz.train dalle-tiny | parti-tiny [--steps N] [--threads 1]

Both learn p(image codes | caption) with teacher forcing on the same data: fresh one-shape
shapes-world scenes (TASKS["caption"]) with their captions, turned into 8 x 8 codes by the frozen
``vq-tiny-shapes`` (which each model stores a copy of). Both are judged the same way: for the
captions "a large {colour} {kind} on a plain background" (9 x 6), generated images are named by
the embedded tiny ViT (colour) and by ``cnn-kind-judge`` (kind).
"""

from __future__ import annotations

import time

import numpy as np
import torch

from mmviz.data.shapes import COLOURS, SHAPE_KINDS, make_batch
from mmviz.models.dalle import PRESETS as DALLE_PRESETS
from mmviz.models.dalle import DalleTiny, caption_ids
from mmviz.models.parti import PRESETS as PARTI_PRESETS
from mmviz.models.parti import PartiTiny
from mmviz.train.common import Options, Run, fit, new_model, options
from mmviz.weights import SHARED, load_model

__all__ = ["DEFAULTS", "EVAL_TEMPLATE", "evaluate_generator", "train_dalle_tiny", "train_parti_tiny"]

DEFAULTS = Options(steps=2500, batch_size=32, lr=1e-3, warmup=150, eval_n=2)  # eval_n: images per caption
EVAL_TEMPLATE = "a large {colour} {kind} on a plain background"


def _batch(model, n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(captions (B, Lc), codes (B, h, w)) of n fresh scenes, coded by the model's frozen VQ."""
    b = make_batch(n, seed=seed, task="caption", size=model.cfg.vq.image_size)
    with torch.no_grad():
        codes, _ = model.vq.encode(model.vq.normalize(b["images"]))
    return caption_ids(model.tokenizer, b["captions"], model.cfg.caption_length), codes


@torch.no_grad()
def evaluate_generator(model, per_caption: int = 2, seed: int = 0, temperature: float = 1.0,
                       top_k: int | None = None) -> dict:
    """Generate images for every "a large {colour} {kind} on a plain background" and judge them.

    Colour: the embedded tiny ViT (vit-tiny-shapes, 98.9% on real cluttered scenes); kind:
    cnn-kind-judge (its own card gives its accuracy on real scenes).

    Returns:
        dict(images (9 * 6 * per_caption), colour_accuracy, kind_accuracy, both_accuracy,
        colour_by_colour, kind_by_kind, mean_log_prob (of the sampled codes), seconds_per_image, settings).
    """
    vit, judge = load_model("vit-tiny-shapes"), load_model("cnn-kind-judge")
    rows, t0 = [], time.perf_counter()
    images, log_probs = [], []
    for ci, colour in enumerate(COLOURS):
        for ki, kind in enumerate(SHAPE_KINDS):
            for r in range(per_caption):
                out = model.generate_steps(EVAL_TEMPLATE.format(colour=colour, kind=kind),
                                           seed=seed * 1000 + (ci * 6 + ki) * per_caption + r,
                                           temperature=temperature, top_k=top_k)
                images.append(out["image"])
                log_probs.append(out["log_prob"])
                rows.append((ci, ki))
    seconds = (time.perf_counter() - t0) / len(images)
    x = torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() / 255.0
    colour_pred = vit.classify(vit.normalize(x)).argmax(-1)
    kind_pred = judge.classify(judge.normalize(x)).argmax(-1)
    want_c = torch.tensor([c for c, _ in rows])
    want_k = torch.tensor([k for _, k in rows])
    ok_c, ok_k = colour_pred == want_c, kind_pred == want_k
    return {"images": len(images), "colour_accuracy": round(float(ok_c.float().mean()), 4),
            "kind_accuracy": round(float(ok_k.float().mean()), 4),
            "both_accuracy": round(float((ok_c & ok_k).float().mean()), 4),
            "colour_by_colour": {c: round(float(ok_c[want_c == i].float().mean()), 3) for i, c in enumerate(COLOURS)},
            "kind_by_kind": {k: round(float(ok_k[want_k == i].float().mean()), 3) for i, k in enumerate(SHAPE_KINDS)},
            "mean_log_prob": round(sum(log_probs) / len(log_probs), 2), "seconds_per_image": round(seconds, 3),
            "settings": {"template": EVAL_TEMPLATE, "per_caption": per_caption, "temperature": temperature,
                         "top_k": top_k, "colour_judge": "vit-tiny-shapes", "kind_judge": "cnn-kind-judge"}}


def _train(cls, preset, name: str, family: str, design: str, opts: Options) -> dict:
    model, previous = new_model(cls, preset, opts.seed, opts.init)
    if opts.init is None:  # a frozen copy of the shipped image tokenizer
        model.vq.load_state_dict(load_model("vq-tiny-shapes").state_dict())
    model.vq.eval()

    def step(i: int) -> tuple[torch.Tensor, dict]:
        model.vq.eval()
        captions, codes = _batch(model, opts.batch_size, opts.seed * 1_000_003 + i)
        return model.loss(captions, codes), {}

    run = Run(name=name, family=family,
              task=f"generate the 8 x 8 image codes of a 64 px shapes-world scene from its caption ({design})",
              data={"generator": "mmviz.data.shapes.make_batch(task='caption'), codes by vq-tiny-shapes (frozen copy)",
                    "recipe": "one shape of any size, colour and kind on any background; its caption "
                              "('a small red circle on a striped background'); fresh scenes every step",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "evaluation": EVAL_TEMPLATE},
              loss="cross-entropy of every image code given the caption and the codes before it (teacher forcing)",
              extra={"image_tokenizer": "vq-tiny-shapes (frozen; its weights are read from its own file)",
                     SHARED: {"vq": "vq-tiny-shapes"}, "design": design,
                     "parameters": sum(p.numel() for n, p in model.named_parameters() if not n.startswith("vq."))})
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_generator(m, per_caption=opts.eval_n),
               probe=lambda m: {k: v for k, v in evaluate_generator(m, per_caption=1).items()
                                if k in ("colour_accuracy", "kind_accuracy")},
               summary=lambda h: {k: h[k] for k in ("colour_accuracy", "kind_accuracy")})


def train_dalle_tiny(**overrides) -> dict:
    """Train the DALL·E-style decoder over [caption ; codes] (Options overrides as keyword arguments)."""
    return _train(DalleTiny, DALLE_PRESETS["dalle-tiny-shapes"], "dalle-tiny-shapes", "dalle",
                  "decoder-only: [caption ; image codes] in one causal sequence", options(DEFAULTS, overrides))


def train_parti_tiny(**overrides) -> dict:
    """Train the Parti-style encoder-decoder (Options overrides as keyword arguments)."""
    return _train(PartiTiny, PARTI_PRESETS["parti-tiny-shapes"], "parti-tiny-shapes", "parti",
                  "encoder-decoder: caption encoder, image-code decoder with cross-attention",
                  options(DEFAULTS, overrides))

