"""Recipes for the six fusion models (a)-(f): same data, same width and depth, same steps.

    python -m mmviz.train fusion-a   (... fusion-f) [--steps N] [--threads 1]

writes assets/models/fusion-<letter>.safetensors and its card. Data: fresh visual-question-answering
triples of mmviz.data.vqa every step (two or three shapes; questions about colour, kind, existence,
relations and counts); loss: cross-entropy over the 19 answers. The cards report held-out accuracy
(overall and per question type), parameters and training time, whatever order the six come out in.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from mmviz.data import vqa
from mmviz.models.fusion import PRESETS, STRATEGIES, FusionVQA
from mmviz.train.common import HELDOUT_SEED, PROBE_SEED, Options, Run, fit, new_model, options
from mmviz.train.text_data import pad
from mmviz.weights import load_model

__all__ = ["DEFAULTS", "HELDOUT_SEED", "vqa_tensors", "evaluate_fusion", "train_fusion"]

DEFAULTS = Options(steps=1500, batch_size=32, lr=1e-3, warmup=100, eval_n=2000)


def vqa_tensors(model: FusionVQA, b: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(pixels normalised (B, 3, S, S), question ids (B, L), question mask (B, L)) of a vqa.batch."""
    images = torch.from_numpy(b["images"]).permute(0, 3, 1, 2).float() / 255.0
    ids, mask = pad([model.tokenizer.encode(q)["ids"][: model.cfg.question_length] for q in b["questions"]],
                    model.tokenizer.pad_id)
    return model.normalize(images), ids, mask


@torch.no_grad()
def evaluate_fusion(model: FusionVQA, n: int = 2000, seed: int = HELDOUT_SEED) -> dict:
    """Held-out accuracy, overall and per question type, with what a blind guess would score.

    Returns:
        dict(n, accuracy, by_type {type: accuracy}, chance_by_type (the most frequent answer of each
        type on the same questions: what reading the question alone can reach), parameters).
    """
    model.eval()
    b = vqa.batch(n, seed)
    preds = []
    for i in range(0, n, 250):
        part = {k: v[i:i + 250] for k, v in b.items()}
        logits, _ = model(*vqa_tensors(model, part))
        preds.append(logits.argmax(-1))
    ok = torch.cat(preds).numpy() == b["answers"]
    types = list(b["types"])
    by_type, chance = {}, {}
    for t in vqa.QUESTION_TYPES:
        idx = [i for i, x in enumerate(types) if x == t]
        by_type[t] = round(float(ok[idx].mean()), 4)
        counts = torch.bincount(torch.from_numpy(b["answers"][idx]), minlength=len(vqa.ANSWERS))
        chance[t] = round(float(counts.max() / len(idx)), 4)
    return {"n": n, "accuracy": round(float(ok.mean()), 4), "by_type": by_type, "chance_by_type": chance,
            "parameters": sum(p.numel() for p in model.parameters())}


def train_fusion(*, strategy: str, **overrides) -> dict:
    """Train the fusion model of one strategy and write weights and card.

    Args:
        strategy: a key of mmviz.models.fusion.STRATEGIES ("a" .. "f").
        **overrides: fields of mmviz.train.common.Options; the rest are DEFAULTS (the same for all six).
    """
    opts = options(DEFAULTS, overrides)
    name = f"fusion-{strategy}"
    model, previous = new_model(FusionVQA, PRESETS[name], opts.seed, opts.init)
    if opts.init is None:  # the frozen shape features: a copy of the shipped kind judge
        model.cnn.load_state_dict(load_model("cnn-kind-judge").state_dict())

    def step(i: int) -> tuple[torch.Tensor, dict]:
        b = vqa.batch(opts.batch_size, opts.seed * 1_000_003 + i)
        logits, _ = model(*vqa_tensors(model, b))
        target = torch.from_numpy(b["answers"])
        return F.cross_entropy(logits, target), {"acc": (logits.argmax(-1) == target).float().mean().item()}

    run = Run(name=name, family="fusion", classes=list(vqa.ANSWERS),
              task=f"answer questions about two or three shapes ({STRATEGIES[strategy]} of image patches and "
                   "question words)",
              data={"generator": "mmviz.data.vqa.batch", "question_types": list(vqa.QUESTION_TYPES),
                    "train_seeds": f"seed*1_000_003 + step, seed={opts.seed}", "heldout_seed": HELDOUT_SEED},
              loss="cross-entropy over the answers",
              extra={"strategy": strategy, "design": STRATEGIES[strategy],
                     "image_tokens": "8 px patches projected to D + the feature map of a frozen copy of cnn-kind-judge",
                     "trainable_parameters": sum(p.numel() for p in model.parameters() if p.requires_grad)})
    return fit(model, step, run, opts, previous=previous,
               evaluate=lambda m: evaluate_fusion(m, n=opts.eval_n),
               probe=lambda m: evaluate_fusion(m, n=300, seed=PROBE_SEED)["accuracy"],
               summary=lambda h: {"accuracy": h["accuracy"]})
