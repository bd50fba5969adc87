"""A procedural "shapes world": coloured shapes on plain, textured or photo backgrounds.

Every scene comes with its class label, one visible mask per object (after occlusion) and a
caption ("a small red circle above a large blue square on a striped background"). The
embedded tiny ViT is trained on it (mmviz.train) and the CLIP lesson reuses the captions.

Shapes are drawn analytically in polar coordinates around each object's centre, so one
scene is a handful of numpy ops on (H, W) arrays (thousands of 64 px scenes per second).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = [
    "SHAPE_KINDS",
    "COLOURS",
    "SIZES",
    "BACKGROUNDS",
    "Scene",
    "ShapesWorld",
    "shape_mask",
    "generate_scene",
    "compose_scene",
    "make_batch",
]

SHAPE_KINDS: tuple[str, ...] = ("circle", "square", "triangle", "star", "ring", "cross")

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 30),
    "green": (30, 180, 50),
    "blue": (30, 70, 230),
    "yellow": (240, 220, 30),
    "orange": (250, 140, 20),
    "purple": (150, 40, 200),
    "cyan": (30, 210, 220),
    "white": (245, 245, 245),
    "black": (15, 15, 15),
}

# radius as a fraction of the image side
SIZES: dict[str, tuple[float, float]] = {"small": (0.10, 0.14), "medium": (0.14, 0.19), "large": (0.19, 0.25)}

BACKGROUNDS: tuple[str, ...] = ("plain", "gradient", "stripes", "checker", "noise", "photo")
_BG_WORDS = {
    "plain": "a plain", "gradient": "a gradient", "stripes": "a striped",
    "checker": "a checkered", "noise": "a noisy", "photo": "a photo",
}

PHOTO_DIR = Path(__file__).resolve().parents[2] / "assets" / "samples" / "images"


@dataclass
class Scene:
    """One generated image and its annotations.

    Attributes:
        image: (H, W, 3) uint8.
        label: class index of the main object's kind in SHAPE_KINDS (target "kind") or of its
            colour in COLOURS (target "colour").
        masks: (K, H, W) bool, visible pixels of each of the K objects (occlusion applied).
        caption: one English sentence describing the scene.
        objects: K dicts (kind, colour, size, cx, cy, radius, angle), drawing order.
        background: background kind (one of BACKGROUNDS).
    """

    image: np.ndarray
    label: int
    masks: np.ndarray
    caption: str
    objects: list[dict] = field(default_factory=list)
    background: str = "plain"


def shape_mask(kind: str, yy: np.ndarray, xx: np.ndarray, cx: float, cy: float, r: float, angle: float) -> np.ndarray:
    """Boolean mask of one shape.

    Args:
        kind: one of SHAPE_KINDS.
        yy, xx: (H, W) pixel-centre coordinates.
        cx, cy: centre in pixels.
        r: outer radius in pixels.
        angle: rotation in radians.

    Returns:
        (H, W) bool.
    """
    dx, dy = (xx - cx) / r, (yy - cy) / r
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * dx + s * dy, -s * dx + c * dy  # rotated, unit-radius coordinates
    rho, phi = np.hypot(u, v), np.arctan2(v, u)
    if kind == "circle":
        return rho <= 1.0
    if kind == "ring":
        return (rho <= 1.0) & (rho >= 0.55)
    if kind in ("square", "triangle"):  # regular polygon inscribed in the unit circle
        n = 4 if kind == "square" else 3
        sector = 2 * math.pi / n
        a = np.mod(phi, sector) - sector / 2
        return rho * np.cos(a) <= math.cos(math.pi / n)
    if kind == "star":  # 5 tips at radius 1, inner corners at 0.45
        sector, ri = 2 * math.pi / 5, 0.45
        a = np.mod(phi, sector)
        a = np.minimum(a, sector - a)  # fold onto [0, pi/5]
        p1 = np.array([1.0, 0.0])
        p2 = ri * np.array([math.cos(sector / 2), math.sin(sector / 2)])
        nrm = np.array([p2[1] - p1[1], p1[0] - p2[0]])  # normal of the tip->corner edge
        d = nrm @ p1
        return rho * (nrm[0] * np.cos(a) + nrm[1] * np.sin(a)) <= d
    if kind == "cross":
        au, av = np.abs(u), np.abs(v)
        return ((au <= 0.3) & (av <= 0.95)) | ((av <= 0.3) & (au <= 0.95))
    raise ValueError(f"unknown shape kind {kind!r}; choose from {SHAPE_KINDS}")


@lru_cache(maxsize=1)
def _photos() -> tuple[np.ndarray, ...]:
    """Sample photos as (h, w, 3) uint8, shrunk so that crops are quick; () if none found."""
    if not PHOTO_DIR.is_dir():
        return ()
    from PIL import Image

    out = []
    for p in sorted(PHOTO_DIR.iterdir()):
        if p.suffix.lower() not in (".png", ".jpg", ".jpeg", ".webp"):
            continue
        try:
            im = Image.open(p).convert("RGB")
        except Exception:  # noqa: BLE001 - a broken sample just isn't used
            continue
        im.thumbnail((256, 256))
        out.append(np.asarray(im))
    return tuple(out)


def _random_colour(rng: np.random.Generator) -> np.ndarray:
    return rng.integers(0, 256, size=3).astype(np.float32)


def _background(kind: str, rng: np.random.Generator, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """(H, W, 3) float32 background in [0, 255]."""
    H, W = yy.shape
    c1, c2 = _random_colour(rng), _random_colour(rng)
    if kind == "plain":
        return np.broadcast_to(c1, (H, W, 3)).copy()
    if kind == "gradient":
        a = rng.uniform(0, 2 * math.pi)
        t = (math.cos(a) * xx + math.sin(a) * yy) / max(H, W)
        t = (t - t.min()) / max(t.max() - t.min(), 1e-6)
        return c1 + t[..., None] * (c2 - c1)
    if kind == "stripes":
        a, period = rng.uniform(0, math.pi), rng.uniform(4, 12)
        t = (math.cos(a) * xx + math.sin(a) * yy) / period
        return np.where((np.floor(t) % 2 == 0)[..., None], c1, c2)
    if kind == "checker":
        cell = rng.integers(4, 11)
        t = (xx // cell + yy // cell) % 2 == 0
        return np.where(t[..., None], c1, c2)
    if kind == "noise":  # blobs (coarse noise, bilinear upsampled) + fine grain
        g = rng.integers(3, 9)
        coarse = rng.uniform(0, 1, size=(g + 1, g + 1, 3)).astype(np.float32)
        fy, fx = yy / (H - 1) * g, xx / (W - 1) * g
        y0, x0 = np.minimum(fy.astype(int), g - 1), np.minimum(fx.astype(int), g - 1)
        ty, tx = (fy - y0)[..., None], (fx - x0)[..., None]
        top = coarse[y0, x0] * (1 - tx) + coarse[y0, x0 + 1] * tx
        bot = coarse[y0 + 1, x0] * (1 - tx) + coarse[y0 + 1, x0 + 1] * tx
        t = top * (1 - ty) + bot * ty
        return 255 * t + rng.normal(0, 12, size=(H, W, 3))
    if kind == "photo":
        photos = _photos()
        if not photos:
            return _background("noise", rng, yy, xx)
        ph = photos[rng.integers(len(photos))]
        side = int(rng.integers(min(H, 48), min(ph.shape[:2]) + 1))
        y, x = rng.integers(0, ph.shape[0] - side + 1), rng.integers(0, ph.shape[1] - side + 1)
        iy = y + (np.arange(H) * side // H)
        ix = x + (np.arange(W) * side // W)
        return ph[iy[:, None], ix[None, :]].astype(np.float32)  # nearest-neighbour resize
    raise ValueError(f"unknown background {kind!r}; choose from {BACKGROUNDS}")


def _relation(a: dict, b: dict) -> str:
    dx, dy = b["cx"] - a["cx"], b["cy"] - a["cy"]
    if abs(dy) >= abs(dx):
        return "above" if dy > 0 else "below"
    return "to the left of" if dx > 0 else "to the right of"


def _phrase(o: dict) -> str:
    return f"a {o['size']} {o['colour']} {o['kind']}"


def generate_scene(
    rng: np.random.Generator,
    size: int = 64,
    *,
    n_objects: int | tuple[int, int] = 1,
    kinds: tuple[str, ...] = SHAPE_KINDS,
    backgrounds: tuple[str, ...] = BACKGROUNDS,
    sizes: tuple[str, ...] = ("small", "medium", "large"),
    label_rule: str = "first",
    target: str = "kind",
) -> Scene:
    """Draw one random scene.

    Args:
        rng: numpy Generator (the only source of randomness).
        size: image side S in pixels.
        n_objects: number of objects, or an inclusive (min, max) range. Later objects are
            drawn on top (occlusion).
        kinds: shape kinds to sample from.
        backgrounds: background kinds to sample from ("photo" falls back to "noise" when
            assets/samples/images has no photos).
        sizes: size words to sample from (see SIZES).
        target: what the label names: "kind" (index in SHAPE_KINDS) or "colour" (index in COLOURS).
        label_rule: "first" (label = kind of the first object) or "largest" (kind of the
            object with the most visible pixels).

    Returns:
        Scene with image (S, S, 3) uint8 and masks (K, S, S) bool.
    """
    if isinstance(n_objects, tuple):
        n_objects = int(rng.integers(n_objects[0], n_objects[1] + 1))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    bg_kind = backgrounds[rng.integers(len(backgrounds))]
    img = _background(bg_kind, rng, yy, xx)
    objects, masks = [], []
    names = list(COLOURS)
    for _ in range(n_objects):
        size_word = sizes[rng.integers(len(sizes))]
        r = rng.uniform(*SIZES[size_word]) * size
        cx, cy = rng.uniform(r, size - r, size=2)  # fully inside the frame
        kind = kinds[rng.integers(len(kinds))]
        angle = rng.uniform(0, 2 * math.pi) if kind != "circle" else 0.0
        m = shape_mask(kind, yy, xx, cx, cy, r, angle)
        # of 4 random colours, pick the one that stands out best from what lies under the shape:
        # largest 10th-percentile L1 distance to those pixels (so a white square never sits on
        # the white cells of a black-and-white checker)
        under = img[m] if m.any() else img.reshape(-1, 3)  # (k, 3)
        order = rng.permutation(len(names))
        best = max(order[:4], key=lambda i: np.percentile(np.abs(under - COLOURS[names[i]]).sum(1), 10))
        colour = names[best]
        rgb = np.array(COLOURS[colour], np.float32) + rng.normal(0, 8, size=3)
        img[m] = rgb
        for prev in masks:
            prev &= ~m  # occlusion: earlier objects lose what the new one covers
        masks.append(m)
        objects.append(dict(kind=kind, colour=colour, size=size_word, cx=float(cx), cy=float(cy),
                            radius=float(r), angle=float(angle)))
    masks_arr = np.stack(masks) if masks else np.zeros((0, size, size), bool)
    if label_rule == "largest" and objects:
        main = int(masks_arr.reshape(len(objects), -1).sum(1).argmax())
    else:
        main = 0
    if target not in ("kind", "colour"):
        raise ValueError(f"unknown target {target!r}; choose 'kind' or 'colour'")
    classes = SHAPE_KINDS if target == "kind" else tuple(COLOURS)
    label = classes.index(objects[main][target]) if objects else -1
    if len(objects) >= 2:
        a, b = objects[main], objects[1 - main if main <= 1 else 0]
        subject = f"{_phrase(a)} {_relation(a, b)} {_phrase(b)}"
    elif objects:
        subject = _phrase(objects[0])
    else:
        subject = "nothing"
    caption = f"{subject} on {_BG_WORDS[bg_kind]} background"
    image = np.clip(img, 0, 255).astype(np.uint8)
    return Scene(image=image, label=label, masks=masks_arr, caption=caption, objects=objects,
                 background=bg_kind)


def compose_scene(kind: str, colour: str, size: str = "large", background: str = "plain", *, seed: int = 0,
                  image_size: int = 64, min_contrast: float = 150.0) -> Scene:
    """One shapes-world scene with the chosen attributes, drawn as mmviz.data.shapes draws them.

    The shape's position, rotation, exact radius and the background's colours come from ``seed``;
    up to 16 draws are tried so that the chosen colour stands out from the background under the
    shape (10th-percentile L1 distance >= ``min_contrast``, as the generator's own colour rule).

    Args:
        kind: one of SHAPE_KINDS.
        colour: one of COLOURS.
        size: "small", "medium" or "large" (radius range, see SIZES).
        background: one of BACKGROUNDS.
        seed: numpy seed.
        image_size: S.
        min_contrast: wanted distance between the colour and the pixels under the shape.

    Returns:
        Scene with image (S, S, 3) uint8, masks (1, S, S), the full caption and one object.
    """
    for name, value, allowed in (("kind", kind, SHAPE_KINDS), ("colour", colour, tuple(COLOURS)),
                                 ("size", size, tuple(SIZES)), ("background", background, BACKGROUNDS)):
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}; choose from {allowed}")
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:image_size, 0:image_size].astype(np.float32) + 0.5
    rgb = np.array(COLOURS[colour], np.float32)
    best = None
    for _ in range(16):
        bg = _background(background, rng, yy, xx)  # (S, S, 3) float
        r = rng.uniform(*SIZES[size]) * image_size
        cx, cy = rng.uniform(r, image_size - r, size=2)
        angle = rng.uniform(0, 2 * math.pi) if kind != "circle" else 0.0
        m = shape_mask(kind, yy, xx, cx, cy, r, angle)
        contrast = float(np.percentile(np.abs(bg[m] - rgb).sum(1), 10)) if m.any() else 0.0
        if best is None or contrast > best[0]:
            best = (contrast, bg, m, dict(kind=kind, colour=colour, size=size, cx=float(cx), cy=float(cy),
                                          radius=float(r), angle=float(angle)))
        if contrast >= min_contrast:
            break
    _, img, m, obj = best
    img = img.copy()
    img[m] = rgb + rng.normal(0, 8, size=3)
    caption = f"a {size} {colour} {kind} on {_BG_WORDS[background]} background"
    return Scene(image=np.clip(img, 0, 255).astype(np.uint8), label=SHAPE_KINDS.index(kind), masks=m[None],
                 caption=caption, objects=[obj], background=background)


@dataclass(frozen=True)
class ShapesWorld:
    """A named recipe of scene parameters (hashable, so it can key caches).

    Attributes:
        size: image side in pixels.
        n_objects: objects per scene, an inclusive (min, max) range.
        backgrounds: background kinds.
        sizes: size words.
        label_rule: "first" or "largest".
        target: "kind" or "colour" (what the label names).
    """

    size: int = 64
    n_objects: tuple[int, int] = (1, 1)
    backgrounds: tuple[str, ...] = BACKGROUNDS
    sizes: tuple[str, ...] = ("small", "medium", "large")
    label_rule: str = "first"
    target: str = "kind"

    def scene(self, rng: np.random.Generator) -> Scene:
        """One Scene drawn with this recipe."""
        return generate_scene(rng, self.size, n_objects=self.n_objects, backgrounds=self.backgrounds,
                              sizes=self.sizes, label_rule=self.label_rule, target=self.target)


TASKS: dict[str, ShapesWorld] = {
    # one medium or large shape (radius 9-16 px at 64 px, always < 25% of the image) on a
    # (often cluttered) background: classify its kind
    "shape": ShapesWorld(sizes=("medium", "large")),
    # one to three overlapping shapes: classify the kind of the one with most visible pixels
    "largest": ShapesWorld(n_objects=(1, 3), label_rule="largest"),
    # the same scenes as "shape", but the label is the shape's colour (9 classes): the embedded
    # ViT's task -- to answer it the model must find the one object among coloured clutter
    "colour": ShapesWorld(sizes=("medium", "large"), target="colour"),
    # one shape of any size on any background: the embedded CLIP matches scenes with captions
    "caption": ShapesWorld(),
}


def make_batch(n: int, seed: int, task: str = "shape", size: int = 64, world: ShapesWorld | None = None) -> dict:
    """A batch of n scenes as tensors.

    Args:
        n: batch size B.
        seed: seed of the numpy Generator (same seed -> same batch).
        task: a key of TASKS ("shape", "largest" or "colour").
        size: image side S.
        world: a custom ShapesWorld recipe; overrides task and size when given.

    Returns:
        dict with images (B, 3, S, S) float32 in [0, 1], labels (B,) int64, masks (B, S, S)
        bool (union of the objects' visible pixels), captions list[str].
    """
    if world is None:
        if task not in TASKS:
            raise ValueError(f"unknown task {task!r}; choose from {list(TASKS)}")
        world = TASKS[task]
        if size != world.size:
            world = replace(world, size=size)
    import torch  # only here: the text grammar imports this module's words without paying for torch

    rng = np.random.default_rng(seed)
    scenes = [world.scene(rng) for _ in range(n)]
    images = np.stack([s.image for s in scenes])  # (B, S, S, 3) uint8
    return {
        "images": torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0,
        "labels": torch.tensor([s.label for s in scenes], dtype=torch.long),
        "masks": torch.from_numpy(np.stack([s.masks.any(0) for s in scenes])),
        "captions": [s.caption for s in scenes],
    }
