"""The no-fusion contrast: CLIP's dual encoder on the same image and question (NumPy out).

CLIP's two towers never meet inside: the image becomes one vector, a caption one vector, and the
only place they touch is the cosine of the two. So it can score captions ("a red star"), and a
question whose answer is a word of a caption (a colour, a kind) can be turned into captions to
score; a question about a relation or a count cannot: no word ever reads a patch.

Shapes: S image side, C captions, E embedding width, h heads.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from mmviz.data.shapes import COLOURS, SHAPE_KINDS
from mmviz.device import torch_threads
from mmviz.models.clip import CLIP
from mmviz.patches.grid import uint8_to_tensor

__all__ = ["CAPTIONS", "clip_contrast", "question_captions"]

#: every caption "a {colour} {kind}" the contrast scores
CAPTIONS: tuple[str, ...] = tuple(f"a {c} {k}" for c in COLOURS for k in SHAPE_KINDS)


def question_captions(tokens: list[str]) -> tuple[list[str], list[str], dict]:
    """Turn a question into captions CLIP can score, where it can be done.

    Args:
        tokens: the question's tokens (lower-case words of the fusion models' tokenizer).

    Returns:
        (captions, answers, what): the captions to compare and the answer each one stands for (empty
        when the question cannot be put as captions), and what was done: dict(key, ...) with key "colour"
        (kind, n captions), "shape" (colour, n), "there" (colour, kind), "many", "relation" or "none" (the page
        says it in words).
    """
    colours = [t for t in tokens if t in COLOURS]
    kinds = [t for t in tokens if t in SHAPE_KINDS]
    if "colour" in tokens and kinds:
        k = kinds[0]
        return [f"a {c} {k}" for c in COLOURS], list(COLOURS), {"key": "colour", "kind": k, "n": len(COLOURS)}
    if "shape" in tokens and colours:
        c = colours[0]
        return [f"a {c} {k}" for k in SHAPE_KINDS], list(SHAPE_KINDS), {"key": "shape", "colour": c, "n": len(SHAPE_KINDS)}
    if "there" in tokens and colours and kinds:
        return [], [], {"key": "there", "colour": colours[0], "kind": kinds[0]}
    if "many" in tokens:
        return [], [], {"key": "many"}
    if any(t in tokens for t in ("left", "right", "above", "below")):
        return [], [], {"key": "relation"}
    return [], [], {"key": "none"}


@torch.no_grad()
def clip_contrast(model: CLIP, image: np.ndarray, tokens: list[str], *, device="cpu", top_k: int = 5) -> dict:
    """CLIP on the fusion lesson's image and question: captions scored, and what it costs.

    Args:
        model: the embedded CLIP (``clip-tiny-shapes``), eval mode.
        image: (S, S, 3) uint8 (S = its image size, 64).
        tokens: the question's tokens (see :func:`question_captions`).
        device: where the model is.
        top_k: best captions kept.

    Returns:
        dict(top [(caption, cosine)] of all CAPTIONS, question [(caption, answer, cosine, p)] (p: softmax
        over the question's captions at CLIP's learned scale), answer (str or None), what (see
        :func:`question_captions`), bars (what to draw: captions, values, percent, highlight, title: "question"
        (the question's captions) or "closest" (the closest of all)),
        rank ((caption "a C K", its rank among all captions) for an "is there" question, else None), scale, blocks [(tower, layer, (h, Tq, Tk),
        scores)], scores (sum), parameters {part: n}, embed_dim E).
    """
    with torch_threads(1):
        pixels = model.normalize(uint8_to_tensor(image)).to(device)  # (1, 3, S, S)
        img_tokens, vis_attn = model.image_tokens(pixels, return_attn=True)  # (1, 1 + N, D_v), depth x (1, h, T, T)
        img = F.normalize(model.visual_projection(img_tokens[:, 0]), dim=-1)  # (1, E)
        ids = model.tokenizer.encode(list(CAPTIONS), device=device)["input_ids"]  # (C, T)
        txt_tokens, txt_attn = model.text_tokens(ids, return_attn=True)  # (C, T, D_t), depth x (C, h, T, T)
        pooled = txt_tokens[torch.arange(len(CAPTIONS)), model.text.eos_positions(ids)]  # (C, D_t)
        txt = F.normalize(model.text_projection(pooled), dim=-1)  # (C, E)
        cos = (txt @ img[0]).cpu().numpy()  # (C,) the only place image and text meet
    scale = float(model.logit_scale.exp())
    order = np.argsort(-cos)
    score = dict(zip(CAPTIONS, cos.tolist()))
    caps, answers, what = question_captions(tokens)
    rows, answer, rank = [], None, None
    if caps:
        c = np.array([score[x] for x in caps])
        p = np.exp(scale * (c - c.max()))
        p /= p.sum()
        rows = sorted(zip(caps, answers, c.tolist(), p.tolist()), key=lambda r: -r[2])
        answer = rows[0][1]
    colours = [t for t in tokens if t in COLOURS]
    kinds = [t for t in tokens if t in SHAPE_KINDS]
    if "there" in tokens and colours and kinds:
        asked = f"a {colours[0]} {kinds[0]}"
        rank = (asked, 1 + int(np.nonzero(np.array(CAPTIONS)[order] == asked)[0][0]))
    if rows:
        bars = {"captions": [r[0] for r in rows], "values": [r[3] for r in rows], "percent": True, "highlight": None,
                "title": "question"}
    else:
        show = list(order[:top_k])
        if rank is not None and rank[1] > top_k:
            show.append(CAPTIONS.index(rank[0]))
        bars = {"captions": [CAPTIONS[i] for i in show], "values": [float(cos[i]) for i in show], "percent": False,
                "highlight": rank[0] if rank else None, "title": "closest"}
    blocks = [("image", i, tuple(a.shape[1:]), int(np.prod(a.shape[1:]))) for i, a in enumerate(vis_attn)]
    blocks += [("caption", i, tuple(a.shape[1:]), int(np.prod(a.shape[1:]))) for i, a in enumerate(txt_attn)]
    params = {"image_tower": sum(p.numel() for p in model.visual.parameters()),
              "text_tower": sum(p.numel() for p in model.text.parameters()),
              "projections": sum(p.numel() for p in model.parameters())
              - sum(p.numel() for p in model.visual.parameters()) - sum(p.numel() for p in model.text.parameters())}
    return {"top": [(CAPTIONS[i], float(cos[i])) for i in order[:top_k]], "question": rows, "answer": answer, "bars": bars,
            "what": what, "rank": rank, "n_captions": len(CAPTIONS), "scale": scale, "blocks": blocks,
            "scores": sum(b[3] for b in blocks), "parameters": params, "embed_dim": int(img.shape[-1])}
