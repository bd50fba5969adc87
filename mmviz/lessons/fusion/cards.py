"""The table of the six trained fusion models, read from their cards, next to CLIP's (NumPy out).

A card (``assets/models/fusion-<k>.json``) holds the held-out accuracy (overall and per question type),
what reading the question alone reaches per type (``chance_by_type``), parameters and training time.
A model that is not trained yet has no card: its row says so and how to train it.
"""

from __future__ import annotations

import numpy as np

from mmviz.data.vqa import QUESTION_TYPES
from mmviz.lessons.fusion import LETTERS, NAMES

__all__ = ["accuracy_table", "clip_row"]


def _minutes(card: dict) -> float | None:
    """Training time of a card in minutes (None without one)."""
    return round(card["train_wall_time_s"] / 60, 1) if card.get("train_wall_time_s") else None


def accuracy_table(cards: dict[str, dict], results: dict[str, dict] | None = None) -> dict:
    """Rows of the six models and the per-type arrays of the figure.

    Args:
        cards: letter -> the model's card ({} when not trained).
        results: letter -> :func:`mmviz.lessons.fusion.answer_all`'s entry (attention scores and
            parameters counted on the student's own input), or None.

    Returns:
        dict(rows [dict per model for the table: model, status ("trained" / "untrained"), accuracy, one per type,
        parameters, trainable, scores (on the student's input), train_min], types (Q,) question types, accuracy (6, Q) float
        (NaN: no card), overall (6,), chance (Q,) the best a blind guess of each type reaches (from
        the first card that has it), trained [letters with a card], n (held-out questions)).
    """
    rows, acc, overall, chance, n = [], [], [], None, None
    for k in LETTERS:
        card = cards.get(k) or {}
        h = card.get("heldout") or {}
        r = (results or {}).get(k) or {}
        by = h.get("by_type") or {}
        acc.append([by.get(t, np.nan) for t in QUESTION_TYPES])
        overall.append(h.get("accuracy", np.nan))
        if chance is None and h.get("chance_by_type"):
            chance = [h["chance_by_type"].get(t, np.nan) for t in QUESTION_TYPES]
            n = h.get("n")
        row = {"model": NAMES[k], "status": "trained" if h else "untrained", "accuracy": h.get("accuracy"),
               **{t: by.get(t) for t in QUESTION_TYPES},
               "parameters": h.get("parameters", r.get("parameters")),
               "trainable": (card.get("extra") or {}).get("trainable_parameters", r.get("trainable")),
               "scores": r.get("scores"), "train_min": _minutes(card)}
        rows.append(row)
    return {"rows": rows, "types": list(QUESTION_TYPES), "accuracy": np.array(acc, dtype=np.float64),
            "overall": np.array(overall, dtype=np.float64),
            "chance": np.array(chance if chance is not None else [np.nan] * len(QUESTION_TYPES), dtype=np.float64),
            "trained": [k for k in LETTERS if (cards.get(k) or {}).get("heldout")], "n": n}


def clip_row(card: dict, contrast: dict | None) -> dict:
    """CLIP's row for the same table: no fusion, so no question accuracy; its own held-out number instead (status
    "clip" with ``caption_top1``, its captions' top-1 accuracy, or "untrained")."""
    h = card.get("heldout") or {}
    params = sum((contrast or {}).get("parameters", {}).values()) or None
    return {"model": card.get("name", "clip-tiny-shapes"), "status": "clip" if "caption_top1" in h else "untrained",
            "caption_top1": h.get("caption_top1"), "accuracy": None, **dict.fromkeys(QUESTION_TYPES),
            "parameters": params, "trainable": params, "scores": (contrast or {}).get("scores"),
            "train_min": _minutes(card)}
