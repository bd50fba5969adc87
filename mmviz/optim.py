"""Optimisation pieces shared by the training recipes (mmviz.train) and live training on a page.

AdamW with decay on weight matrices only, linear warmup + cosine decay, and one update step with
gradient clipping. Plain torch; no model, no data.
"""

from __future__ import annotations

import math

import torch

__all__ = ["NO_DECAY", "adamw", "cosine_lr", "set_lr", "optimizer_step"]

#: parameter names that are never decayed (besides every 0-/1-D tensor: norms and biases)
NO_DECAY = ("pos_embed", "cls_token", "dist_token", "bias_table", "logit_scale", "codebook")


def adamw(model: torch.nn.Module, lr: float, weight_decay: float = 0.05,
          betas: tuple[float, float] = (0.9, 0.99)) -> torch.optim.AdamW:
    """AdamW with decay on weight matrices only (not on norms, biases, [CLS]/position/bias tables).

    Args:
        model: the module to optimise.
        lr: initial learning rate (the loop then sets it every step with set_lr).
        weight_decay: decay of the matrices.
        betas: Adam betas.
    """
    def decays(name: str, p: torch.Tensor) -> bool:
        return p.ndim >= 2 and not any(s in name for s in NO_DECAY)

    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [{"params": [p for n, p in named if decays(n, p)], "weight_decay": weight_decay},
              {"params": [p for n, p in named if not decays(n, p)], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=betas)


def cosine_lr(step: int, steps: int, lr: float, warmup: int) -> float:
    """Linear warmup over ``warmup`` steps, then cosine decay from lr to 0 at ``steps``."""
    if step < warmup:
        return lr * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    return lr * 0.5 * (1 + math.cos(math.pi * t))


def set_lr(opt: torch.optim.Optimizer, lr: float) -> None:
    """Set the learning rate of every parameter group."""
    for g in opt.param_groups:
        g["lr"] = lr


def optimizer_step(model: torch.nn.Module, opt: torch.optim.Optimizer, loss: torch.Tensor, lr: float,
                   clip: float = 1.0) -> None:
    """One update: set the learning rate, backpropagate, clip the gradient norm, step."""
    set_lr(opt, lr)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    opt.step()
