"""Pieces every training recipe shares: optimizer groups, the LR schedule, writing weights + card.

Recipes live next to this file (vit.py, ...), one per embedded model; `python -m mmviz.train NAME`
dispatches to them (see __main__.py).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import asdict, is_dataclass
from pathlib import Path

import torch

__all__ = ["ASSETS", "adamw", "cosine_lr", "set_lr", "save_model", "read_card", "new_model", "optimizer_step"]

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "models"


def adamw(model: torch.nn.Module, lr: float, weight_decay: float = 0.05,
          betas: tuple[float, float] = (0.9, 0.99)) -> torch.optim.AdamW:
    """AdamW with decay on weight matrices only (not on norms, biases, [CLS]/position/bias tables).

    Args:
        model: the module to optimise.
        lr: initial learning rate (recipes then set it every step with set_lr).
        weight_decay: decay of the matrices.
        betas: Adam betas.
    """
    skip = ("pos_embed", "cls_token", "dist_token", "bias_table", "logit_scale")

    def decays(name: str, p: torch.Tensor) -> bool:
        return p.ndim >= 2 and not any(s in name for s in skip)

    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if decays(n, p)], "weight_decay": weight_decay},
              {"params": [p for n, p in named if not decays(n, p)], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=betas)


def cosine_lr(step: int, steps: int, lr: float, warmup: int) -> float:
    """Linear warmup over `warmup` steps, then cosine decay from lr to 0 at `steps`."""
    if step < warmup:
        return lr * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    return lr * 0.5 * (1 + math.cos(math.pi * t))


def set_lr(opt: torch.optim.Optimizer, lr: float) -> None:
    """Set the learning rate of every parameter group."""
    for g in opt.param_groups:
        g["lr"] = lr


def save_model(model: torch.nn.Module, cfg, card: dict, out: Path, name: str) -> dict:
    """Write <out>/<name>.safetensors (float16, config in the metadata) and <out>/<name>.json.

    Args:
        model: trained module.
        cfg: its frozen dataclass config (stored in the safetensors metadata and the card).
        card: recipe-specific card fields (data, recipe, held-out metrics, ...).
        out: output folder (created).
        name: file stem.

    Returns:
        the full card, with name, config, weights dtype, date and torch version added.
    """
    from safetensors.torch import save_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = asdict(cfg) if is_dataclass(cfg) else dict(cfg)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(out / f"{name}.safetensors"), metadata={"format": "pt", "config": json.dumps(config)})
    full = {"name": name, "config": config, **card, "weights_dtype": "float16",
            "date": _dt.date.today().isoformat(), "torch": torch.__version__}
    (out / f"{name}.json").write_text(json.dumps(full, indent=2) + "\n")
    return full


def read_card(weights: Path) -> dict | None:
    """The JSON card next to a .safetensors file, or None when there is none."""
    p = Path(weights).with_suffix(".json")
    return json.loads(p.read_text()) if p.is_file() else None


def new_model(model_cls: type, cfg, seed: int, init: Path | None = None) -> tuple[torch.nn.Module, dict | None]:
    """A freshly seeded model, or one continued from ``init`` (a .safetensors written by a recipe).

    Returns:
        (model, the card of the weights continued from, or None for a fresh model).
    """
    torch.manual_seed(seed)
    model = model_cls(cfg)
    if init is None:
        return model, None
    from safetensors.torch import load_file

    init = Path(init)
    model.load_state_dict({k: v.float() for k, v in load_file(str(init)).items()})
    return model, read_card(init) or {"weights": str(init)}


def optimizer_step(model: torch.nn.Module, opt: torch.optim.Optimizer, loss: torch.Tensor, lr: float,
                   clip: float = 1.0) -> None:
    """One update: set the learning rate, backpropagate, clip the gradient norm, step."""
    set_lr(opt, lr)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
    opt.step()
