"""Recipe for the embedded tiny ViT (CPU-friendly, scenes generated on the fly).

    python -m mmviz.train vit-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/vit-tiny-shapes.safetensors (fp16) and vit-tiny-shapes.json (the card).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F

from mmviz.data.shapes import COLOURS, TASKS, make_batch
from mmviz.train.common import ASSETS, adamw, cosine_lr, new_model, optimizer_step, save_model
from mmviz.vit import PRESETS, ViT

__all__ = ["evaluate_vit", "cls_attention_on_objects", "easy_fraction", "training_batch", "train_vit_tiny"]

MODEL_NAME = "vit-tiny-shapes"
TASK = "colour"  # name the colour of the one shape in a cluttered scene (see mmviz.data.shapes.TASKS)
CLASSES = tuple(COLOURS)
# curriculum: early batches are mostly big shapes on plain/gradient backgrounds
EASY = replace(TASKS[TASK], backgrounds=("plain", "gradient"), sizes=("large",))


def easy_fraction(step: int, steps: int, ramp: float = 0.35, floor: float = 0.1) -> float:
    """Share of easy scenes in the batch at this step: 1 -> floor linearly over the first ramp*steps."""
    return max(floor, 1.0 - (1.0 - floor) * step / max(1.0, ramp * steps))


def training_batch(batch_size: int, step: int, steps: int, seed: int, size: int, curriculum: bool = True) -> dict:
    """Fresh training scenes for one step: an easy share (see easy_fraction) + the full task.

    Returns:
        dict(images (B, 3, S, S) in [0, 1], labels (B,), masks (B, S, S) bool).
    """
    n_easy = round((easy_fraction(step, steps) if curriculum else easy_fraction(steps, steps)) * batch_size)
    base = seed * 1_000_003 + 2 * step
    parts = [make_batch(n_easy, seed=base, world=replace(EASY, size=size))] if n_easy else []
    if batch_size - n_easy:
        parts.append(make_batch(batch_size - n_easy, seed=base + 1, task=TASK, size=size))
    return {k: torch.cat([p[k] for p in parts]) for k in ("images", "labels", "masks")}


def cls_attention_on_objects(attn: torch.Tensor, masks: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Fraction of [CLS]->patch attention mass that lands on patches overlapping an object.

    Args:
        attn: (B, h, 1+N, 1+N) one layer's attention, [CLS] first, N = gh*gw.
        masks: (B, H, W) bool object pixels.
        patch_size: P.

    Returns:
        (B,) fraction in [0, 1]; heads averaged, [CLS]->[CLS] excluded and the patch row renormalised.
    """
    B, H, W = masks.shape
    P = patch_size
    on_obj = masks.reshape(B, H // P, P, W // P, P).any(4).any(2).reshape(B, -1)  # (B, N)
    a = attn[:, :, 0, 1:].mean(1)  # (B, N) mean over heads
    a = a / a.sum(-1, keepdim=True)
    return (a * on_obj).sum(-1)


@torch.no_grad()
def evaluate_vit(model: ViT, n: int = 1000, seed: int = 10_000, batch_size: int = 250) -> dict:
    """Held-out accuracy and attention-on-object fraction on freshly generated scenes.

    Args:
        model: a trained ViT with a head over CLASSES (the 9 colours).
        n: number of held-out scenes.
        seed: data seed (use one never seen in training).
        batch_size: evaluation batch size.

    Returns:
        dict(accuracy, attn_on_object (last layer, mean over scenes whose objects cover < 25% of
        the image), attn_on_object_by_layer (the same for every layer), object_patch_share (the
        share of patches overlapping the object in those scenes: what uniform attention would
        score), n_small_objects, n).
    """
    model.eval()
    correct, fracs, shares = 0, [], []
    P = model.cfg.patch_size
    for i in range(0, n, batch_size):
        b = make_batch(min(batch_size, n - i), seed=seed + i, task=TASK, size=model.cfg.image_size)
        x = model.normalize(b["images"])
        tokens, attns = model(x, return_attn=True)
        logits = model.head(tokens[:, 0])
        correct += (logits.argmax(-1) == b["labels"]).sum().item()
        small = b["masks"].float().mean((1, 2)) < 0.25
        fracs.append(torch.stack([cls_attention_on_objects(a, b["masks"], P) for a in attns], 1)[small])  # (b, L)
        uniform = torch.full_like(attns[-1][:, :1], 1.0)  # (B, 1, T, T): every patch weighted alike
        shares.append(cls_attention_on_objects(uniform, b["masks"], P)[small])
    fr = torch.cat(fracs)  # (n_small, L)
    return {"accuracy": correct / n, "attn_on_object": fr[:, -1].mean().item(),
            "attn_on_object_by_layer": [round(v, 4) for v in fr.mean(0).tolist()],
            "object_patch_share": torch.cat(shares).mean().item(), "n_small_objects": len(fr), "n": n}


def _augment(
    images: torch.Tensor, masks: torch.Tensor, gen: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Light augmentation: random flips and 90 degree turns (all shape kinds are invariant) and
    a small brightness jitter. images: (B, 3, S, S) in [0, 1], masks: (B, S, S) -> same shapes."""
    B = images.shape[0]
    flip = torch.rand(B, generator=gen) < 0.5
    images = torch.where(flip[:, None, None, None], images.flip(-1), images)
    masks = torch.where(flip[:, None, None], masks.flip(-1), masks)
    k = int(torch.randint(0, 4, (1,), generator=gen))
    images, masks = torch.rot90(images, k, dims=(-2, -1)), torch.rot90(masks, k, dims=(-2, -1))
    scale = 1 + 0.1 * (torch.rand(B, 1, 1, 1, generator=gen) - 0.5)
    return (images * scale).clamp(0, 1), masks


def train_vit_tiny(
    steps: int = 3000,
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
    """Train the embedded tiny ViT on the shapes world and write weights + card.

    Recipe: AdamW, linear warmup then cosine decay to 0, label smoothing 0.1, fresh scenes
    every step (never repeats), flips/rot90/brightness augmentation, and a curriculum: the
    batches start as large shapes on plain backgrounds and move to the full task (cluttered
    backgrounds, medium shapes) over the first 35% of the steps (10% easy scenes remain).
    The only loss is cross-entropy on the colour: where [CLS] looks is learned, not taught.

    Args:
        steps: optimisation steps.
        batch_size: scenes per step.
        lr: peak learning rate.
        weight_decay: AdamW decay (not applied to norms, biases, cls/pos embeddings).
        warmup: warmup steps.
        seed: torch + data seed.
        out: output folder.
        log_every: print every this many steps.
        eval_n: held-out scenes for the card.
        eval_every: print a quick 250-scene probe every this many steps (0 = never).
        init: continue from these weights (a .safetensors written by this recipe, with its
            card next to it) instead of a fresh init, without the curriculum; the card then
            lists both phases.

    Returns:
        the card dict (also written as JSON).
    """
    cfg = PRESETS[MODEL_NAME]
    init = Path(init) if init is not None else None
    model, previous = new_model(ViT, cfg, seed, init)
    opt = adamw(model, lr, weight_decay)
    gen = torch.Generator().manual_seed(seed)
    t0 = time.time()
    run_loss, run_acc = 0.0, 0.0
    for step in range(steps):
        model.train()
        b = training_batch(batch_size, step, steps, seed, cfg.image_size, curriculum=init is None)
        images, _ = _augment(b["images"], b["masks"], gen)
        tokens, _ = model(model.normalize(images))
        logits = model.head(tokens[:, 0])
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
            print(f"  probe @ {step}:", evaluate_vit(model, n=250, seed=555_555), flush=True)
    wall = time.time() - t0

    metrics = evaluate_vit(model, n=eval_n, seed=987_654)
    print("held-out:", metrics, flush=True)
    phases = []
    if previous is not None:  # a continued run lists the earlier phase(s) first
        phases = previous.get("phases") or [{"steps": previous.get("recipe", {}).get("steps"),
                                             "wall_time_s": previous.get("train_wall_time_s")}]
    phases = phases + [{"steps": steps, "lr": lr, "warmup": warmup, "curriculum": init is None,
                        "init": init.name if init else None, "wall_time_s": round(wall, 1),
                        "heldout_accuracy": round(metrics["accuracy"], 4)}]
    card = {
        "architecture": "mmviz.vit.ViT",
        "classes": list(CLASSES),
        "task": "name the colour of the single shape in a 64x64 shapes-world scene (9 colours)",
        "data": {
            "generator": f"mmviz.data.shapes.make_batch(task={TASK!r})",
            "recipe": "one shape (6 kinds, 9 colours, medium/large, random rotation) on plain, gradient, "
                      "striped, checkered, noise or sample-photo-crop backgrounds (random colours); fresh "
                      "scenes every step",
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
        "heldout": {
            "n": metrics["n"],
            "accuracy": round(metrics["accuracy"], 4),
            "attn_on_object": round(metrics["attn_on_object"], 4),
            "attn_on_object_definition": "last layer [CLS]->patch attention, mean over heads, renormalised over "
                                         "patches; fraction on patches overlapping the object; scenes with object "
                                         "cover < 25%",
            "attn_on_object_by_layer": metrics["attn_on_object_by_layer"],
            "object_patch_share": round(metrics["object_patch_share"], 4),
            "n_small_objects": metrics["n_small_objects"],
        },
    }
    return save_model(model, cfg, card, out, MODEL_NAME)
