"""What every Hugging Face converter shares: reading a checkpoint folder, renaming keys, fusing
query/key/value, and building the mmviz model from the converted tensors.

A converter (``mmviz.hf.vit``, ``swin``, ``ast``, ``clip``) only knows its family's key names and
config fields; reading files and the last steps (load, check, labels, device) are done here once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

import torch

__all__ = ["UnsupportedModelError", "read_config", "read_state_dict", "read_preprocessor", "rename", "fuse_qkv",
           "convert_keys", "square", "check_act", "build"]


class UnsupportedModelError(ValueError):
    """A checkpoint mmviz cannot convert (wrong model_type, missing files, odd keys)."""


def read_config(path: str | Path) -> dict:
    """A checkpoint folder's config.json as a dict.

    Raises:
        FileNotFoundError: the folder has no config.json (not a Hugging Face checkpoint folder).
    """
    cfg_file = Path(path) / "config.json"
    if not cfg_file.is_file():
        raise FileNotFoundError(f"{Path(path).name} has no config.json: not a Hugging Face checkpoint folder")
    return json.loads(cfg_file.read_text())


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """Tensors of a local checkpoint folder (model.safetensors, else pytorch_model.bin)."""
    path = Path(path)
    if (path / "model.safetensors").is_file():
        from safetensors.torch import load_file

        return load_file(str(path / "model.safetensors"))
    if (path / "pytorch_model.bin").is_file():
        return torch.load(path / "pytorch_model.bin", map_location="cpu", weights_only=True)
    raise FileNotFoundError(f"{path.name} has neither model.safetensors nor pytorch_model.bin")


def read_preprocessor(path: str | Path) -> dict | None:
    """The folder's preprocessor_config.json as a dict, or None when it has none."""
    p = Path(path) / "preprocessor_config.json"
    return json.loads(p.read_text()) if p.is_file() else None


def rename(key: str, rules: list[tuple[str, str]]) -> str:
    """Apply (regex, replacement) rules to a key, in order."""
    for pat, rep in rules:
        key = re.sub(pat, rep, key)
    return key


def fuse_qkv(parts: dict[tuple, dict[str, torch.Tensor]], target: Callable[[tuple], str],
             names: tuple[str, str, str] = ("query", "key", "value")) -> dict[str, torch.Tensor]:
    """Concatenate separate q / k / v Linears into mmviz's fused ``qkv`` (q rows first).

    Args:
        parts: (layer id..., "weight" | "bias") -> {name: tensor}, collected by a converter.
        target: maps that key to the mmviz name, e.g. ``blocks.3.attn.qkv.weight``.
        names: how the checkpoint names q, k and v.

    Returns:
        mmviz name -> (3D, D) weight or (3D,) bias.

    Raises:
        UnsupportedModelError: a layer lacks one of q, k, v.
    """
    out = {}
    for key, got in sorted(parts.items()):
        if set(got) != set(names):
            raise UnsupportedModelError(f"{key}: incomplete q/k/v (has {sorted(got)})")
        out[target(key)] = torch.cat([got[n] for n in names], 0)
    return out


def convert_keys(sd: dict[str, torch.Tensor], *, family: str, rules: list[tuple[str, str]], qkv: re.Pattern,
                 qkv_target: Callable[[tuple], str], prefix: str = "", pre_rules: list[tuple[str, str]] = (),
                 drop: tuple[str, ...] = (), refuse: tuple[tuple[str, str], ...] = (),
                 kept: tuple[str, ...] = ("norm.", "head.")) -> dict[str, torch.Tensor]:
    """The key conversion the encoders share: strip the model prefix, map transformers-5 names to the
    hub's (``pre_rules``), drop what mmviz recomputes, collect q / k / v to fuse, rename the rest.

    Args:
        sd: the checkpoint's tensors.
        family: for messages ("ViT", "Swin").
        rules: hub name -> mmviz name (regex, replacement).
        qkv: matches a q/k/v Linear; its groups are the layer ids (ints), then which of q/k/v, then
            weight/bias.
        qkv_target: (layer ids..., "weight" | "bias") -> the fused mmviz name.
        prefix: stripped when present ("vit.", "swin.").
        pre_rules: applied first (transformers >= 5 module names -> hub names).
        drop: regexes of keys to leave out (pooler, mask token, buffers).
        refuse: (regex, message) of keys mmviz cannot convert.
        kept: prefixes of keys whose names are already mmviz's.

    Returns:
        the mmviz state dict.

    Raises:
        UnsupportedModelError: a refused or unexpected key, or incomplete q/k/v.
    """
    out: dict[str, torch.Tensor] = {}
    parts: dict[tuple, dict[str, torch.Tensor]] = {}
    for key, t in sd.items():
        k = rename(key[len(prefix):] if prefix and key.startswith(prefix) else key, list(pre_rules))
        if any(re.search(d, k) for d in drop):
            continue
        for pattern, message in refuse:
            if re.search(pattern, k):
                raise UnsupportedModelError(message)
        m = qkv.match(k)
        if m:
            *ids, which, kind = m.groups()
            parts.setdefault((*map(int, ids), kind), {})[which] = t
            continue
        new = rename(k, rules)
        if new == k and not k.startswith(kept):
            raise UnsupportedModelError(f"unexpected key in {family} checkpoint: {key}")
        out[new] = t
    out.update(fuse_qkv(parts, qkv_target))
    return out


def square(v, what: str) -> int:
    """An int from a size that may be given per axis ([224, 224]); non-square sizes are refused."""
    if isinstance(v, (list, tuple)):
        if len(set(v)) != 1:
            raise UnsupportedModelError(f"non-square {what} {list(v)} is not supported")
        v = v[0]
    return int(v)


def check_act(act: str, allowed=("gelu",), where: str = "") -> str:
    """The activation name, or UnsupportedModelError when mmviz does not implement it exactly."""
    if act not in allowed:
        raise UnsupportedModelError(f"{where}hidden_act {act!r} is not supported (only {sorted(allowed)})")
    return act


def build(model_cls: type, cfg, state: dict[str, torch.Tensor], *, family: str, hf: dict | None = None,
          device: str | torch.device = "cpu") -> torch.nn.Module:
    """The loader tail: build the model, load the converted tensors strictly, name the classes.

    Args:
        model_cls: the mmviz model class.
        cfg: its config.
        state: converted tensors (any float dtype; cast to float32).
        family: for the error message ("ViT", "Swin", ...).
        hf: the checkpoint's config.json; its id2label names the classes of a classifier head.
        device: where to put the model.

    Returns:
        the model in eval mode, float32, with ``class_names`` when the checkpoint has a head.

    Raises:
        UnsupportedModelError: shapes that do not fit, missing or unexpected keys.
    """
    model = model_cls(cfg)
    try:
        missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    except RuntimeError as e:  # shape mismatches
        raise UnsupportedModelError(f"checkpoint does not fit mmviz {family} built from its config.json: {e}") from e
    if missing or unexpected:
        raise UnsupportedModelError(f"checkpoint does not fit mmviz {family}: missing {missing}, unexpected {unexpected}")
    n = getattr(cfg, "num_classes", 0)
    if n and hf and "id2label" in hf:
        labels = hf["id2label"]
        model.class_names = [labels.get(str(i), str(i)) for i in range(n)]
    return model.to(device).eval()
