"""NumPy results for the lesson "Images as tokens": a VQ-VAE turns an image into a grid of code ids, and a
transformer writes those ids one by one from a caption (DALL·E, Parti).

- :func:`pixel_dilemma`: what a sequence model would face if pixels were the tokens, against VQ codes.
- ``tokenize``: the student's image through ``vq-tiny-shapes`` (codes, codebook, use, reconstruction, a
  restricted codebook, coarser grids) and the shapes-world composer.
- ``generate``: sampling with the tiny DALL·E / Parti, every step recorded, and the cost per image.
- ``sequence``: the mixed [text ; image] sequence and the attention masks over it.

Shapes: H x W the student's image, S tokenizer input side, h x w code grid, K codebook entries, Lc caption
tokens, N = h * w image codes.
"""

from __future__ import annotations

import math

import numpy as np

from mmviz.data.shapes import BACKGROUNDS, COLOURS, SHAPE_KINDS, SIZES
from mmviz.lessons.image_tokens.generate import (
    blank_code,
    cost_per_step,
    generate,
    parameters,
    prefix_frames,
    read_caption,
    step_view,
    teacher_forcing,
)
from mmviz.lessons.image_tokens.sequence import (
    decoder_mask,
    mixed_sequence,
    parti_masks,
)
from mmviz.lessons.image_tokens.tokenize import (
    COARSE_SIDES,
    KEEP_SIZES,
    coarser_grids,
    codebook_patches,
    compose,
    heldout_usage,
    model_input,
    psnr,
    restrict_codebook,
    tokenize_image,
)
from mmviz.models.dalle import PRESETS as DALLE_PRESETS
from mmviz.models.dalle import DalleTiny, sample_codes
from mmviz.models.layers import KVCache, causal_mask
from mmviz.models.parti import PartiTiny
from mmviz.models.vq import VQVAE, VectorQuantizer
from mmviz.sampling import next_token_probs
from mmviz.tokenizers import shapes_tokenizer

__all__ = [
    "VQ", "DALLE", "PARTI", "CAPTIONS", "TOP_KS", "COMPARE", "pixel_dilemma", "vq_numbers", "compare_rows",
    "caption_notes", "draw_scene", "caption_tokenizer", "image_size", "dilemma_latex", "factorisation_latex",
    "uniform_attention",
    # tokenize
    "KEEP_SIZES", "COARSE_SIDES", "compose", "model_input", "tokenize_image", "codebook_patches", "heldout_usage",
    "restrict_codebook", "coarser_grids", "psnr",
    # generate
    "read_caption", "generate", "teacher_forcing", "prefix_frames", "blank_code", "step_view", "parameters",
    "cost_per_step",
    # sequence
    "mixed_sequence", "decoder_mask", "parti_masks",
    # what the page shows and offers
    "VQVAE", "VectorQuantizer", "DalleTiny", "PartiTiny", "sample_codes", "next_token_probs", "causal_mask",
    "KVCache", "SHAPE_KINDS", "COLOURS", "SIZES", "BACKGROUNDS",
]

#: registry names of the tokenizer and the two generators
VQ, DALLE, PARTI = "vq-tiny-shapes", "dalle-tiny-shapes", "parti-tiny-shapes"
#: sample captions (the first is the page's first); the last has words the models never saw
CAPTIONS: tuple[str, ...] = ("a large red circle on a plain background", "a large blue star on a plain background",
                             "a medium yellow triangle on a striped background", "a small green cross on a noisy "
                             "background", "a large purple ring on a checkered background", "a cat on a sofa")
#: top-k choices of the page (0 = keep every code)
TOP_KS: tuple[int, ...] = (0, 1, 5, 20, 50)


def image_size(image) -> tuple[int, int]:
    """(H, W) of a PIL image or an (H, W, 3) array."""
    return (image.height, image.width) if hasattr(image, "height") else tuple(np.shape(image)[:2])


def draw_scene(kind: str, colour: str, size: str, background: str, seed: int = 0) -> tuple:
    """A composed shapes-world scene for the page: ((S, S, 3) uint8, caption, whether the colour is the chosen one)."""
    scene, exact = compose(kind, colour, size, background, seed=seed)
    return scene.image, scene.caption, exact


def caption_tokenizer():
    """The generators' caption tokenizer (shapes-world words), without loading a model: (tokenizer, Lc)."""
    length = DALLE_PRESETS[DALLE].caption_length
    return shapes_tokenizer(length), length


def pixel_dilemma(height: int, width: int, *, grid: tuple[int, int], codebook_size: int, side: int) -> dict:
    """The sequence a next-token model would have to write for one image, three ways.

    Args:
        height, width: the image's size in pixels.
        grid: (h, w) codes of the tokenizer for a ``side`` x ``side`` input.
        codebook_size: K.
        side: the tokenizer's input side S.

    Returns:
        dict(rows: one dict per (image size, token kind) with where ("image": the student's, "input": the
        tokenizer's input), H, W, kind ("subpixel", "pixel", "vq"), down (pixels per code side), steps (sequence
        length), classes (of each step's softmax), bits (steps x log2 classes), pairs (attention scores per layer
        and head: steps²); ratio: sub-pixel steps / VQ steps at the tokenizer's input).
    """
    rows = []
    down = side // grid[0]
    for where, (H, W) in (("image", (height, width)), ("input", (side, side))):
        vq_steps = math.ceil(H / down) * math.ceil(W / down)
        for kind, steps, classes in (("subpixel", H * W * 3, 256), ("pixel", H * W, 2**24),
                                     ("vq", vq_steps, codebook_size)):
            rows.append({"where": where, "H": H, "W": W, "kind": kind, "down": down, "steps": steps,
                         "classes": classes, "bits": steps * math.log2(classes), "pairs": steps ** 2})
    return {"rows": rows, "ratio": rows[3]["steps"] / rows[5]["steps"]}


