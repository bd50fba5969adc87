"""Captions for shapes-world scenes, and batches of (image, caption) pairs for contrastive training.

``caption_for`` writes a (possibly shortened) caption of a one-object scene; ``matches`` says which
captions of a batch fit which images (a short caption can fit several); ``clip_batch`` draws a
fresh batch, optionally with hard-negative pairs (same colour, other kind). Used by the CLIP
recipe (mmviz.train.clip) and by live training on the CLIP page.

Shapes: B pairs, S image side.
"""

from __future__ import annotations

import numpy as np
import torch

from mmviz.data.shapes import _BG_WORDS, TASKS, Scene

__all__ = ["WORLD", "ATTRS", "caption_for", "matches", "clip_batch"]

WORLD = TASKS["caption"]
ATTRS = ("size", "colour", "kind", "background")


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
