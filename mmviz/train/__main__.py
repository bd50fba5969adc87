"""CLI: python -m mmviz.train RECIPE [options] — trains an embedded tiny model on this machine.

    python -m mmviz.train vit-tiny --steps 16000 --threads 2

Each recipe writes assets/models/<name>.safetensors and its JSON card (data, steps, held-out
metrics). Add a recipe by adding an entry to RECIPES: name -> (module, function, default steps).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
from pathlib import Path

import torch

from mmviz.train.common import ASSETS

RECIPES: dict[str, tuple[str, str, int]] = {
    "vit-tiny": ("mmviz.train.vit", "train_vit_tiny", 16000),
    "swin-tiny": ("mmviz.train.swin", "train_swin_tiny", 4000),
    "ast-tiny": ("mmviz.train.ast", "train_ast_tiny", 4000),
    "clip-tiny": ("mmviz.train.clip", "train_clip_tiny", 4000),
}


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments and run one recipe; options a recipe does not take are ignored."""
    ap = argparse.ArgumentParser(prog="python -m mmviz.train", description=__doc__.splitlines()[0])
    ap.add_argument("recipe", choices=sorted(RECIPES))
    ap.add_argument("--steps", type=int, default=None, help="default: the recipe's own")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--eval-n", type=int, default=None)
    ap.add_argument("--log-every", type=int, default=250)
    ap.add_argument("--init", type=Path, default=None, help="continue from these weights")
    ap.add_argument("--hard", type=float, default=None, help="clip-tiny: share of hard-negative pairs per batch")
    ap.add_argument("--out", type=Path, default=ASSETS)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    module, fn_name, default_steps = RECIPES[args.recipe]
    fn = getattr(importlib.import_module(module), fn_name)
    given = {"steps": args.steps or default_steps, "batch_size": args.batch_size, "lr": args.lr,
             "warmup": args.warmup, "seed": args.seed, "eval_n": args.eval_n, "log_every": args.log_every,
             "init": args.init, "out": args.out, "hard": args.hard}
    accepted = inspect.signature(fn).parameters
    card = fn(**{k: v for k, v in given.items() if v is not None and k in accepted})
    print(json.dumps(card.get("heldout", {}), indent=2))


if __name__ == "__main__":
    main()
