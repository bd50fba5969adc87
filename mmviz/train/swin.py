"""Recipe for the embedded tiny Swin (CPU-friendly, scenes generated on the fly).

    python -m mmviz.train swin-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/swin-tiny-shapes.safetensors (fp16) and swin-tiny-shapes.json (the card).
Task: name the colour of the one shape in a cluttered 64x64 shapes-world scene ("colour", 9 classes,
the tiny ViT's task), with the tiny ViT's curriculum (mmviz.train.vit.easy_fraction). The shape-kind
task ("shape") learned too slowly on 2 CPU cores: 32% held-out after 1000 steps.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F

from mmviz.data.shapes import COLOURS, TASKS, make_batch
from mmviz.swin.model import PRESETS, Swin
from mmviz.train.common import ASSETS, adamw, cosine_lr, new_model, optimizer_step, save_model
from mmviz.train.vit import easy_fraction

__all__ = ["MODEL_NAME", "TASK", "CLASSES", "augment", "training_batch", "evaluate_swin", "train_swin_tiny"]

MODEL_NAME = "swin-tiny-shapes"
TASK = "colour"  # name the colour of the one shape (9 classes, mmviz.data.shapes.TASKS)
CLASSES: tuple[str, ...] = tuple(COLOURS)
# curriculum: early batches are mostly big shapes on plain/gradient backgrounds
EASY = replace(TASKS[TASK], backgrounds=("plain", "gradient"), sizes=("large",))


def training_batch(batch_size: int, step: int, steps: int, seed: int, size: int, curriculum: bool = True) -> dict:
    """Fresh scenes for one step: an easy share (mmviz.train.vit.easy_fraction: 100% -> 10% over the first
    35% of the steps) plus the full task.

    Returns:
        dict(images (B, 3, S, S) in [0, 1], labels (B,) index in CLASSES).
    """
    n_easy = round(easy_fraction(step if curriculum else steps, steps) * batch_size)
    base = seed * 1_000_003 + 2 * step
    parts = [make_batch(n_easy, seed=base, world=replace(EASY, size=size))] if n_easy else []
    if batch_size - n_easy:
        parts.append(make_batch(batch_size - n_easy, seed=base + 1, task=TASK, size=size))
    return {k: torch.cat([p[k] for p in parts]) for k in ("images", "labels")}


def augment(images: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random horizontal flips, one random 90 degree turn per batch and a small brightness jitter
    (the colour label is invariant to them). images: (B, 3, S, S) in [0, 1] -> same shape."""
    B = images.shape[0]
    flip = torch.rand(B, generator=gen) < 0.5
    images = torch.where(flip[:, None, None, None], images.flip(-1), images)
    images = torch.rot90(images, int(torch.randint(0, 4, (1,), generator=gen)), dims=(-2, -1))
    scale = 1 + 0.1 * (torch.rand(B, 1, 1, 1, generator=gen) - 0.5)
    return (images * scale).clamp(0, 1)


@torch.no_grad()
def evaluate_swin(model: Swin, n: int = 1000, seed: int = 10_000, batch_size: int = 250) -> dict:
    """Held-out accuracy on freshly generated scenes of the full task.

    Args:
        model: a Swin with a head over CLASSES.
        n: number of held-out scenes.
        seed: data seed (use one never seen in training).
        batch_size: evaluation batch size.

    Returns:
        dict(accuracy, per_class (accuracy per class), n).
    """
    model.eval()
    hits = torch.zeros(len(CLASSES))
    counts = torch.zeros(len(CLASSES))
    for i in range(0, n, batch_size):
        b = make_batch(min(batch_size, n - i), seed=seed + i, task=TASK, size=model.cfg.image_size)
        pred = model.classify(model.normalize(b["images"])).argmax(-1)
        ok = (pred == b["labels"]).float()
        hits.index_add_(0, b["labels"], ok)
        counts.index_add_(0, b["labels"], torch.ones_like(ok))
    per_class = {k: round((hits[j] / counts[j].clamp_min(1)).item(), 4) for j, k in enumerate(CLASSES)}
    return {"accuracy": hits.sum().item() / n, "per_class": per_class, "n": n}


