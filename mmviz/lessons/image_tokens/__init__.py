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
    "VQ", "DALLE", "PARTI", "CAPTIONS", "TOP_KS", "pixel_dilemma", "vq_summary", "compare_rows", "caption_notes",
    "draw_scene", "caption_tokenizer", "image_size", "input_note", "dilemma_text", "factorisation_latex",
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


def input_note(name: str, height: int, width: int, side: int) -> str:
    """What happened to the image on its way into the tokenizer, in one sentence (Markdown)."""
    how = "is already" if (height, width) == (side, side) else "is centre-cropped to a square and resized to"
    return (f"**{name}** ({width}×{height} px) {how} **{side}×{side} px**, the tokenizer's input: "
            f"`pixels.shape = (1, 3, {side}, {side})`.")


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
        dict(rows: one dict per (image size, token kind) with size, tokens, steps (sequence length), classes (of
        each step's softmax), bits (steps x log2 classes), pairs (attention scores per layer and head: steps²);
        ratio: sub-pixel steps / VQ steps at the tokenizer's input).
    """
    rows = []
    down = side // grid[0]
    for size, (H, W) in ((f"your image, {width}×{height}", (height, width)), (f"tokenizer input, {side}×{side}",
                                                                              (side, side))):
        vq_steps = math.ceil(H / down) * math.ceil(W / down)
        for tokens, steps, classes in (("sub-pixels (R, G, B)", H * W * 3, 256), ("pixels (RGB colour)", H * W, 2**24),
                                       (f"VQ codes ({down}×{down} px each)", vq_steps, codebook_size)):
            rows.append({"size": size, "tokens": tokens, "steps": steps, "classes": classes,
                         "bits": steps * math.log2(classes), "pairs": steps ** 2})
    return {"rows": rows, "ratio": rows[3]["steps"] / rows[5]["steps"]}


def dilemma_text(D: dict, *, side: int, grid: tuple[int, int], codebook_size: int) -> tuple[str, str]:
    """The pixel dilemma's numbers in words (Markdown) and as a formula (LaTeX)."""
    rows, (h, w), K = D["rows"], grid, codebook_size
    md = (f"Why not let the transformer write pixels? For your image, that is **{rows[0]['steps']:,} steps** of a "
          f"256-way choice (every R, G and B value), or {rows[1]['steps']:,} steps of a choice among 2²⁴ = "
          "16,777,216 colours: a softmax wider than any vocabulary. Attention compares every token with every other, "
          f"so its cost grows with the square of the length. Even at {side}×{side} px, sub-pixels make a sequence "
          f"**{D['ratio']:.0f}× longer** than the {h * w} VQ codes, each naming one of K = {K} learned patterns.")
    tex = (rf"\text{{bits}} = \text{{steps}}\times\log_2(\text{{classes}}):\quad {side}\cdot{side}\cdot 3\cdot 8 = "
           rf"{rows[3]['bits']:,.0f}\ \text{{bits}}\quad\text{{vs.}}\quad {h}\cdot{w}\cdot\log_2 {K} = "
           rf"{rows[5]['bits']:,.0f}\ \text{{bits}}").replace(",", "{,}")
    return md, tex


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


def vq_summary(card: dict) -> str:
    """The tokenizer card's held-out numbers in one sentence ("" without a card)."""
    h = card.get("heldout") or {}
    if not h:
        return ""
    g = h.get("grid", [8, 8])
    return (f"On {h['n']} held-out shapes-world scenes this tokenizer reconstructs at **{h['psnr_db']:.1f} dB** PSNR, "
            f"uses **{h['codes_used']} of its {h['codebook_size']} codes** (perplexity {h['perplexity']:.0f}: as if "
            f"{h['perplexity']:.0f} codes were used equally) and stores an image in **{h['bits_per_image']} bits** "
            f"({g[0]}×{g[1]} codes × {math.log2(h['codebook_size']):.0f} bits) instead of {h['raw_bits']:,} raw "
            "bits.")


def caption_notes(cap: dict, length: int) -> list[str]:
    """Plain sentences about a caption the model is given (:func:`read_caption`): empty, cut, unknown words."""
    notes = []
    if cap["real"] <= 2:
        notes.append("The caption is empty: the model sees only the start and end tokens, so it draws whatever it "
                     "finds likely for any caption.")
    if cap["truncated"]:
        notes.append(f"The model reads at most {length} tokens (start and end included): the words after "
                     f"“{' '.join(t for t in cap['tokens'][1:cap['real'] - 1])}” are dropped.")
    if cap["unknown"]:
        words = ", ".join(f"“{w}”" for w in dict.fromkeys(cap["unknown"]))
        notes.append(f"Unknown to this model: {words}. It only knows the shapes world's words (colours, kinds, "
                     "sizes, backgrounds); each unknown word becomes the same `<unk>` token.")
    return notes


def compare_rows(models: dict[str, dict]) -> list[dict]:
    """The two generators side by side: one row per quantity, one column per model (numbers written out).

    Args:
        models: name -> dict(design, card, params, cost (:func:`cost_per_step`), sample (a :func:`generate` result)).
    """
    def pct(x) -> str:
        return "–" if x is None else f"{100 * x:.1f} %"

    def num(x, fmt: str = ",") -> str:
        return "–" if x is None else format(x, fmt)

    held = {n: m["card"].get("heldout") or {} for n, m in models.items()}
    table = [("design", lambda n, m: m["design"]),
             ("parameters (without the VQ)", lambda n, m: num(m["params"])),
             ("multiply-adds per image, KV cache", lambda n, m: num(m["cost"]["total_cache"])),
             ("multiply-adds per image, no cache", lambda n, m: num(m["cost"]["total_no_cache"])),
             ("saved by the cache", lambda n, m: f"{m['cost']['total_no_cache'] / m['cost']['total_cache']:.1f}×"),
             ("card: colour right (tiny ViT judges)", lambda n, m: pct(held[n].get("colour_accuracy"))),
             ("card: kind right (cnn-kind-judge)", lambda n, m: pct(held[n].get("kind_accuracy"))),
             ("card: both right", lambda n, m: pct(held[n].get("both_accuracy"))),
             ("card: seconds per image", lambda n, m: num(held[n].get("seconds_per_image"), ".3f")),
             ("this sample: log p(image | caption)", lambda n, m: num(m["sample"]["log_prob"], ".2f")),
             ("this sample: seconds (recording attention)", lambda n, m: num(m["sample"]["seconds"], ".2f"))]
    return [{"": label, **{n: f(n, m) for n, m in models.items()}} for label, f in table]
