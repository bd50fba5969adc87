"""Recipe for the embedded tiny CLIP (CPU-friendly, scenes and captions generated on the fly).

    python -m mmviz.train clip-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/clip-tiny-shapes.safetensors (fp16) and clip-tiny-shapes.json (the card).
Data: one shape per 64x64 shapes-world scene (mmviz.data.shapes.TASKS["caption"]) with its
caption, sometimes shortened ("a red circle", "a large star on a striped background") so short
prompts work too. Loss: symmetric InfoNCE (mmviz.clip.clip_loss) where a caption that also fits
another image of the batch counts as a match for it.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import torch

from mmviz.clip.model import CLIP, PRESETS, clip_loss
from mmviz.data.shapes import _BG_WORDS, COLOURS, SHAPE_KINDS, TASKS, Scene
from mmviz.train.common import ASSETS, adamw, cosine_lr, new_model, optimizer_step, save_model

__all__ = ["MODEL_NAME", "caption_for", "matches", "clip_batch", "train_step", "evaluate_clip", "train_clip_tiny"]

MODEL_NAME = "clip-tiny-shapes"
WORLD = TASKS["caption"]
ATTRS = ("size", "colour", "kind", "background")
MAX_LOGIT_SCALE = math.log(100.0)  # CLIP clamps the temperature at 1/100


def caption_for(scene: Scene, keep: dict[str, bool] | None = None) -> tuple[str, dict]:
    """A caption of a one-object scene, with some attributes left out.

    Args:
        scene: a Scene with one object.
        keep: which of size / colour / kind / background to mention (default: all, which gives the
            scene's own caption).

    Returns:
        (caption, attrs): attrs maps each mentioned attribute to its value (None when left out).
    """
    o = scene.objects[0]
    keep = keep or dict.fromkeys(ATTRS, True)
    attrs = {"size": o["size"], "colour": o["colour"], "kind": o["kind"], "background": scene.background}
    attrs = {k: (v if keep[k] else None) for k, v in attrs.items()}
    words = [attrs["size"], attrs["colour"], attrs["kind"] or "shape"]
    text = "a " + " ".join(w for w in words if w)
    if attrs["background"]:
        text += f" on {_BG_WORDS[attrs['background']]} background"
    return text, attrs


def _random_keep(rng: np.random.Generator, p_full: float) -> dict[str, bool]:
    """Full caption with probability p_full, else drop size/background (p 0.5) and kind or colour (p 0.3)."""
    if rng.random() < p_full:
        return dict.fromkeys(ATTRS, True)
    keep = {"size": rng.random() < 0.5, "background": rng.random() < 0.5, "colour": True, "kind": True}
    if rng.random() < 0.3:
        keep["kind" if rng.random() < 0.5 else "colour"] = False
    return keep


def matches(caption_attrs: list[dict], scenes: list[Scene]) -> torch.Tensor:
    """(B, B) bool: True where caption j's mentioned attributes all hold for scene i."""
    facts = [{"size": s.objects[0]["size"], "colour": s.objects[0]["colour"], "kind": s.objects[0]["kind"],
              "background": s.background} for s in scenes]
    return torch.tensor([[all(v is None or f[k] == v for k, v in a.items()) for a in caption_attrs]
                         for f in facts])


def _partner(world, rng: np.random.Generator, scene: Scene, tries: int = 200) -> Scene:
    """A fresh scene whose shape has the same colour as ``scene``'s but another kind (rejection sampling)."""
    o = scene.objects[0]
    for _ in range(tries):
        s = world.scene(rng)
        if s.objects[0]["colour"] == o["colour"] and s.objects[0]["kind"] != o["kind"]:
            return s
    return s


def clip_batch(batch_size: int, seed: int, p_full: float = 0.5, size: int = 64, hard: float = 0.0) -> dict:
    """Fresh scenes with (sometimes shortened) captions.

    Args:
        batch_size: B.
        seed: numpy seed (same seed -> same batch).
        p_full: share of full captions; the rest leave out some attributes.
        size: image side S.
        hard: share of the batch drawn as hard-negative pairs: two scenes whose shapes share the
            colour but not the kind, captioned "a {colour} {kind}", so only the shape tells the
            two captions apart.

    Returns:
        dict(images (B, 3, S, S) in [0, 1], captions list[str], matches (B, B) bool, scenes).
    """
    rng = np.random.default_rng(seed)
    world = WORLD if size == WORLD.size else type(WORLD)(**{**WORLD.__dict__, "size": size})
    n_pairs = int(round(hard * batch_size)) // 2
    scenes, caps = [], []
    for _ in range(n_pairs):
        a = world.scene(rng)
        for s in (a, _partner(world, rng, a)):
            scenes.append(s)
            caps.append(caption_for(s, {"size": False, "colour": True, "kind": True, "background": False}))
    rest = [world.scene(rng) for _ in range(batch_size - 2 * n_pairs)]
    scenes += rest
    caps += [caption_for(s, _random_keep(rng, p_full)) for s in rest]
    images = torch.from_numpy(np.stack([s.image for s in scenes])).permute(0, 3, 1, 2).float() / 255.0
    return {"images": images, "captions": [c for c, _ in caps], "matches": matches([a for _, a in caps], scenes),
            "scenes": scenes}


def train_step(model: CLIP, opt: torch.optim.Optimizer, batch: dict, lr: float) -> tuple[float, torch.Tensor]:
    """One InfoNCE update on a batch from clip_batch (also used by the page's live training).

    Returns:
        (loss, logits_per_image (B, B) detached, before the update).
    """
    model.train()
    ids = model.tokenizer.encode(batch["captions"])["input_ids"]  # (B, L)
    flip = torch.rand(len(ids)) < 0.5  # every caption of a one-object scene survives a mirror
    images = torch.where(flip[:, None, None, None], batch["images"].flip(-1), batch["images"])
    out = model(model.normalize(images), ids)
    loss = clip_loss(out.logits_per_image, batch.get("matches"))
    optimizer_step(model, opt, loss, lr)
    with torch.no_grad():
        model.logit_scale.clamp_(0, MAX_LOGIT_SCALE)
    return loss.item(), out.logits_per_image.detach()


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
    return {"caption_top1": hits / n, "kind_top1": float(kind_top1), "colour_top1": float(colour_top1),
            "n": n, "candidates": candidates}


def train_clip_tiny(
    steps: int = 4000,
    batch_size: int = 64,
    lr: float = 1e-3,
    weight_decay: float = 0.05,
    warmup: int = 200,
    seed: int = 0,
    out: Path = ASSETS,
    log_every: int = 50,
    eval_n: int = 2000,
    eval_every: int = 500,
    init: Path | None = None,
    hard: float = 0.0,
) -> dict:
    """Train the embedded tiny CLIP on shapes-world scenes and captions (from scratch, or continued).

    Recipe: AdamW (no decay on norms, biases, positions, logit scale), linear warmup then cosine
    to 0, gradient clipping at 1, fresh scenes every step, random horizontal flips, logit scale
    learned from ln(1/0.07) and clamped at ln(100).

    Args:
        steps, batch_size, lr, weight_decay, warmup, seed: as usual (the data of step k is drawn
            with numpy seed seed*1_000_003 + k, so a continued phase needs another seed).
        out: output folder.
        log_every, eval_every: print the running loss / a 250-scene probe every so many steps.
        eval_n: held-out scenes for the card.
        init: continue from these weights (a .safetensors written by this recipe); the card then
            lists both phases.
        hard: share of each batch in hard-negative pairs (see clip_batch): same colour, another
            kind, so the only way to tell the captions apart is the shape.

    Returns:
        the card dict (also written as JSON next to the weights).
    """
    cfg = PRESETS[MODEL_NAME]
    init = Path(init) if init is not None else None
    model, previous = new_model(CLIP, cfg, seed, init)
    opt = adamw(model, lr, weight_decay)
    t0 = time.time()
    run_loss = 0.0
    for step in range(steps):
        b = clip_batch(batch_size, seed * 1_000_003 + step, size=cfg.vision.image_size, hard=hard)
        loss, _ = train_step(model, opt, b, cosine_lr(step, steps, lr, warmup))
        run_loss = 0.98 * run_loss + 0.02 * loss if step else loss
        if step % log_every == 0 or step == steps - 1:
            el = time.time() - t0
            print(f"step {step:5d}/{steps} loss {run_loss:.3f} scale {model.logit_scale.exp().item():6.2f} "
                  f"lr {cosine_lr(step, steps, lr, warmup):.2e} {el:6.0f}s ({el / (step + 1):.3f}s/step)", flush=True)
        if eval_every and step and step % eval_every == 0:
            print(f"  probe @ {step}:", evaluate_clip(model, n=250, seed=555_555), flush=True)
    wall = time.time() - t0
    metrics = evaluate_clip(model, n=eval_n, seed=987_654)
    print("held-out:", metrics, flush=True)
    phases = (previous or {}).get("phases", []) if previous is not None else []
    phases = phases + [{"steps": steps, "lr": lr, "warmup": warmup, "seed": seed, "hard_pairs": hard,
                        "init": init.name if init else None, "wall_time_s": round(wall, 1),
                        "heldout": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()}}]
    card = {
        "family": "clip",
        "architecture": "mmviz.clip.CLIP",
        "task": "match 64x64 shapes-world scenes (one shape) with their captions",
        "tokenizer": "mmviz.clip.tokenizer.shapes_tokenizer (word level, shapes-world words)",
        "data": {
            "generator": "mmviz.train.clip.clip_batch over mmviz.data.shapes.TASKS['caption']",
            "captions": "50% full captions, 50% shortened (size / background dropped with p 0.5, kind or "
                        "colour with p 0.3); a caption matching several images is a positive for each; "
                        "phases with hard_pairs > 0 put that share of each batch in same-colour, "
                        "other-kind pairs captioned 'a {colour} {kind}'",
            "train_seeds": f"seed*1_000_003 + step, seed={seed}",
            "heldout_seed": 987_654,
        },
        "recipe": {"optimizer": "AdamW", "lr": lr, "betas": [0.9, 0.99], "weight_decay": weight_decay,
                   "schedule": f"linear warmup {warmup} steps, cosine to 0", "steps": steps,
                   "batch_size": batch_size, "loss": "symmetric InfoNCE (mmviz.clip.clip_loss) with matches",
                   "grad_clip": 1.0, "augment": "hflip", "seed": seed,
                   "threads": torch.get_num_threads(), "device": "cpu",
                   "init": init.name if init else None},
        "train_wall_time_s": round(wall + (previous or {}).get("train_wall_time_s", 0.0), 1),
        "phases": phases,
        "logit_scale": round(model.logit_scale.exp().item(), 3),
        "heldout": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()},
    }
    return save_model(model, cfg, card, out, MODEL_NAME)
