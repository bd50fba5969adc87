"""The image task the tiny ViT and the tiny Swin share: name the colour of the one shape in a
cluttered 64x64 shapes-world scene (9 classes), with an easy-to-full curriculum.

Shapes: B batch, S image side.
"""

from __future__ import annotations

from dataclasses import replace

from collections.abc import Callable

import torch
import torch.nn.functional as F

from mmviz.data.shapes import COLOURS, TASKS, make_batch
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit

__all__ = ["TASK", "CLASSES", "EASY", "HELDOUT_SEED", "PROBE_SEED", "CURRICULUM", "easy_fraction", "training_batch",
           "augment", "evaluate_classifier", "train_colour_classifier"]

TASK = "colour"  # see mmviz.data.shapes.TASKS
CLASSES: tuple[str, ...] = tuple(COLOURS)
#: curriculum: early batches are mostly big shapes on plain/gradient backgrounds
EASY = replace(TASKS[TASK], backgrounds=("plain", "gradient"), sizes=("large",))
CURRICULUM = ("easy share (large shapes on plain/gradient) 100% -> 10% linearly over the first 35% of steps, "
              "rest from the full task")
AUGMENT = "hflip, rot90, brightness x[0.95,1.05]"


def easy_fraction(step: int, steps: int, ramp: float = 0.35, floor: float = 0.1) -> float:
    """Share of easy scenes in the batch at this step: 1 -> floor linearly over the first ramp*steps."""
    return max(floor, 1.0 - (1.0 - floor) * step / max(1.0, ramp * steps))


def training_batch(batch_size: int, step: int, steps: int, seed: int, size: int, curriculum: bool = True) -> dict:
    """Fresh training scenes for one step: an easy share (see easy_fraction) + the full task.

    Returns:
        dict(images (B, 3, S, S) in [0, 1], labels (B,) index in CLASSES, masks (B, S, S) bool).
    """
    n_easy = round(easy_fraction(step if curriculum else steps, steps) * batch_size)
    base = seed * 1_000_003 + 2 * step
    parts = [make_batch(n_easy, seed=base, world=replace(EASY, size=size))] if n_easy else []
    if batch_size - n_easy:
        parts.append(make_batch(batch_size - n_easy, seed=base + 1, task=TASK, size=size))
    return {k: torch.cat([p[k] for p in parts]) for k in ("images", "labels", "masks")}


def augment(images: torch.Tensor, masks: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Random horizontal flips, one random 90 degree turn per batch (every shape kind is invariant,
    and so is the colour label) and a small brightness jitter.

    images: (B, 3, S, S) in [0, 1], masks: (B, S, S) -> the same shapes.
    """
    B = images.shape[0]
    flip = torch.rand(B, generator=gen) < 0.5
    images = torch.where(flip[:, None, None, None], images.flip(-1), images)
    masks = torch.where(flip[:, None, None], masks.flip(-1), masks)
    k = int(torch.randint(0, 4, (1,), generator=gen))
    images, masks = torch.rot90(images, k, dims=(-2, -1)), torch.rot90(masks, k, dims=(-2, -1))
    scale = 1 + 0.1 * (torch.rand(B, 1, 1, 1, generator=gen) - 0.5)
    return (images * scale).clamp(0, 1), masks


@torch.no_grad()
def evaluate_classifier(model: torch.nn.Module, n: int = 1000, seed: int = 10_000, batch_size: int = 250) -> dict:
    """Held-out accuracy of a colour classifier (anything with ``normalize`` and ``classify``) on fresh scenes.

    Returns:
        dict(accuracy, per_class {colour: accuracy}, n).
    """
    model.eval()
    hits, counts = torch.zeros(len(CLASSES)), torch.zeros(len(CLASSES))
    for i in range(0, n, batch_size):
        b = make_batch(min(batch_size, n - i), seed=seed + i, task=TASK, size=model.cfg.image_size)
        pred = model.classify(model.normalize(b["images"])).argmax(-1)
        ok = (pred == b["labels"]).float()
        hits.index_add_(0, b["labels"], ok)
        counts.index_add_(0, b["labels"], torch.ones_like(ok))
    per_class = {k: round((hits[j] / counts[j].clamp_min(1)).item(), 4) for j, k in enumerate(CLASSES)}
    return {"accuracy": round(hits.sum().item() / n, 4), "per_class": per_class, "n": n}


def train_colour_classifier(model: torch.nn.Module, previous: dict | None, opts: Options, *, name: str, family: str,
                            evaluate: Callable[[torch.nn.Module, int, int], dict],
                            summary: Callable[[dict], dict] | None = None) -> dict:
    """Train any image classifier (``normalize`` + ``classify``) on this task and write weights + card.

    Recipe: fresh scenes every step (never repeats), the easy-to-full curriculum over the first 35%
    of the steps (none when continuing from ``opts.init``), flips / rot90 / brightness, and
    cross-entropy on the colour with label smoothing 0.1 as the only loss. The loop, schedule and
    card are mmviz.train.common.fit's.

    Args:
        model: seeded or continued (mmviz.train.common.new_model).
        previous: the card of the weights continued from, or None.
        opts: steps, batch size, learning rate, ..., init.
        name, family: registry name and family.
        evaluate: (model, n, seed) -> held-out dict with at least "accuracy".
        summary: what a phase keeps of the held-out dict (default: the accuracy).

    Returns:
        the card.
    """
    gen = torch.Generator().manual_seed(opts.seed)
    size = model.cfg.image_size

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = training_batch(opts.batch_size, i, opts.steps, opts.seed, size, curriculum=opts.init is None)
        images, _ = augment(b["images"], b["masks"], gen)
        logits = model.classify(model.normalize(images))  # (B, 9)
        loss = F.cross_entropy(logits, b["labels"], label_smoothing=0.1)
        return loss, {"acc": (logits.argmax(-1) == b["labels"]).float().mean().item()}

    run = Run(name=name, family=family, classes=list(CLASSES),
              task=f"name the colour of the single shape in a {size}x{size} shapes-world scene (9 colours)",
              data={"generator": f"mmviz.data.shapes.make_batch(task={TASK!r}) via mmviz.train.shapes_task",
                    "recipe": "one shape (6 kinds, 9 colours, medium/large, random rotation) on plain, gradient, "
                              "striped, checkered, noise or sample-photo-crop backgrounds (random colours); fresh "
                              "scenes every step",
                    "curriculum": CURRICULUM, "train_seeds": f"seed*1_000_003 + 2*step (+1), seed={opts.seed}",
                    "heldout_seed": HELDOUT_SEED},
              loss="cross-entropy on the colour only", label_smoothing=0.1, augment=AUGMENT,
              phase={"curriculum": opts.init is None})
    return fit(model, step, run, opts, previous=previous, evaluate=lambda m: evaluate(m, opts.eval_n, HELDOUT_SEED),
               probe=lambda m: evaluate(m, 250, PROBE_SEED)["accuracy"],
               summary=summary or (lambda h: {"accuracy": h["accuracy"]}))
