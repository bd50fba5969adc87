"""Train a tiny CLIP live on the page: a generator of steps the page iterates (progress, stop).

`live_training` trains the embedded CLIP's architecture from random weights with the recipe's
own update (`mmviz.models.clip.contrastive_loss` + `mmviz.optim.optimizer_step`) and evaluates a
fixed held-out batch (`heldout_batch`) every few steps; `easy_batch` is calmer data that shows the
diagonal appear within a few hundred steps; `history` keeps what the page draws of a run (curves,
the last held-out matrix, one status sentence). The page limits the runs and their threads
(`mmviz.ui.live_run`).

Shapes: B pairs per batch, S image side, E joint embedding width.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import numpy as np
import torch

from mmviz import i18n
from mmviz.data.captions import clip_batch, matches
from mmviz.data.shapes import COLOURS, SHAPE_KINDS
from mmviz.lessons.clip_similarity import compose_scene, scene_prompt
from mmviz.models.clip import CLIP, PRESETS, clip_loss, contrastive_loss
from mmviz.optim import adamw, cosine_lr, optimizer_step

__all__ = ["MAX_STEPS", "MAX_SECONDS", "MAX_RUNS", "heldout_batch", "live_training", "easy_batch", "history",
           "stop_sentence", "card_summary",
           # the update the page shows
           "contrastive_loss", "optimizer_step"]

#: the bounds of a run on the page: steps, wall time (s) on one CPU thread, runs at once on the server
MAX_STEPS, MAX_SECONDS, MAX_RUNS = 300, 180.0, 2


def heldout_batch(n: int = 8, seed: int = 4242, image_size: int = 64) -> dict:
    """A fixed batch of composed scenes with short captions ("a red circle"), all different.

    Colours are all different (n <= 8; orange is left out so that every caption reads "a ..."), kinds
    cycle; sizes and backgrounds alternate large/medium and plain/gradient/stripes.

    Returns:
        dict(images (n, 3, S, S) in [0, 1], captions list[str], rgb (n, S, S, 3) uint8).
    """
    rng = np.random.default_rng(seed)
    colours = list(rng.permutation([c for c in COLOURS if c != "orange"]))[:n]
    kinds = [SHAPE_KINDS[i % len(SHAPE_KINDS)] for i in rng.permutation(n)]
    scenes = [compose_scene(k, c, ("large", "medium")[i % 2], ("plain", "gradient", "stripes")[i % 3],
                            seed=seed + i, image_size=image_size)
              for i, (k, c) in enumerate(zip(kinds, colours))]
    rgb = np.stack([s.image for s in scenes])
    return dict(images=torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 255.0,
                captions=[scene_prompt(c, k) for k, c in zip(kinds, colours)], rgb=rgb)


def live_training(steps: int, *, batch_size: int = 32, lr: float = 1e-3, warmup: int = 20, seed: int = 0,
                  eval_every: int = 10, heldout: dict | None = None, max_seconds: float = 180.0,
                  data: str = "easy") -> Iterator[dict]:
    """Train the tiny CLIP from random weights, one step per ``next()``.

    Model ``CLIP(PRESETS["clip-tiny-shapes"])`` initialised with ``torch.manual_seed(seed)``; AdamW,
    linear warmup then cosine to 0; every step a fresh batch (``easy_batch`` or ``clip_batch``) through
    ``contrastive_loss`` and one ``optimizer_step``, the update the embedded model's recipe uses.

    Args:
        steps: number of updates (the page bounds it).
        batch_size: scenes per step.
        lr: peak learning rate.
        warmup: warmup steps.
        seed: model seed; batches use seeds 7_000_000 + step (never the recipe's).
        eval_every: evaluate the held-out batch every this many steps (and at the first and last).
        heldout: a ``heldout_batch()`` (default one is made).
        max_seconds: stop early after this much wall time.
        data: "easy" (``easy_batch``: calm backgrounds, "a red circle" captions) or "full"
            (``mmviz.data.captions.clip_batch``: the embedded model's data, much slower to learn).

    Yields:
        after every step a dict(step (1-based), steps, loss, lr, seconds, scale = exp(logit_scale)),
        plus, on evaluation steps, ``cos`` (n, n) held-out cosine matrix, ``heldout_loss``
        (clip_loss of the held-out logits) and ``heldout_acc`` (share of images whose best caption
        is their own). Before the first step it yields step 0 with the random model's evaluation.
    """
    cfg = PRESETS["clip-tiny-shapes"]
    heldout = heldout or heldout_batch(image_size=cfg.vision.image_size)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = CLIP(cfg)
        opt = adamw(model, lr)

        @torch.no_grad()
        def evaluate() -> dict:
            model.eval()
            img = model.encode_image(model.normalize(heldout["images"]))  # (n, E)
            txt = model.encode_prompts(heldout["captions"])  # (n, E)
            cos = img @ txt.t()  # (n, n)
            logits = model.logit_scale.exp() * cos
            return dict(cos=cos.numpy(), heldout_loss=float(clip_loss(logits)),
                        heldout_acc=float((cos.argmax(1) == torch.arange(len(cos))).float().mean()))

        t0 = time.perf_counter()
        yield dict(step=0, steps=steps, loss=float("nan"), lr=0.0, seconds=0.0,
                   scale=model.logit_scale.exp().item(), **evaluate())
        make = easy_batch if data == "easy" else (lambda b, s, image_size: clip_batch(b, s, size=image_size))
        for step in range(steps):
            batch = make(batch_size, 7_000_000 + step, image_size=cfg.vision.image_size)
            rate = cosine_lr(step, steps, lr, warmup)
            model.train()
            loss, _ = contrastive_loss(model, batch)
            optimizer_step(model, opt, loss, rate)
            model.clamp_logit_scale()
            loss = loss.item()
            seconds = time.perf_counter() - t0
            last = step == steps - 1 or seconds > max_seconds
            info = dict(step=step + 1, steps=steps, loss=loss, lr=rate, seconds=seconds,
                        scale=model.logit_scale.exp().item())
            if last or (step + 1) % eval_every == 0:
                info.update(evaluate())
            yield info
            if last:
                return


def easy_batch(batch_size: int, seed: int, image_size: int = 64,
               backgrounds: tuple[str, ...] = ("plain", "gradient", "stripes"),
               sizes: tuple[str, ...] = ("medium", "large")) -> dict:
    """An easier world for training live: one medium/large shape on a calm background, captioned
    only by colour and kind ("a red circle").

    Args:
        batch_size: B.
        seed: numpy seed (same seed -> same batch).
        image_size: S.
        backgrounds, sizes: what the scenes may use.

    Returns:
        dict(images (B, 3, S, S) in [0, 1], captions list[str], matches (B, B) bool: caption j fits
        image i (same colour and kind), scenes) -- what ``mmviz.models.clip.contrastive_loss`` takes.
    """
    rng = np.random.default_rng(seed)
    colours = [c for c in COLOURS if c != "orange"]
    scenes, attrs = [], []
    for _ in range(batch_size):
        kind, colour = SHAPE_KINDS[rng.integers(len(SHAPE_KINDS))], colours[rng.integers(len(colours))]
        scenes.append(compose_scene(kind, colour, sizes[rng.integers(len(sizes))],
                                    backgrounds[rng.integers(len(backgrounds))], seed=int(rng.integers(2**31)),
                                    image_size=image_size))
        attrs.append({"size": None, "colour": colour, "kind": kind, "background": None})
    images = torch.from_numpy(np.stack([s.image for s in scenes])).permute(0, 3, 1, 2).float() / 255.0
    return dict(images=images, captions=[scene_prompt(a["colour"], a["kind"]) for a in attrs],
                matches=matches(attrs, scenes), scenes=scenes)


def history(steps: int, *, batch_size: int, data: str, heldout: dict, max_seconds: float,
            lang: str = i18n.DEFAULT) -> Iterator[dict]:
    """Run :func:`live_training` and keep what the page draws of it; its sentences are in ``lang`` ("en", "ko").

    Yields:
        after every step the run so far, one dict updated in place: ``step`` / ``seconds`` the last step and
        its time, ``fresh`` True when that step evaluated the held-out batch; ``steps`` / ``loss`` the batch
        losses, ``eval_steps`` / ``heldout_loss`` / ``heldout_acc`` the evaluations, ``cos`` the last held-out
        matrix (n, n); ``total`` steps planned, ``batch`` B, ``chance`` log B (the loss of a model that tells
        nothing apart), ``message`` one sentence on the last evaluation, ``done`` True once the run ended by
        itself, and then ``limited`` (True when the time limit stopped it before its steps) and ``summary``: how far
        it got and why it stopped there (:func:`stop_sentence`), then the last evaluation.
    """
    hist = dict(steps=[], loss=[], eval_steps=[], heldout_loss=[], heldout_acc=[], cos=None, total=steps,
                batch=batch_size, chance=math.log(batch_size), message="", done=False)
    for info in live_training(steps, batch_size=batch_size, data=data, heldout=heldout, max_seconds=max_seconds):
        hist.update(step=info["step"], seconds=info["seconds"], fresh="cos" in info)
        if info["step"]:
            hist["steps"].append(info["step"])
            hist["loss"].append(info["loss"])
        if "cos" in info:
            hist["eval_steps"].append(info["step"])
            hist["heldout_loss"].append(info["heldout_loss"])
            hist["heldout_acc"].append(info["heldout_acc"])
            hist["cos"] = info["cos"]
            hist["message"] = i18n.text("clip_similarity.live_message", lang, step=info["step"], steps=steps,
                                        loss=info["loss"], heldout_loss=info["heldout_loss"],
                                        acc=info["heldout_acc"], scale=info["scale"], seconds=info["seconds"])
        yield hist
    hist["done"] = True
    hist["limited"] = hist["step"] < steps
    hist["summary"] = i18n.text("clip_similarity.live_summary", lang,
                                stop=stop_sentence(hist["step"], steps, hist["seconds"], max_seconds, lang),
                                message=hist["message"])


def stop_sentence(reached: int, steps: int, seconds: float, max_seconds: float, lang: str = i18n.DEFAULT) -> str:
    """How far a run got and why it stopped there, in ``lang``: "Done: all 300 steps in 84 s." or "Stopped after 245
    of 300 steps: a run may take 180 s, and at 1.4 steps per second (the CPU is shared with the other students) the
    300 steps would have needed 220 s." """
    if reached >= steps:
        return i18n.text("clip_similarity.stop_done", lang, steps=steps, seconds=seconds)
    rate = reached / max(seconds, 1e-9)
    if rate > 0:
        return i18n.text("clip_similarity.stop_limited", lang, reached=reached, steps=steps, max_seconds=max_seconds,
                         rate=rate, need=steps / rate)
    return i18n.text("clip_similarity.stop_no_step", lang, reached=reached, steps=steps, max_seconds=max_seconds,
                     rate=rate)


def card_summary(card: dict, lang: str = i18n.DEFAULT) -> str:
    """How long the embedded CLIP trained, from its card, in ``lang``: "4000 steps of 64 pairs in 57 min"."""
    phases = card.get("phases", [])
    if not phases:
        return i18n.text("clip_similarity.card_unknown", lang)
    return i18n.text("clip_similarity.card_summary", lang, steps=sum(p["steps"] for p in phases),
                     batch=card["recipe"]["batch_size"], minutes=sum(p["wall_time_s"] for p in phases) / 60)
