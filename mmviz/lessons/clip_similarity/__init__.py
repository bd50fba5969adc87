"""NumPy results for the CLIP similarity lesson, computed with the functions the model runs.

`compose_scene` draws a shapes-world scene with chosen attributes (so the embedded CLIP can be
tested on what it knows); `encode_images` / `encode_texts` run the two towers once and keep the
embeddings, the patch embeddings and the tokens; `similarity_lesson` turns two embedding
matrices and a logit scale into the cosine matrix, the row-wise softmax and the batch's InfoNCE
loss (with `mmviz.clip.clip_loss`); `sharpening`, `pca_2d` and `patch_similarity` feed the other
figures. Training a tiny CLIP live on the page lives in `mmviz.lessons.clip_similarity.live`, the
page's batch of images and prompts (what the student adds and removes) in
`mmviz.lessons.clip_similarity.batch`. The model classes, the loss and the shapes-world vocabulary the
page shows are re-exported here.

Shapes: I images, T prompts, E joint embedding width, N = gh * gw patches, S image side.
"""

from __future__ import annotations

import math
import re

import numpy as np
import torch
import torch.nn.functional as F

from mmviz import i18n
from mmviz.data.shapes import BACKGROUNDS, COLOURS, SHAPE_KINDS, SIZES, compose_scene
from mmviz.models.clip import CLIP, TextTransformer, clip_loss
from mmviz.patches.grid import fit_image, uint8_to_tensor
from mmviz.tokenizers import Tokenizer

__all__ = [
    "TINY",
    "UNTRAINED",
    "PRETRAINED",
    "SCALES",
    "DEFAULT_SCENES",
    "DEFAULT_TEMPLATE",
    "SAMPLE_PROMPTS",
    "compose_scene",
    "scene_prompt",
    "apply_template",
    "model_images",
    "encode_images",
    "encode_texts",
    "similarity_lesson",
    "sharpening",
    "pca_2d",
    "patch_similarity",
    "learned_scale",
    "candidate_prompts",
    "card_numbers",
    "pca_numbers",
    # what the page shows and offers
    "CLIP", "TextTransformer", "Tokenizer", "clip_loss", "SHAPE_KINDS", "COLOURS", "SIZES", "BACKGROUNDS",
]

#: the registry names of the CLIP family
TINY, UNTRAINED, PRETRAINED = "clip-tiny-shapes", "clip-untrained", "openai/clip-vit-base-patch32"
#: logit scales of the sharpening curve
SCALES = np.geomspace(1.0, 100.0, 60)

#: (size, colour, kind, background) of the scenes the page starts with: four different kinds and
#: colours, so the matching prompts "a red circle", ... make a clear diagonal for the trained model
DEFAULT_SCENES: tuple[tuple[str, str, str, str], ...] = (
    ("large", "red", "circle", "plain"),
    ("large", "blue", "square", "plain"),
    ("large", "yellow", "triangle", "gradient"),
    ("large", "green", "star", "plain"),
)
DEFAULT_TEMPLATE = "a photo of a {}"
#: a prompt for each bundled sample photo (assets/samples/images), added with the sample
SAMPLE_PROMPTS = {"astronaut.png": "an astronaut", "chelsea.png": "a cat", "coffee.png": "a cup of coffee",
                  "rocket.jpg": "a rocket"}
_ARTICLE = re.compile(r"^\s*(a|an|the)\s+", re.IGNORECASE)


# --------------------------------------------------------------------------- inputs
def scene_prompt(colour: str, kind: str) -> str:
    """The short prompt of a composed scene: "a red circle", "an orange star"."""
    return f"{'an' if colour[0] in 'aeiou' else 'a'} {colour} {kind}"


def apply_template(prompts: list[str], template: str) -> list[str]:
    """Fill each prompt into a template such as "a photo of a {}".

    A leading article of the prompt is dropped first, so "a cat" -> "a photo of a cat", not
    "a photo of a a cat".

    Raises:
        ValueError: the template has no "{}".
    """
    if "{}" not in template:
        raise ValueError('the template needs a "{}" where the prompt goes, e.g. "a photo of a {}"')
    return [template.replace("{}", _ARTICLE.sub("", p).strip(), 1) for p in prompts]


