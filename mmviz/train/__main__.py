"""CLI: python -m mmviz.train RECIPE [options] — trains an embedded tiny model on this machine.

    python -m mmviz.train vit-tiny --steps 2500 --threads 2

Each recipe writes assets/models/<name>.safetensors and its JSON card (data, steps, held-out
metrics). Add a recipe by adding an entry to RECIPES: name -> (module, function); the module's
DEFAULTS hold its own steps, batch size and learning rate.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
from pathlib import Path

import torch

from mmviz.train.common import Options

#: recipe name -> (module, function[, fixed keyword arguments]); each module's DEFAULTS (an Options) holds its
#: steps, batch size, ...
RECIPES: dict[str, tuple] = {
    "vit-tiny": ("mmviz.train.vit", "train_vit_tiny"),
    "swin-tiny": ("mmviz.train.swin", "train_swin_tiny"),
    "ast-tiny": ("mmviz.train.ast", "train_ast_tiny"),
    "clip-tiny": ("mmviz.train.clip", "train_clip_tiny"),
    "vq-tiny": ("mmviz.train.vq", "train_vq_tiny"),
    "gpt-tiny": ("mmviz.train.gpt", "train_gpt_tiny"),
    "bert-tiny": ("mmviz.train.bert", "train_bert_tiny"),
    "encdec-tiny": ("mmviz.train.encdec", "train_encdec_tiny"),
    "kind-judge": ("mmviz.train.judge", "train_kind_judge"),
    "dalle-tiny": ("mmviz.train.imagegen", "train_dalle_tiny"),
    "parti-tiny": ("mmviz.train.imagegen", "train_parti_tiny"),
    **{f"fusion-{k}": ("mmviz.train.fusion", "train_fusion", {"strategy": k}) for k in "abcdef"},
}


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and run one recipe; an option a recipe does not take is refused."""
    ap = argparse.ArgumentParser(prog="python -m mmviz.train", description=__doc__.splitlines()[0])
    ap.add_argument("recipe", choices=sorted(RECIPES))
    ap.add_argument("--steps", type=int, default=None, help="default: the recipe's own (its DEFAULTS)")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--eval-n", type=int, default=None)
    ap.add_argument("--eval-every", type=int, default=None)
    ap.add_argument("--log-every", type=int, default=250)
    ap.add_argument("--init", type=Path, default=None, help="continue from these weights")
    ap.add_argument("--hard", type=float, default=None, help="clip-tiny: share of hard-negative pairs per batch")
    ap.add_argument("--perceptual", type=float, default=None, help="vq-tiny: weight of the perceptual loss")
    ap.add_argument("--out", type=Path, default=None, help="default: assets/models")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    module, fn_name, *fixed = RECIPES[args.recipe]
    fn = getattr(importlib.import_module(module), fn_name)
    given = {k: v for k, v in vars(args).items() if v is not None and k not in ("recipe", "threads")}
    own = [k for k in given if k not in Options.__dataclass_fields__]
    refused = [k for k in own if k not in inspect.signature(fn).parameters]
    if refused:
        ap.error(f"{args.recipe} does not take --{', --'.join(k.replace('_', '-') for k in refused)}")
    card = fn(**(fixed[0] if fixed else {}), **given)
    print(json.dumps(card.get("heldout", {}), indent=2))


if __name__ == "__main__":
    main()
