"""One sequence for every modality (the DALL·E / CM3Leon view): a caption and an image's codes as one row of
token ids, and the attention masks the two designs use over it (``mmviz.models.layers.causal_mask`` and
``padding_mask``, the functions the models run).

Shapes: Lc caption tokens, N image codes, T = Lc + N.
"""

from __future__ import annotations

import numpy as np
import torch

from mmviz.models.layers import causal_mask, padding_mask

__all__ = ["mixed_sequence", "decoder_mask", "parti_masks"]


def mixed_sequence(caption: dict, codes: np.ndarray, text_vocab: int) -> dict:
    """The caption's tokens followed by the image's codes in raster order, as the decoder-only model reads them:
    image code k gets token id ``text_vocab + k``, so text and image share one vocabulary.

    Args:
        caption: :func:`mmviz.lessons.image_tokens.read_caption` of the caption (ids, tokens).
        codes: (h, w) code ids.
        text_vocab: number of text ids.

    Returns:
        dict(labels (T,) what each token is, ids (T,) token ids, modality (T,) "text" / "image", Lc, N).
    """
    flat = np.asarray(codes).flatten()
    labels = list(caption["tokens"]) + [f"code {c}" for c in flat]
    ids = np.concatenate([np.asarray(caption["ids"]), flat + text_vocab])
    modality = ["text"] * len(caption["ids"]) + ["image"] * len(flat)
    return {"labels": labels, "ids": ids, "modality": modality, "Lc": len(caption["ids"]), "N": len(flat)}


def decoder_mask(Lc: int, N: int) -> np.ndarray:
    """(T, T) bool of the decoder-only model over [caption ; codes], True = may attend: causal over the whole
    sequence, so a caption token sees only the caption before it and an image code sees the whole caption
    and the codes before it."""
    return causal_mask(Lc + N).numpy()


def parti_masks(caption: dict, N: int, pad_id: int = 0) -> dict:
    """The three masks of the encoder-decoder (True = may attend).

    Returns:
        dict(encoder (Lc, Lc): every caption token sees every real caption token, before and after it
        (bidirectional; the <pad> keys are hidden), decoder (N, N): causal over the start token and the codes,
        cross (N, Lc): every code sees the whole (real) caption).
    """
    real = (torch.tensor(caption["ids"]) != pad_id).long()[None]  # (1, Lc): 1 = real token, 0 = <pad>
    keys = padding_mask(real)[0, 0]  # (1, Lc)
    Lc = real.shape[1]
    return {"encoder": keys.expand(Lc, Lc).numpy(),
            "decoder": causal_mask(N).numpy(), "cross": keys.expand(N, Lc).numpy()}