def candidate_prompts(kind: str, template: str | None = None) -> list[str]:
    """Zero-shot candidates over the shapes world's vocabulary: "a circle", ... or "a red shape", ...

    Args:
        kind: "kinds" (the 6 shape kinds) or "colours" (the 9 colours).
        template: filled by :func:`apply_template` when given (must hold "{}").
    """
    words = list(SHAPE_KINDS) if kind == "kinds" else [f"{c} shape" for c in COLOURS]
    base = [f"an {w}" if w[0] in "aeiou" else f"a {w}" for w in words]
    return apply_template(base, template) if template else base


# --------------------------------------------------------------------------- the two towers
def learned_scale(model: CLIP) -> float:
    """s = exp(logit_scale), the multiplier the model learned for its cosines (1 / temperature)."""
    return float(model.logit_scale.detach().exp().item())


def model_images(images: list, model: CLIP) -> tuple[torch.Tensor, np.ndarray]:
    """CLIP's preprocessing: centre-crop to a square, resize to the tower's side S, normalise.

    Args:
        images: I PIL images or (H, W, 3) uint8 arrays.
        model: the CLIP (its vision config gives S, mean and std).

    Returns:
        pixels (I, 3, S, S) normalised, and the same crops as (I, S, S, 3) uint8 (what the model sees).
    """
    cfg = model.cfg.vision
    rgb = np.stack([fit_image(im, cfg.image_size, cfg.patch_size, max_aspect=1.0) for im in images])  # (I, S, S, 3)
    return model.normalize(uint8_to_tensor(rgb)), rgb


