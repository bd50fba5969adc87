"""Download a Hugging Face checkpoint folder (needs internet once; huggingface_hub is optional).

Knows nothing about mmviz's registry: ``mmviz.weights`` says which repository, which files and
where they go; ``python -m mmviz.download NAME`` is the command line around it.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

__all__ = ["ALLOW_PATTERNS", "is_downloaded", "is_complete", "fetch"]

#: files every checkpoint needs (weights in safetensors; an old repository may only have the pickle)
ALLOW_PATTERNS = ["config.json", "*.safetensors", "preprocessor_config.json"]


def is_downloaded(path: str | Path) -> bool:
    """True if path holds config.json and weights (model.safetensors or pytorch_model.bin)."""
    p = Path(path)
    return (p / "config.json").is_file() and ((p / "model.safetensors").is_file()
                                              or (p / "pytorch_model.bin").is_file())


def is_complete(path: str | Path, extras: Sequence[str] = ()) -> bool:
    """True when path holds config + weights and every extra file named in ``extras`` (e.g. tokenizer.json)."""
    return is_downloaded(path) and all((Path(path) / f).is_file() for f in extras if "*" not in f)


def fetch(repo_id: str, target: Path, *, extras: Sequence[str] = (), force: bool = False) -> Path:
    """Download one repository's config, weights and ``extras`` into ``target``.

    Args:
        repo_id: a Hugging Face repository id ("facebook/dino-vits16").
        target: the local folder (created; removed again when a first download fails).
        extras: file names the model needs beyond ALLOW_PATTERNS (CLIP's tokenizer.json).
        force: download again even if the files are already present.

    Returns:
        ``target``.

    Raises:
        RuntimeError: huggingface_hub missing, the hub cannot be reached, or files are missing
            after the download (the message is one sentence).
    """
    if is_complete(target, extras) and not force:
        return target
    try:
        from huggingface_hub import snapshot_download
    except ImportError as e:  # optional dependency
        raise RuntimeError("huggingface_hub is not installed: `pip install huggingface_hub`") from e
    existed = target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        snapshot_download(repo_id=repo_id, local_dir=target, allow_patterns=ALLOW_PATTERNS + list(extras),
                          force_download=force)
        if not is_downloaded(target):  # old repositories may only have the PyTorch pickle
            snapshot_download(repo_id=repo_id, local_dir=target, allow_patterns=["pytorch_model.bin"],
                              force_download=force)
    except Exception as e:  # noqa: BLE001 - connection errors come in many types
        if not existed:  # leave no empty or half-filled folder behind
            shutil.rmtree(target, ignore_errors=True)
        raise RuntimeError(f"could not download {repo_id} from the Hugging Face Hub ({type(e).__name__}). "
                           "Are you online?") from e
    if not is_complete(target, extras):
        wanted = ", ".join(["config.json", "weights", *extras])
        raise RuntimeError(f"the download of {repo_id} finished but lacks some of: {wanted}")
    return target