def dilemma_latex(D: dict, *, side: int, grid: tuple[int, int], codebook_size: int) -> str:
    """The pixel dilemma's bits as a formula (LaTeX): sub-pixels at the tokenizer's input against its codes."""
    rows, (h, w), K = D["rows"], grid, codebook_size
    return (rf"\text{{bits}} = \text{{steps}}\times\log_2(\text{{classes}}):\quad {side}\cdot{side}\cdot 3\cdot 8 = "
            rf"{rows[3]['bits']:,.0f}\ \text{{bits}}\quad\text{{vs.}}\quad {h}\cdot{w}\cdot\log_2 {K} = "
            rf"{rows[5]['bits']:,.0f}\ \text{{bits}}").replace(",", "{,}")


def factorisation_latex(p: np.ndarray) -> str:
    """log p(image | caption) as the sum of this sample's log-probabilities (first three, last one, total)."""
    lp = np.log(np.clip(np.asarray(p, np.float64), 1e-30, None))
    terms = " ".join(f"{x:+.3f}" for x in lp[:3])
    return (rf"\log p(\text{{image}}\mid\text{{caption}}) = \sum_{{i=1}}^{{{len(lp)}}}\log p(c_i\mid\text{{caption}}, "
            rf"c_{{<i}}) = {terms}\ \cdots\ {lp[-1]:+.3f} = \mathbf{{{lp.sum():.2f}}}")


def uniform_attention(mask: np.ndarray) -> np.ndarray:
    """(Q, K) weights of a model whose scores are all equal: 1 / (allowed keys) on every allowed key of a row."""
    m = np.asarray(mask, np.float64)
    return m / np.maximum(m.sum(1, keepdims=True), 1)


def vq_numbers(card: dict) -> dict | None:
    """The tokenizer card's held-out numbers (n, psnr_db, codes_used, codebook_size, perplexity, bits_per_image,
    raw_bits, grid, bits_per_code); None without a card."""
    h = card.get("heldout") or {}
    if not h:
        return None
    return {**h, "grid": tuple(h.get("grid", [8, 8])), "bits_per_code": math.log2(h["codebook_size"])}


def caption_notes(cap: dict, length: int) -> list[dict]:
    """What the page says about a caption the model is given (:func:`read_caption`): one dict per note, ``key``
    ("empty", "cut", "unknown") and its values (``length``, ``kept``: the words read; ``words``: the unknown ones)."""
    notes = []
    if cap["real"] <= 2:
        notes.append({"key": "empty"})
    if cap["truncated"]:
        notes.append({"key": "cut", "length": length, "kept": " ".join(t for t in cap["tokens"][1:cap["real"] - 1])})
    if cap["unknown"]:
        notes.append({"key": "unknown", "words": list(dict.fromkeys(cap["unknown"]))})
    return notes


#: the rows of the two generators' comparison (the page names them in its language)
COMPARE = ("design", "params", "cost_cache", "cost_no_cache", "saved", "colour", "kind", "both", "seconds", "log_p",
           "sample_seconds")


def compare_rows(models: dict[str, dict]) -> dict[str, dict[str, str]]:
    """The two generators side by side, numbers written out: row (one of COMPARE) -> model name -> text.

    Args:
        models: name -> dict(design, card, params, cost (:func:`cost_per_step`), sample (a :func:`generate` result)).
    """
    def pct(x) -> str:
        return "–" if x is None else f"{100 * x:.1f} %"

    def num(x, fmt: str = ",") -> str:
        return "–" if x is None else format(x, fmt)

    held = {n: m["card"].get("heldout") or {} for n, m in models.items()}
    table = {"design": lambda n, m: m["design"],
             "params": lambda n, m: num(m["params"]),
             "cost_cache": lambda n, m: num(m["cost"]["total_cache"]),
             "cost_no_cache": lambda n, m: num(m["cost"]["total_no_cache"]),
             "saved": lambda n, m: f"{m['cost']['total_no_cache'] / m['cost']['total_cache']:.1f}×",
             "colour": lambda n, m: pct(held[n].get("colour_accuracy")),
             "kind": lambda n, m: pct(held[n].get("kind_accuracy")),
             "both": lambda n, m: pct(held[n].get("both_accuracy")),
             "seconds": lambda n, m: num(held[n].get("seconds_per_image"), ".3f"),
             "log_p": lambda n, m: num(m["sample"]["log_prob"], ".2f"),
             "sample_seconds": lambda n, m: num(m["sample"]["seconds"], ".2f")}
    return {row: {n: table[row](n, m) for n, m in models.items()} for row in COMPARE}