@torch.no_grad()
def encode_images(model: CLIP, images: list, device: str | torch.device = "cpu") -> dict:
    """Run the image tower once: the [CLS] embedding and every patch embedding of each image.

    The same LayerNorm'ed tokens go through ``visual_projection``: token 0 gives ``encode_image``,
    tokens 1.. give ``encode_patches`` (one pass instead of two).

    Args:
        model: a CLIP in eval mode.
        images: I PIL images or (H, W, 3) uint8 arrays.
        device: where to run.

    Returns:
        dict with ``embeds`` (I, E) float32 L2-normalised, ``patches`` (I, N, E) float32 L2-normalised,
        ``images`` (I, S, S, 3) uint8, ``grid`` (gh, gw), ``patch_size`` P, ``pixels_shape``,
        ``tokens_shape`` (I, 1 + N, D_v), ``norms`` (I,) the length of each embedding before normalising.
    """
    pixels, rgb = model_images(images, model)
    tokens, _ = model.image_tokens(pixels.to(device))  # (I, 1+N, D_v)
    proj = model.visual_projection(tokens)  # (I, 1+N, E)
    emb = F.normalize(proj[:, 0], dim=-1)  # (I, E) = model.encode_image(pixels)
    patches = F.normalize(proj[:, 1:], dim=-1)  # (I, N, E) = model.encode_patches(pixels)
    P = model.cfg.vision.patch_size
    return dict(embeds=emb.float().cpu().numpy(), patches=patches.float().cpu().numpy(), images=rgb,
                grid=(pixels.shape[2] // P, pixels.shape[3] // P), patch_size=P, pixels_shape=tuple(pixels.shape),
                tokens_shape=tuple(tokens.shape), norms=proj[:, 0].norm(dim=-1).float().cpu().numpy())


@torch.no_grad()
def encode_texts(model: CLIP, prompts: list[str], device: str | torch.device = "cpu") -> dict:
    """Tokenise and run the text tower once.

    Args:
        model: a CLIP with a tokenizer.
        prompts: T strings.
        device: where to run.

    Returns:
        dict with ``embeds`` (T, E) float32 L2-normalised (= ``model.encode_prompts(prompts)``),
        ``tokens`` T lists of token strings, ``ids`` T lists of ids, ``unknown`` T lists of words that
        became <unk>, ``truncated`` T bools (the prompt hit the context length), ``input_ids_shape``
        (T, L), ``eos`` (T,) the position each prompt is pooled at, ``tokenizer`` its name.
    """
    tok = model.tokenizer
    enc = tok.encode(prompts, device=device)
    ids = enc["input_ids"]  # (T, L)
    emb = model.encode_text(ids)  # (T, E)
    return dict(embeds=emb.float().cpu().numpy(), tokens=[tok.tokens(p) for p in prompts],
                ids=[tok.ids(p) for p in prompts], unknown=[tok.unknown_words(p) for p in prompts],
                truncated=[len(tok.ids(p)) >= tok.context_length for p in prompts],
                input_ids_shape=tuple(ids.shape), eos=model.text.eos_positions(ids).cpu().numpy(),
                tokenizer=tok.name)


# --------------------------------------------------------------------------- the matrix
def similarity_lesson(image_embeds: np.ndarray, text_embeds: np.ndarray, logit_scale: float) -> dict:
    """Cosine similarities, logits, row-wise softmax and the InfoNCE loss of a batch.

    Image i and prompt i form the pairs (the diagonal); with I != T only the first K = min(I, T)
    images and prompts enter the loss.

    Args:
        image_embeds: (I, E) L2-normalised.
        text_embeds: (T, E) L2-normalised.
        logit_scale: s = exp(t), the multiplier of the cosine (1 / temperature).

    Returns:
        dict with ``cos`` (I, T); ``logits`` (I, T) = s * cos; ``probs`` (I, T) softmax over the prompts
        (each row sums to 1); ``probs_t2i`` (I, T) softmax over the images (each column sums to 1);
        ``K``; ``loss`` = ``clip_loss(logits[:K, :K])``; ``loss_i2t`` / ``loss_t2i`` its two halves;
        ``row_losses`` / ``col_losses`` (K,) -log p of each pair; ``chance`` = log K (the loss when
        every similarity is equal); ``top1`` (I,) the best prompt of each image (``best`` the same as
        "#i→#j" strings); ``pair_acc`` share of
        the K images whose best prompt (among the K) is their own; ``pair_cos`` (K,) cos of each pair and
        ``pair_cos_mean`` their mean (NaN when K = 0).
    """
    img = torch.as_tensor(np.asarray(image_embeds, np.float32))
    txt = torch.as_tensor(np.asarray(text_embeds, np.float32))
    cos = img @ txt.t()  # (I, T)
    logits = logit_scale * cos  # (I, T)
    K = min(cos.shape)
    out = dict(cos=cos.numpy(), logits=logits.numpy(), probs=logits.softmax(1).numpy(),
               probs_t2i=logits.softmax(0).numpy(), K=K, top1=cos.argmax(1).numpy() if cos.shape[1] else None,
               best=[f"#{i}→#{int(j)}" for i, j in enumerate(cos.argmax(1).tolist())] if cos.shape[1] else [],
               chance=math.log(K) if K else float("nan"), pair_cos=cos.diagonal()[:K].numpy(),
               pair_cos_mean=float(cos.diagonal()[:K].mean()) if K else float("nan"))
    if K:
        sq = logits[:K, :K]  # (K, K) the pairs on the diagonal
        out["loss"] = float(clip_loss(sq))
        rows = -sq.log_softmax(1).diagonal()  # (K,) image i -> its prompt
        cols = -sq.log_softmax(0).diagonal()  # (K,) prompt j -> its image
        out.update(loss_i2t=float(rows.mean()), loss_t2i=float(cols.mean()), row_losses=rows.numpy(),
                   col_losses=cols.numpy(), pair_acc=float((sq.argmax(1) == torch.arange(K)).float().mean()))
    return out


def sharpening(cos_row: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """softmax(s * cos) of one image over the prompts, for every logit scale s.

    Args:
        cos_row: (T,) cosine similarities of one image with the prompts.
        scales: (n,) logit scales.

    Returns:
        (n, T), each row sums to 1.
    """
    z = torch.as_tensor(np.asarray(scales, np.float32))[:, None] * torch.as_tensor(np.asarray(cos_row, np.float32))
    return z.softmax(1).numpy()


def pca_2d(image_embeds: np.ndarray, text_embeds: np.ndarray) -> dict:
    """Project both modalities' embeddings together onto their first two principal components.

    Args:
        image_embeds: (I, E).
        text_embeds: (T, E).

    Returns:
        dict with ``image_xy`` (I, 2), ``text_xy`` (T, 2), ``explained`` (2,) share of the variance
        each axis keeps, ``gap`` distance between the two modalities' mean embeddings (in E
        dimensions), ``cos_image_image`` / ``cos_text_text`` mean cosine of two different images /
        prompts, ``cos_image_text`` mean cosine of an image and a prompt (NaN when undefined).
    """
    img = np.asarray(image_embeds, np.float64)
    txt = np.asarray(text_embeds, np.float64)
    X = np.concatenate([img, txt])  # (I+T, E)
    Xc = X - X.mean(0)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    comps = np.zeros((2, X.shape[1]))
    comps[: min(2, len(Vt))] = Vt[:2]
    # a fixed sign per axis (the largest loading positive) keeps the picture from flipping between runs
    big = np.abs(comps).argmax(1)
    comps *= np.where(comps[np.arange(2), big] < 0, -1.0, 1.0)[:, None]
    xy = Xc @ comps.T  # (I+T, 2)
    var = (S**2).sum()
    explained = np.zeros(2)
    explained[: min(2, len(S))] = (S[:2] ** 2) / var if var > 0 else 0.0
    I = len(img)

    def mean_off_diagonal(m: np.ndarray) -> float:
        g = m @ m.T
        return float(g[~np.eye(len(m), dtype=bool)].mean()) if len(m) > 1 else float("nan")

    return dict(image_xy=xy[:I].astype(np.float32), text_xy=xy[I:].astype(np.float32), explained=explained,
                gap=float(np.linalg.norm(img.mean(0) - txt.mean(0))) if len(img) and len(txt) else float("nan"),
                cos_image_image=mean_off_diagonal(img), cos_text_text=mean_off_diagonal(txt),
                cos_image_text=float((img @ txt.T).mean()) if len(img) and len(txt) else float("nan"))


def patch_similarity(patches: np.ndarray, text_embeds: np.ndarray, grid: tuple[int, int]) -> np.ndarray:
    """cos(prompt, patch) for every image, prompt and patch.

    Args:
        patches: (I, N, E) L2-normalised patch embeddings (``encode_images``).
        text_embeds: (T, E) L2-normalised.
        grid: (gh, gw), N = gh * gw.

    Returns:
        (I, T, gh, gw) float32.
    """
    p = np.asarray(patches, np.float32)
    t = np.asarray(text_embeds, np.float32)
    sim = np.einsum("ine,te->itn", p, t)  # (I, T, N)
    return sim.reshape(p.shape[0], t.shape[0], *grid)


# --------------------------------------------------------------------------- numbers in words
def card_numbers(card: dict, lang: str = "en") -> str:
    """The held-out numbers of the tiny CLIP's model card in one sentence in ``lang`` ("" when the card has none)."""
    h = card.get("heldout", {})
    if "kind_top1" not in h:
        return ""
    return i18n.text("clip_similarity.card", lang, n=h["n"], colour=h["colour_top1"], kind=h["kind_top1"],
                     candidates=h["candidates"], caption=h["caption_top1"])


def pca_numbers(pca: dict, sim: dict, width: int, lang: str = "en") -> str:
    """The mean cosines behind the PCA picture in one sentence (Markdown) in ``lang``.

    Args:
        pca: :func:`pca_2d`'s dict.
        sim: :func:`similarity_lesson`'s dict (its pairs).
        width: E, the embeddings' width.
    """
    pair = i18n.text("clip_similarity.pca_pair", lang, c=sim["pair_cos_mean"]) if sim["K"] else ""
    return i18n.text("clip_similarity.pca_numbers", lang, width=width, ii=pca["cos_image_image"],
                     tt=pca["cos_text_text"], it=pca["cos_image_text"], pair=pair, gap=pca["gap"])
