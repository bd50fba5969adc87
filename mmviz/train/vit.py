"""Recipe for the embedded tiny ViT (CPU-friendly, scenes generated on the fly).

    python -m mmviz.train vit-tiny [--steps N] [--out assets/models] [--threads 1]

writes assets/models/vit-tiny-shapes.safetensors (fp16) and vit-tiny-shapes.json (the card).
Task (mmviz.train.shapes_task): name the colour of the one shape in a cluttered scene. The only
loss is cross-entropy on the colour: where [CLS] looks is learned, not taught.
"""

from __future__ import annotations

import torch

from mmviz.data.shapes import make_batch
from mmviz.models.vit import PRESETS, ViT
from mmviz.train.common import Options, new_model, options
from mmviz.train.shapes_task import TASK, train_colour_classifier

__all__ = ["MODEL_NAME", "DEFAULTS", "evaluate_vit", "cls_attention_on_objects", "train_vit_tiny"]

MODEL_NAME = "vit-tiny-shapes"
ATTN_DEFINITION = ("last layer [CLS]->patch attention, mean over heads, renormalised over patches; fraction on "
                   "patches overlapping the object; scenes with object cover < 25%")


def cls_attention_on_objects(attn: torch.Tensor, masks: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Fraction of [CLS]->patch attention mass that lands on patches overlapping an object.

    Args:
        attn: (B, h, 1+N, 1+N) one layer's attention, [CLS] first, N = gh*gw.
        masks: (B, H, W) bool object pixels.
        patch_size: P.

    Returns:
        (B,) fraction in [0, 1]; heads averaged, [CLS]->[CLS] excluded and the patch row renormalised.
    """
    B, H, W = masks.shape
    P = patch_size
    on_obj = masks.reshape(B, H // P, P, W // P, P).any(4).any(2).reshape(B, -1)  # (B, N)
    a = attn[:, :, 0, 1:].mean(1)  # (B, N) mean over heads
    a = a / a.sum(-1, keepdim=True)
    return (a * on_obj).sum(-1)


@torch.no_grad()
def evaluate_vit(model: ViT, n: int = 1000, seed: int = 10_000, batch_size: int = 250) -> dict:
    """Held-out accuracy and attention-on-object fraction on freshly generated scenes.

    Args:
        model: a trained ViT with a head over CLASSES (the 9 colours).
        n: number of held-out scenes.
        seed: data seed (use one never seen in training).
        batch_size: evaluation batch size.

    Returns:
        dict(accuracy, attn_on_object (last layer, mean over scenes whose objects cover < 25% of
        the image), attn_on_object_by_layer (the same for every layer), object_patch_share (the
        share of patches overlapping the object in those scenes: what uniform attention would
        score), n_small_objects, n).
    """
    model.eval()
    correct, fracs, shares = 0, [], []
    P = model.cfg.patch_size
    for i in range(0, n, batch_size):
        b = make_batch(min(batch_size, n - i), seed=seed + i, task=TASK, size=model.cfg.image_size)
        x = model.normalize(b["images"])
        tokens, attns = model(x, return_attn=True)
        logits = model.head(tokens[:, 0])
        correct += (logits.argmax(-1) == b["labels"]).sum().item()
        small = b["masks"].float().mean((1, 2)) < 0.25
        fracs.append(torch.stack([cls_attention_on_objects(a, b["masks"], P) for a in attns], 1)[small])  # (b, L)
        uniform = torch.full_like(attns[-1][:, :1], 1.0)  # (B, 1, T, T): every patch weighted alike
        shares.append(cls_attention_on_objects(uniform, b["masks"], P)[small])
    fr = torch.cat(fracs)  # (n_small, L)
    return {"n": n, "accuracy": round(correct / n, 4), "attn_on_object": round(fr[:, -1].mean().item(), 4),
            "attn_on_object_definition": ATTN_DEFINITION,
            "attn_on_object_by_layer": [round(v, 4) for v in fr.mean(0).tolist()],
            "object_patch_share": round(torch.cat(shares).mean().item(), 4), "n_small_objects": len(fr)}


DEFAULTS = Options(steps=2500, batch_size=64, lr=1e-3, warmup=300)  # the shipped weights' run


def train_vit_tiny(**overrides) -> dict:
    """Train the embedded tiny ViT on the colour task (mmviz.train.shapes_task) and write weights + card.

    Args:
        **overrides: fields of mmviz.train.common.Options (steps, batch_size, lr, ..., init); the
            rest are DEFAULTS. With ``init`` the run continues from those weights without the
            curriculum, and the card lists both phases.

    Returns:
        the card dict (also written as JSON).
    """
    opts = options(DEFAULTS, overrides)
    model, previous = new_model(ViT, PRESETS[MODEL_NAME], opts.seed, opts.init)
    return train_colour_classifier(model, previous, opts, name=MODEL_NAME, family="vit", evaluate=evaluate_vit,
                                   summary=lambda h: {"accuracy": h["accuracy"], "attn_on_object": h["attn_on_object"]})
