"""Fetch a pretrained checkpoint into mmviz's local cache (needs internet once).

    python -m mmviz.download facebook/dino-vits16
    python -m mmviz.download google/vit-base-patch16-224
    python -m mmviz.download openai/clip-vit-base-patch32

Files land in $MMVIZ_CACHE/<name> (default ~/.cache/mmviz/<name>); huggingface_hub shows a
progress bar. Afterwards the app lists the model and mmviz.weights.load_model(name) works offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mmviz.hf.fetch import fetch
from mmviz.weights import checkpoint_dir, embedded_twin, extra_files, pretrained_names

__all__ = ["download", "main"]


def download(name: str, *, force: bool = False) -> Path:
    """Download one pretrained registry model into the cache.

    Args:
        name: a pretrained registry name (a Hugging Face repo id), see mmviz.weights.pretrained_names().
        force: download again even if the files are already present.

    Returns:
        the local folder (config.json + weights [+ preprocessor_config.json] [+ the family's extras]).

    Raises:
        ValueError: name not in the registry.
        RuntimeError: huggingface_hub missing, or the hub cannot be reached (the message says what
            works offline instead).
    """
    if name not in pretrained_names():
        raise ValueError(f"unknown pretrained model {name!r}; choose from {pretrained_names()}")
    try:
        return fetch(name, checkpoint_dir(name), extras=extra_files(name), force=force)
    except RuntimeError as e:
        raise RuntimeError(f"{e} The embedded model ({embedded_twin(name)}) works without internet.") from e


def main(argv: list[str] | None = None) -> int:
    """CLI: python -m mmviz.download NAME [--force]. Returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m mmviz.download", description="Fetch a pretrained checkpoint.")
    ap.add_argument("name", choices=pretrained_names())
    ap.add_argument("--force", action="store_true", help="download again even if present")
    args = ap.parse_args(argv)
    try:
        path = download(args.name, force=args.force)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{args.name} is ready in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
