"""Hugging Face checkpoint folders -> mmviz models, one converter per family.

``load_hf(folder)`` reads config.json's ``model_type`` and hands over to the family's converter
(``vit``, ``swin``, ``ast``, ``clip``, ``gpt2``, ``bert``, ``marian``), each proven equal to
``transformers`` by the parity tests.
``fetch`` downloads a folder from the hub (the registry in ``mmviz.weights`` decides what and where).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import torch

from mmviz.hf.common import UnsupportedModelError, read_config

__all__ = ["HF_LOADERS", "load_hf", "UnsupportedModelError"]

#: config.json model_type -> "module:function(path: Path, hf_config: dict, device) -> model"
HF_LOADERS: dict[str, str] = {
    "vit": "mmviz.hf.vit:load_hf_vit",
    "swin": "mmviz.hf.swin:load_hf_swin",
    "audio-spectrogram-transformer": "mmviz.hf.ast:load_hf_ast",
    "clip": "mmviz.hf.clip:load_hf_clip",
    "gpt2": "mmviz.hf.gpt2:load_hf_gpt2",
    "bert": "mmviz.hf.bert:load_hf_bert",
    "marian": "mmviz.hf.marian:load_hf_marian",
}


def load_hf(path: str | Path, *, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load a local Hugging Face checkpoint folder as the matching mmviz model.

    Args:
        path: folder with config.json and the weights (model.safetensors or pytorch_model.bin).
        device: where to put the model.

    Returns:
        the mmviz model in eval mode, float32.

    Raises:
        FileNotFoundError: missing config or weights.
        UnsupportedModelError: a model_type mmviz cannot convert, or keys that do not map.
    """
    path = Path(path)
    hf = read_config(path)
    model_type = hf.get("model_type")
    if model_type not in HF_LOADERS:
        raise UnsupportedModelError(
            f"model_type {model_type!r} is not supported by mmviz (supported: {sorted(HF_LOADERS)})")
    module, fn = HF_LOADERS[model_type].split(":")
    return getattr(importlib.import_module(module), fn)(path, hf, device)
