"""The one training loop of mmviz (``fit``) and the model card it writes.

A recipe (vit.py, swin.py, ast.py, clip.py, ...) supplies only what is its own: the data and loss of
one step, the held-out evaluation, and the card's task / data / loss text. ``fit`` does the rest
the same way for every model: seeding or continuing, AdamW + warmup/cosine, gradient clipping,
running averages in the log, held-out probes, timing, phases (a continued run lists the earlier
ones), and writing ``<name>.safetensors`` (float16) + ``<name>.json``.

Every card has the same top-level keys (CARD_KEYS); what only one family reports goes in ``extra``.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from pathlib import Path

import torch

from mmviz.optim import adamw, cosine_lr, optimizer_step
from mmviz.weights import ASSETS, embedded_state, read_card, shared_weights

__all__ = ["ASSETS", "HELDOUT_SEED", "PROBE_SEED", "CARD_KEYS", "RECIPE_KEYS", "PHASE_KEYS", "Options", "Run",
           "options", "new_model", "fit", "save_model", "read_card"]

#: the data seed of every card's held-out evaluation (no recipe trains on it: training seeds are
#: seed * 1_000_003 + step), and of the quick probes printed while training
HELDOUT_SEED = 987_654
PROBE_SEED = 555_555

#: top-level keys of every model card, whatever the family
CARD_KEYS = ("name", "config", "family", "architecture", "classes", "task", "data", "recipe", "train_wall_time_s",
             "phases", "heldout", "extra", "weights_dtype", "date", "torch")
#: keys of every card's "recipe"
RECIPE_KEYS = ("optimizer", "lr", "betas", "weight_decay", "schedule", "steps", "batch_size", "loss",
               "label_smoothing", "grad_clip", "augment", "seed", "threads", "device", "init")
#: keys of every entry of a card's "phases" (a recipe may add its own, e.g. "curriculum")
PHASE_KEYS = ("steps", "lr", "warmup", "seed", "init", "wall_time_s", "heldout")


@dataclass(frozen=True)
class Options:
    """What a person may change when running a recipe (``python -m mmviz.train NAME --steps ...``).

    Each recipe has its own defaults (``DEFAULTS = Options(steps=4000, ...)``) and takes overrides
    as keyword arguments: ``train_vit_tiny(steps=3, out=tmp)``.

    Attributes:
        steps, batch_size, lr, weight_decay, warmup, seed: the optimisation.
        out: output folder.
        log_every: print the running averages every this many steps.
        eval_n: held-out samples for the card.
        eval_every: run the quick probe every this many steps (0 = never).
        init: continue from these weights (a .safetensors written by the recipe); None = from scratch.
    """

    steps: int = 4000
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.05
    warmup: int = 200
    seed: int = 0
    out: Path = ASSETS
    log_every: int = 50
    eval_n: int = 2000
    eval_every: int = 500
    init: Path | None = None


def options(defaults: Options, overrides: dict) -> Options:
    """``defaults`` with the given overrides (``init`` as a Path); unknown names raise TypeError."""
    unknown = set(overrides) - set(Options.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown training options {sorted(unknown)}")
    if overrides.get("init") is not None:
        overrides = {**overrides, "init": Path(overrides["init"])}
    return replace(defaults, **overrides)


@dataclass
class Run:
    """The card text that is a recipe's own, and a few fixed settings.

    Attributes:
        name: file stem of the weights and card (the registry name).
        family: registry family ("vit", "swin", "ast", "clip", ...).
        task: one sentence: what the model learns.
        data: how the training and held-out data are made (generator, seeds, curriculum...).
        loss: the loss in words.
        label_smoothing: of the cross-entropy, None when the loss has none.
        augment: the augmentation in words.
        classes: class names (None when the model does not classify).
        phase: recipe-specific fields of this phase (e.g. {"curriculum": True}).
        extra: recipe-specific card fields, or a function of the trained model that returns them
            (e.g. CLIP's learned logit scale).
        grad_clip: gradient-norm clip.
    """

    name: str
    family: str
    task: str
    data: dict
    loss: str
    label_smoothing: float | None = None
    augment: str = "none"
    classes: list[str] | None = None
    phase: dict = field(default_factory=dict)
    extra: dict | Callable[[torch.nn.Module], dict] = field(default_factory=dict)
    grad_clip: float = 1.0


def new_model(model_cls: type, cfg, seed: int, init: Path | None = None) -> tuple[torch.nn.Module, dict | None]:
    """A freshly seeded model, or one continued from ``init`` (a .safetensors written by a recipe).

    Returns:
        (model, the card of the weights continued from, or None for a fresh model).
    """
    torch.manual_seed(seed)
    model = model_cls(cfg)
    if init is None:
        return model, None
    init = Path(init)
    model.load_state_dict(embedded_state(init))
    return model, read_card(init) or {"weights": init.name}


def _fmt(v) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def fit(model: torch.nn.Module, step_fn: Callable[[int], tuple[torch.Tensor, dict]], run: Run, opts: Options, *,
        evaluate: Callable[[torch.nn.Module], dict], probe: Callable[[torch.nn.Module], object] | None = None,
        previous: dict | None = None, after_step: Callable[[], None] | None = None,
        summary: Callable[[dict], dict] | None = None) -> dict:
    """Train ``model`` for ``opts.steps`` steps, evaluate it on held-out data and write weights + card.

    Every step: ``model.train()``, ``loss, logs = step_fn(step)`` (fresh data, forward, loss),
    one AdamW update at the warmup/cosine learning rate with the gradient clipped, then
    ``after_step()`` (e.g. clamping CLIP's temperature). The log prints running averages
    (0.98 / 0.02) of the loss and of every value in ``logs``.

    Args:
        model: the module (seeded or continued, see new_model).
        step_fn: step index -> (scalar loss tensor, dict of floats to log such as {"acc": 0.9}).
        run: the recipe's card text.
        opts: the options of this run (steps, learning rate, ..., init).
        evaluate: the final held-out evaluation (its dict becomes the card's "heldout").
        probe: a quick evaluation printed every ``opts.eval_every`` steps.
        previous: the card of the weights ``opts.init`` continues from (its phases come first).
        after_step: called after every update.
        summary: held-out dict -> what this phase's entry keeps (default: the whole dict).

    Returns:
        the card (also written as JSON next to the weights).
    """
    o, init = opts, opts.init
    opt = adamw(model, o.lr, o.weight_decay)
    t0 = time.time()
    running: dict[str, float] = {}
    for step in range(o.steps):
        model.train()
        rate = cosine_lr(step, o.steps, o.lr, o.warmup)
        loss, logs = step_fn(step)
        optimizer_step(model, opt, loss, rate, clip=run.grad_clip)
        if after_step is not None:
            after_step()
        logs = {"loss": loss.item(), **logs}
        running = {k: 0.98 * running[k] + 0.02 * v if step else v for k, v in logs.items()}
        if step % o.log_every == 0 or step == o.steps - 1:
            el = time.time() - t0
            print(f"step {step:5d}/{o.steps} " + " ".join(f"{k} {_fmt(v)}" for k, v in running.items())
                  + f" lr {rate:.2e} {el:6.0f}s ({el / (step + 1):.3f}s/step)", flush=True)
        if probe is not None and o.eval_every and step and step % o.eval_every == 0:
            model.eval()
            print(f"  probe @ {step}:", probe(model), flush=True)
    wall = time.time() - t0
    model.eval()
    metrics = evaluate(model)
    print("held-out:", metrics, flush=True)
    phase = {"steps": o.steps, "lr": o.lr, "warmup": o.warmup, "seed": o.seed,
             "init": Path(init).name if init else None, "wall_time_s": round(wall, 1),
             "heldout": (summary or (lambda m: m))(metrics), **run.phase}
    card = {
        "family": run.family,
        "architecture": f"{type(model).__module__}.{type(model).__name__}",
        "classes": run.classes,
        "task": run.task,
        "data": run.data,
        "recipe": {"optimizer": "AdamW", "lr": o.lr, "betas": [0.9, 0.99], "weight_decay": o.weight_decay,
                   "schedule": f"linear warmup {o.warmup} steps, cosine to 0", "steps": o.steps,
                   "batch_size": o.batch_size, "loss": run.loss, "label_smoothing": run.label_smoothing,
                   "grad_clip": run.grad_clip, "augment": run.augment, "seed": o.seed,
                   "threads": torch.get_num_threads(), "device": str(next(model.parameters()).device.type),
                   "init": Path(init).name if init else None},
        "train_wall_time_s": round(wall + (previous or {}).get("train_wall_time_s", 0.0), 1),
        "phases": (previous or {}).get("phases", []) + [phase],
        "heldout": metrics,
        "extra": run.extra(model) if callable(run.extra) else run.extra,
    }
    return save_model(model, model.cfg, card, o.out, run.name)


def save_model(model: torch.nn.Module, cfg, card: dict, out: Path, name: str) -> dict:
    """Write <out>/<name>.safetensors (float16, config in the metadata) and <out>/<name>.json.

    Args:
        model: trained module.
        cfg: its frozen dataclass config (stored in the safetensors metadata and the card).
        card: the card's fields (see fit).
        out: output folder (created).
        name: file stem.

    Returns:
        the full card, with name, config, weights dtype, date and torch version added, keys in CARD_KEYS order.
    """
    from safetensors.torch import save_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = asdict(cfg) if is_dataclass(cfg) else dict(cfg)
    shared = tuple(f"{prefix}." for prefix in shared_weights(card))  # stored in their own model's file
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()
             if not k.startswith(shared)}
    save_file(state, str(out / f"{name}.safetensors"), metadata={"format": "pt", "config": json.dumps(config)})
    full = {"name": name, "config": config, **card, "weights_dtype": "float16",
            "date": _dt.date.today().isoformat(), "torch": torch.__version__}
    full = {k: full.get(k) for k in CARD_KEYS} | {k: v for k, v in full.items() if k not in CARD_KEYS}
    (out / f"{name}.json").write_text(json.dumps(full, indent=2) + "\n")
    return full
