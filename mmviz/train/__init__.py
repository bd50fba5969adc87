"""Training recipes for the embedded tiny models: `python -m mmviz.train NAME` (see __main__.py).

One module per model (vit.py, ...); common.py holds the optimizer, schedule and weight writer.
"""

from mmviz.train.common import ASSETS, adamw, cosine_lr, read_card, save_model, set_lr
from mmviz.train.vit import (
    cls_attention_on_objects,
    easy_fraction,
    evaluate_vit,
    train_vit_tiny,
    training_batch,
)

__all__ = [
    "ASSETS", "adamw", "cosine_lr", "read_card", "save_model", "set_lr",
    "cls_attention_on_objects", "easy_fraction", "evaluate_vit", "train_vit_tiny", "training_batch",
]
