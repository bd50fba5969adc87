"""Visual question answering on the shapes world: a task that needs both modalities.

A scene holds two or three shapes of different kinds and different colours, apart from each other
on a plain or gradient background. A question about it can only be answered by binding words to
what is where in the image:

- "what colour is the star ?" -> a colour (find the star, read its colour);
- "what shape is the red one ?" -> a kind (find the red pixels, read their shape);
- "is there a blue circle ?" -> yes / no (half the time the colour is there on another kind);
- "is the star left of the ring ?" (left / right / above / below) -> yes / no;
- "how many shapes are there ?" -> 2 / 3.

Neither the image alone nor the question alone answers it (the answer of a question type is
spread evenly over its classes), so a model has to fuse the two streams.

Shapes: B batch, S image side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mmviz.data.shapes import COLOURS, SHAPE_KINDS, SIZES, _background, shape_mask

__all__ = ["QUESTION_TYPES", "ANSWERS", "QUESTION_WORDS", "VQAScene", "scene", "ask", "sample", "batch",
           "unknown_words"]

QUESTION_TYPES = ("colour", "kind", "exists", "relation", "count")
ANSWERS: tuple[str, ...] = tuple(COLOURS) + SHAPE_KINDS + ("yes", "no", "2", "3")
RELATIONS = ("left of", "right of", "above", "below")
QUESTION_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    "what colour is the shape one there a an how many shapes are ?".split()
    + [w for r in RELATIONS for w in r.split()] + list(COLOURS) + list(SHAPE_KINDS)))
MARGIN = 0.12  # a relation is asked only when the centres differ by this share of the image along its axis


@dataclass(frozen=True)
class VQAScene:
    """An image and its objects: (kind, colour, cx, cy, radius) in pixels, drawing order."""

    image: np.ndarray  # (S, S, 3) uint8
    objects: tuple[tuple[str, str, float, float, float], ...]


def scene(rng: np.random.Generator, size: int = 64, n_objects: tuple[int, int] = (2, 3)) -> VQAScene:
    """Two or three shapes, all kinds and colours different, centres at least 1.6 radii apart."""
    n = int(rng.integers(n_objects[0], n_objects[1] + 1))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    img = _background(("plain", "gradient")[int(rng.integers(2))], rng, yy, xx)
    kinds = rng.permutation(SHAPE_KINDS)[:n]
    names = list(COLOURS)
    objects: list[tuple[str, str, float, float, float]] = []
    for kind in kinds:
        r = rng.uniform(*SIZES["medium"]) * size
        for _ in range(100):
            cx, cy = rng.uniform(r, size - r, size=2)
            if all(math.hypot(cx - o[2], cy - o[3]) > 1.6 * max(r, o[4]) for o in objects):
                break
        m = shape_mask(str(kind), yy, xx, cx, cy, r, rng.uniform(0, 2 * math.pi) if kind != "circle" else 0.0)
        under = img[m] if m.any() else img.reshape(-1, 3)
        free = [c for c in names if c not in {o[1] for o in objects}]
        order = rng.permutation(len(free))[:4]
        colour = max((free[i] for i in order), key=lambda c: np.percentile(np.abs(under - COLOURS[c]).sum(1), 10))
        img[m] = np.array(COLOURS[colour], np.float32) + rng.normal(0, 8, size=3)
        objects.append((str(kind), colour, float(cx), float(cy), float(r)))
    return VQAScene(image=np.clip(img, 0, 255).astype(np.uint8), objects=tuple(objects))


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def ask(s: VQAScene, qtype: str, rng: np.random.Generator) -> tuple[str, str] | None:
    """A question of type ``qtype`` about the scene and its answer, or None when none can be asked."""
    objs = s.objects
    o = objs[int(rng.integers(len(objs)))]
    if qtype == "colour":
        return f"what colour is the {o[0]} ?", o[1]
    if qtype == "kind":
        return f"what shape is the {o[1]} one ?", o[0]
    if qtype == "exists":
        if rng.random() < 0.5:
            return f"is there {_article(o[1])} {o[1]} {o[0]} ?", "yes"
        other = [k for k in SHAPE_KINDS if k != o[0]]
        kind = other[int(rng.integers(len(other)))]  # this colour is in the scene, on another kind
        return f"is there {_article(o[1])} {o[1]} {kind} ?", "no"
    if qtype == "relation":
        size = s.image.shape[0]
        pairs = [(a, b) for a in objs for b in objs if a is not b]
        a, b = pairs[int(rng.integers(len(pairs)))]
        dx, dy = (b[2] - a[2]) / size, (b[3] - a[3]) / size  # a is left of b when dx > 0; above when dy > 0
        facts = {"left of": dx > MARGIN, "right of": dx < -MARGIN, "above": dy > MARGIN, "below": dy < -MARGIN}
        clear = [r for r in RELATIONS if facts[r] or facts[{"left of": "right of", "right of": "left of",
                                                            "above": "below", "below": "above"}[r]]]
        if not clear:
            return None
        rel = clear[int(rng.integers(len(clear)))]
        return f"is the {a[0]} {rel} the {b[0]} ?", "yes" if facts[rel] else "no"
    if qtype == "count":
        return "how many shapes are there ?", str(len(objs))
    raise ValueError(f"unknown question type {qtype!r}; choose from {QUESTION_TYPES}")


def sample(rng: np.random.Generator, size: int = 64) -> tuple[VQAScene, str, str, str]:
    """(scene, question, answer, question type), the types drawn evenly."""
    s = scene(rng, size)
    while True:
        qtype = QUESTION_TYPES[int(rng.integers(len(QUESTION_TYPES)))]
        qa = ask(s, qtype, rng)
        if qa is not None:
            return s, qa[0], qa[1], qtype


def batch(n: int, seed: int, size: int = 64) -> dict:
    """n fresh (image, question, answer) triples.

    Returns:
        dict(images (n, S, S, 3) uint8, questions list[str], answers (n,) int64 index in ANSWERS,
        types list[str], scenes list[VQAScene]).
    """
    rng = np.random.default_rng(seed)
    rows = [sample(rng, size) for _ in range(n)]
    return {"images": np.stack([r[0].image for r in rows]), "questions": [r[1] for r in rows],
            "answers": np.array([ANSWERS.index(r[2]) for r in rows], dtype=np.int64),
            "types": [r[3] for r in rows], "scenes": [r[0] for r in rows]}


def unknown_words(question: str) -> list[str]:
    """Words of a question the tiny models have no token for (the question is lower-cased first)."""
    words = question.lower().replace("?", " ? ").split()
    return [w for w in dict.fromkeys(words) if w not in QUESTION_WORDS]
