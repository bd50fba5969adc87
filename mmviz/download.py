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

from mmviz.weights import MODELS, checkpoint_dir, is_downloaded

__all__ = ["ALLOW_PATTERNS", "FAMILY_PATTERNS", "allow_patterns", "is_complete", "pretrained_names", "download",
           "main"]

ALLOW_PATTERNS = ["config.json", "*.safetensors", "preprocessor_config.json"]
# files a family needs on top of ALLOW_PATTERNS (CLIP reads prompts with the checkpoint's BPE)
FAMILY_PATTERNS: dict[str, list[str]] = {"clip": ["tokenizer.json"]}


def allow_patterns(name: str) -> list[str]:
    """File patterns fetched for a pretrained registry name (its family's extras included)."""
    return ALLOW_PATTERNS + FAMILY_PATTERNS.get(MODELS[name].family, [])


def is_complete(name: str, path: Path) -> bool:
    """True when path holds config + weights and every extra file the model's family needs."""
    extras = [p for p in FAMILY_PATTERNS.get(MODELS[name].family, []) if "*" not in p]
    return is_downloaded(path) and all((Path(path) / f).is_file() for f in extras)


def _embedded_twin(name: str) -> str:
    """The embedded model of the same family (what works offline instead)."""
    family = MODELS[name].family
    return next((n for n, s in MODELS.items() if s.tier == "embedded" and s.family == family), "vit-tiny-shapes")


def pretrained_names() -> list[str]:
    """Registry names that can be downloaded."""
    return [n for n, s in MODELS.items() if s.tier == "pretrained"]


def download(name: str, *, force: bool = False) -> Path:
    """Download one pretrained checkpoint into the cache.

    Args:
        name: a pretrained registry name (a Hugging Face repo id), see pretrained_names().
        force: download again even if the files are already present.

    Returns:
        the local folder (config.json + model.safetensors [+ preprocessor_config.json]
        [+ tokenizer.json for CLIP]).

    Raises:
        ValueError: name not in the registry.
        RuntimeError: huggingface_hub missing, or the hub cannot be reached (message says so).
    """
    if name not in pretrained_names():
        raise ValueError(f"unknown pretrained model {name!r}; choose from {pretrained_names()}")
    target = checkpoint_dir(name)
    if is_complete(name, target) and not force:
        return target
    try:
        from huggingface_hub import snapshot_download
    except ImportError as e:  # optional dependency
        raise RuntimeError("huggingface_hub is not installed: `pip install huggingface_hub`") from e
    target.mkdir(parents=True, exist_ok=True)
    try:
        snapshot_download(repo_id=name, local_dir=target, allow_patterns=allow_patterns(name),
                          force_download=force)
        if not is_downloaded(target):  # old repos may only have the PyTorch pickle
            snapshot_download(repo_id=name, local_dir=target, allow_patterns=["pytorch_model.bin"],
                              force_download=force)
    except Exception as e:  # noqa: BLE001 - connection errors come in many types
        raise RuntimeError(
            f"could not download {name} from the Hugging Face Hub ({type(e).__name__}: {e}). "
            f"Are you online? The embedded model ({_embedded_twin(name)}) works without internet."
        ) from e
    if not is_complete(name, target):
        wanted = ", ".join(["config.json", "weights"] + FAMILY_PATTERNS.get(MODELS[name].family, []))
        raise RuntimeError(f"download of {name} finished but {target} lacks some of: {wanted}")
    return target


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
