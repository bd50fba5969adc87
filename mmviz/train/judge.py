"""Recipe for the kind judge: a small CNN that names the kind of one shape on a calm background.

    python -m mmviz.train kind-judge [--steps N] [--threads 1]

writes assets/models/cnn-kind-judge.safetensors and its card. It exists to measure the image-token
generators honestly (does the generated image show the caption's kind?): its held-out accuracy on
real scenes of the same kind is in its card, next to what it says about generated images. (A tiny
ViT trained the same way reached only 61.6% after 1500 steps: shape kind is slow for it to learn on
2 CPU cores, as the Swin recipe's note says; a CNN learns it quickly.)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from mmviz.data.shapes import SHAPE_KINDS, ShapesWorld, make_batch
from mmviz.models.convnet import PRESETS, ConvNet
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options
from mmviz.train.shapes_task import augment

__all__ = ["MODEL_NAME", "DEFAULTS", "WORLD", "evaluate_judge", "train_kind_judge"]

MODEL_NAME = "cnn-kind-judge"
#: one medium or large shape on a plain or gradient background: what the generators are asked to draw
WORLD = ShapesWorld(sizes=("medium", "large"), backgrounds=("plain", "gradient"), target="kind")
DEFAULTS = Options(steps=1000, batch_size=64, lr=2e-3, warmup=50, weight_decay=1e-4, eval_n=1000)


@torch.no_grad()
def evaluate_judge(model: ConvNet, n: int = 1000, seed: int = HELDOUT_SEED) -> dict:
    """Held-out accuracy on fresh scenes of WORLD: dict(n, accuracy, per_class)."""
    model.eval()
    b = make_batch(n, seed=seed, world=WORLD)
    pred = torch.cat([model.classify(model.normalize(b["images"][i:i + 250])).argmax(-1) for i in range(0, n, 250)])
    ok = pred == b["labels"]
    per = {k: round(float(ok[b["labels"] == j].float().mean()), 4) for j, k in enumerate(SHAPE_KINDS)}
    return {"n": n, "accuracy": round(float(ok.float().mean()), 4), "per_class": per}


def train_kind_judge(**overrides) -> dict:
    """Train the kind judge and write weights and card.

    Args:
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.
    """
    opts = options(DEFAULTS, overrides)
    model, previous = new_model(ConvNet, PRESETS[MODEL_NAME], opts.seed, opts.init)
    gen = torch.Generator().manual_seed(opts.seed)

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = make_batch(opts.batch_size, seed=opts.seed * 1_000_003 + i, world=WORLD)
        images, _ = augment(b["images"], b["masks"], gen)
        logits = model.classify(model.normalize(images))
        loss = F.cross_entropy(logits, b["labels"], label_smoothing=0.1)
        return loss, {"acc": (logits.argmax(-1) == b["labels"]).float().mean().item()}

    run = Run(name=MODEL_NAME, family="cnn", classes=list(SHAPE_KINDS),
              task="name the kind of the one medium or large shape on a plain or gradient background (6 kinds)",
              data={"generator": "mmviz.data.shapes.make_batch(world=mmviz.train.judge.WORLD)",
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss="cross-entropy on the kind", label_smoothing=0.1, augment="hflip, rot90, brightness x[0.95,1.05]")
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_judge(m, n=opts.eval_n),
               probe=lambda m: evaluate_judge(m, n=250, seed=PROBE_SEED)["accuracy"],
               summary=lambda h: {"accuracy": h["accuracy"]})