def train_swin_tiny(
    steps: int = 4000,
    batch_size: int = 64,
    lr: float = 1e-3,
    weight_decay: float = 0.05,
    warmup: int = 300,
    seed: int = 0,
    out: Path = ASSETS,
    log_every: int = 50,
    eval_n: int = 2000,
    eval_every: int = 500,
    init: Path | None = None,
) -> dict:
    """Train the embedded tiny Swin on the shapes world and write weights + card.

    Recipe (as the ViT's, mmviz.train.vit.train_vit_tiny): AdamW (no decay on norms, biases and
    relative-position bias tables), linear warmup then cosine to 0, label smoothing 0.1, gradient
    clipping at 1, fresh scenes every step, flips / rot90 / brightness, and the easy-to-full
    curriculum over the first 35% of the steps. The only loss is cross-entropy on the colour.

    Args:
        steps: optimisation steps.
        batch_size: scenes per step.
        lr: peak learning rate.
        weight_decay: AdamW decay of the weight matrices.
        warmup: warmup steps.
        seed: torch + data seed.
        out: output folder.
        log_every: print every this many steps.
        eval_n: held-out scenes for the card.
        eval_every: print a quick 250-scene probe every this many steps (0 = never).
        init: continue from these weights (a .safetensors written by this recipe) without the
            curriculum; the card then lists both phases.

    Returns:
        the card dict (also written as JSON next to the weights).
    """
    cfg = PRESETS[MODEL_NAME]
    init = Path(init) if init is not None else None
    model, previous = new_model(Swin, cfg, seed, init)
    opt = adamw(model, lr, weight_decay)
    gen = torch.Generator().manual_seed(seed)
    t0 = time.time()
    run_loss, run_acc = 0.0, 0.0
    for step in range(steps):
        model.train()
        b = training_batch(batch_size, step, steps, seed, cfg.image_size, curriculum=init is None)
        logits = model.classify(model.normalize(augment(b["images"], gen)))  # (B, 9)
        loss = F.cross_entropy(logits, b["labels"], label_smoothing=0.1)
        optimizer_step(model, opt, loss, cosine_lr(step, steps, lr, warmup))
        acc = (logits.argmax(-1) == b["labels"]).float().mean().item()
        run_loss = 0.98 * run_loss + 0.02 * loss.item() if step else loss.item()
        run_acc = 0.98 * run_acc + 0.02 * acc if step else acc
        if step % log_every == 0 or step == steps - 1:
            el = time.time() - t0
            print(f"step {step:5d}/{steps} loss {run_loss:.3f} acc {run_acc:.3f} "
                  f"lr {cosine_lr(step, steps, lr, warmup):.2e} {el:6.0f}s ({el / (step + 1):.3f}s/step)", flush=True)
        if eval_every and step and step % eval_every == 0:
            print(f"  probe @ {step}:", evaluate_swin(model, n=250, seed=555_555)["accuracy"], flush=True)
    wall = time.time() - t0

    metrics = evaluate_swin(model, n=eval_n, seed=987_654)
    print("held-out:", metrics, flush=True)
    phases = (previous or {}).get("phases", []) if previous is not None else []
    phases = phases + [{"steps": steps, "lr": lr, "warmup": warmup, "curriculum": init is None,
                        "init": init.name if init else None, "wall_time_s": round(wall, 1),
                        "heldout_accuracy": round(metrics["accuracy"], 4)}]
    card = {
        "family": "swin",
        "architecture": "mmviz.swin.Swin",
        "classes": list(CLASSES),
        "task": "name the colour of the single shape in a cluttered 64x64 shapes-world scene",
        "data": {
            "generator": f"mmviz.data.shapes.make_batch(task={TASK!r}) via mmviz.train.swin.training_batch",
            "curriculum": "easy share (large shapes on plain/gradient) 100% -> 10% linearly over the "
                          "first 35% of steps, rest from the full task",
            "train_seeds": f"seed*1_000_003 + 2*step (+1), seed={seed}",
            "heldout_seed": 987_654,
        },
        "recipe": {"optimizer": "AdamW", "lr": lr, "betas": [0.9, 0.99], "weight_decay": weight_decay,
                   "schedule": f"linear warmup {warmup} steps, cosine to 0", "steps": steps,
                   "batch_size": batch_size, "loss": "cross-entropy on the colour only",
                   "label_smoothing": 0.1, "grad_clip": 1.0,
                   "augment": "hflip, rot90, brightness x[0.95,1.05]", "seed": seed,
                   "threads": torch.get_num_threads(), "device": "cpu"},
        "train_wall_time_s": round(wall + (previous or {}).get("train_wall_time_s", 0.0), 1),
        "phases": phases,
        "heldout": {"n": metrics["n"], "accuracy": round(metrics["accuracy"], 4), "per_class": metrics["per_class"]},
    }
    return save_model(model, cfg, card, out, MODEL_NAME)
