"""Recipe for the embedded tiny Swin (CPU-friendly, scenes generated on the fly).

    python -m mmviz.train swin-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/swin-tiny-shapes.safetensors (fp16) and swin-tiny-shapes.json (the card).
Task (mmviz.train.shapes_task, the tiny ViT's): name the colour of the one shape in a cluttered
64x64 scene, 9 classes. The shape-kind task learned too slowly on 2 CPU cores: 32% held-out after
1000 steps.
"""

from __future__ import annotations

from mmviz.models.swin import PRESETS, Swin
from mmviz.train.common import Options, new_model, options
from mmviz.train.shapes_task import evaluate_classifier, train_colour_classifier

__all__ = ["MODEL_NAME", "DEFAULTS", "train_swin_tiny"]

MODEL_NAME = "swin-tiny-shapes"
DEFAULTS = Options(steps=4000, batch_size=64, lr=1e-3, warmup=300)


def train_swin_tiny(**overrides) -> dict:
    """Train the embedded tiny Swin on the colour task and write weights + card.

    Args:
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    model, previous = new_model(Swin, PRESETS[MODEL_NAME], opts.seed, opts.init)
    return train_colour_classifier(model, previous, opts, name=MODEL_NAME, family="swin",
                                   evaluate=lambda m, n, seed: evaluate_classifier(m, n=n, seed=seed))
