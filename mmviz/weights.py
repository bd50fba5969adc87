"""Model registry and checkpoint loaders.

Two tiers:
  1. embedded: the tiny ViT trained by `python -m mmviz.train vit-tiny`, shipped in
     assets/models/ (always available, offline); plus "untrained", the same architecture
     with a seeded random init, to compare attention before and after training.
  2. pretrained: Hugging Face checkpoints (DINO ViT-S/16, ViT-B/16) fetched once with
     `python -m mmviz.download NAME` into the local cache (env MMVIZ_CACHE, default
     ~/.cache/mmviz/<name>) and converted into mmviz's ViT by `load_hf`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import torch

from mmviz.vit import HALF, ViT, ViTConfig

__all__ = [
    "ModelSpec",
    "ModelInfo",
    "MODELS",
    "ASSETS",
    "cache_dir",
    "checkpoint_dir",
    "is_downloaded",
    "available_models",
    "load_model",
    "load_embedded",
    "load_hf",
    "load_hf_vit",
    "read_hf_state_dict",
    "read_hf_preprocessor",
    "convert_hf_state_dict",
    "FAMILIES",
    "HF_LOADERS",
    "UnsupportedModelError",
]

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "models"
EMBEDDED_NAME = "vit-tiny-shapes"
UNTRAINED_SEED = 0


class UnsupportedModelError(ValueError):
    """A checkpoint this loader cannot convert (wrong model_type, missing files, odd keys)."""


@dataclass(frozen=True)
class ModelSpec:
    """A registry entry.

    Attributes:
        name: registry key ("vit-tiny-shapes", "untrained", or a Hugging Face repo id).
        tier: "embedded", "untrained" or "pretrained".
        preset: key of the family's PRESETS describing the architecture.
        description: one sentence for the app.
        family: "vit", "swin", "ast" or "clip" (a key of FAMILIES).
        recipe: `python -m mmviz.train RECIPE` that writes an embedded model ("" otherwise).
    """

    name: str
    tier: str
    preset: str
    description: str
    family: str = "vit"
    recipe: str = ""


@dataclass(frozen=True)
class ModelInfo:
    """What the app needs to list a model.

    Attributes:
        name, tier, preset, description, family: as in ModelSpec.
        available: True when it can be loaded now (embedded always; pretrained once downloaded).
        path: file or folder the weights come from (None for "untrained").
        how_to_get: a sentence telling how to make it available ("" when available).
    """

    name: str
    tier: str
    preset: str
    description: str
    family: str
    available: bool
    path: str | None
    how_to_get: str


MODELS: dict[str, ModelSpec] = {
    EMBEDDED_NAME: ModelSpec(EMBEDDED_NAME, "embedded", EMBEDDED_NAME,
                             "Tiny ViT (4 layers, 4 heads, 64 px, 8 px patches) trained by mmviz on generated shapes.",
                             recipe="vit-tiny"),
    "untrained": ModelSpec("untrained", "untrained", EMBEDDED_NAME,
                           "The same tiny ViT with random weights (seeded): attention before any training."),
    "facebook/dino-vits16": ModelSpec("facebook/dino-vits16", "pretrained", "dino-vits16",
                                      "DINO ViT-S/16: self-supervised on ImageNet, famous for object-shaped attention."),
    "google/vit-base-patch16-224": ModelSpec("google/vit-base-patch16-224", "pretrained", "vit-base-patch16-224",
                                             "ViT-B/16: supervised ImageNet-21k, fine-tuned to 1000 ImageNet classes."),
    # Swin transformers (mmviz.swin)
    "swin-tiny-shapes": ModelSpec("swin-tiny-shapes", "embedded", "swin-tiny-shapes",
                                  "Tiny Swin (3 stages, 4 px patches, 4x4 windows, 64 px) trained by mmviz on "
                                  "generated shapes.", family="swin", recipe="swin-tiny"),
    "swin-untrained": ModelSpec("swin-untrained", "untrained", "swin-tiny-shapes",
                                "The same tiny Swin with random weights (seeded): attention before any training.",
                                family="swin"),
    "microsoft/swin-tiny-patch4-window7-224": ModelSpec(
        "microsoft/swin-tiny-patch4-window7-224", "pretrained", "swin-tiny-patch4-window7-224",
        "Swin-T: supervised on ImageNet-1k, 7x7 windows, 1000 classes.", family="swin"),
    # audio spectrogram transformers (mmviz.ast)
    "ast-tiny-sounds": ModelSpec("ast-tiny-sounds", "embedded", "ast-tiny-sounds",
                                 "Tiny AST (4 layers, 4 heads, 64 mel x 2.6 s) trained by mmviz on generated sounds.",
                                 family="ast", recipe="ast-tiny"),
    "ast-untrained": ModelSpec("ast-untrained", "untrained", "ast-tiny-sounds",
                               "The same tiny AST with random weights (seeded): attention before any training.",
                               family="ast"),
    "MIT/ast-finetuned-audioset-10-10-0.4593": ModelSpec(
        "MIT/ast-finetuned-audioset-10-10-0.4593", "pretrained", "ast-audioset",
        "AST fine-tuned on AudioSet: 527 everyday sound labels, 10 s clips.", family="ast"),
    # CLIP dual encoders (mmviz.clip)
    "clip-tiny-shapes": ModelSpec("clip-tiny-shapes", "embedded", "clip-tiny-shapes",
                                  "Tiny CLIP (4-layer ViT + 3-layer text transformer, 64 px) trained by mmviz on "
                                  "generated shapes and their captions.", family="clip", recipe="clip-tiny"),
    "clip-untrained": ModelSpec("clip-untrained", "untrained", "clip-tiny-shapes",
                                "The same tiny CLIP with random weights (seeded): similarities before any training.",
                                family="clip"),
    "openai/clip-vit-base-patch32": ModelSpec(
        "openai/clip-vit-base-patch32", "pretrained", "clip-vit-base-patch32",
        "OpenAI CLIP ViT-B/32: 400 million web image-text pairs, knows everyday words.", family="clip"),
}

# family -> (module, model class, config class, presets dict) -- imported lazily by _family()
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "vit": ("mmviz.vit", "ViT", "ViTConfig", "PRESETS"),
    "swin": ("mmviz.swin", "Swin", "SwinConfig", "PRESETS"),
    "ast": ("mmviz.ast", "AST", "ASTConfig", "PRESETS"),
    "clip": ("mmviz.clip", "CLIP", "CLIPConfig", "PRESETS"),
}

# Hugging Face config.json model_type -> "module:function(path: Path, hf_config: dict, device) -> model"
HF_LOADERS: dict[str, str] = {
    "vit": "mmviz.weights:load_hf_vit",
    "swin": "mmviz.swin.hf:load_hf_swin",
    "audio-spectrogram-transformer": "mmviz.ast:load_hf_ast",
    "clip": "mmviz.clip:load_hf_clip",
}


def _family(family: str) -> tuple[type, type, dict]:
    """(model class, config class, presets) of a family, importing its module on first use."""
    import importlib

    if family not in FAMILIES:
        raise KeyError(f"unknown model family {family!r}; choose from {list(FAMILIES)}")
    module, model_cls, cfg_cls, presets = FAMILIES[family]
    mod = importlib.import_module(module)
    return getattr(mod, model_cls), getattr(mod, cfg_cls), getattr(mod, presets)


def cache_dir() -> Path:
    """Root of the pretrained-checkpoint cache: $MMVIZ_CACHE or ~/.cache/mmviz."""
    return Path(os.environ.get("MMVIZ_CACHE") or Path.home() / ".cache" / "mmviz").expanduser()


def checkpoint_dir(name: str) -> Path:
    """Local folder of a pretrained checkpoint, e.g. ~/.cache/mmviz/facebook/dino-vits16."""
    return cache_dir() / name


def is_downloaded(path: str | Path) -> bool:
    """True if path holds config.json and weights (model.safetensors or pytorch_model.bin)."""
    p = Path(path)
    return (p / "config.json").is_file() and (
        (p / "model.safetensors").is_file() or (p / "pytorch_model.bin").is_file()
    )


def available_models(family: str | None = None) -> list[ModelInfo]:
    """Registry entries with whether each can be loaded now (embedded first).

    Args:
        family: only this family ("vit", "swin", ...); None lists every family.
    """
    out = []
    for spec in MODELS.values():
        if family is not None and spec.family != family:
            continue
        if spec.tier == "embedded":
            path = ASSETS / f"{spec.name}.safetensors"
            ok, hint = path.is_file(), (f"Run `python -m mmviz.train {spec.recipe}` to train it "
                                        f"({path.relative_to(ASSETS.parents[1])} is missing).")
        elif spec.tier == "untrained":
            path, ok, hint = None, True, ""
        else:
            path = checkpoint_dir(spec.name)
            from mmviz.download import is_complete  # noqa: PLC0415 (download imports this module)

            ok = is_complete(spec.name, path)  # config, weights and e.g. CLIP's tokenizer.json
            hint = f"Run `python -m mmviz.download {spec.name}` once (needs internet) to fetch it into {path}."
        out.append(ModelInfo(spec.name, spec.tier, spec.preset, spec.description, spec.family, ok,
                             None if path is None else str(path), "" if ok else hint))
    return out


def load_model(name: str, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load a registry model in eval mode.

    Args:
        name: a key of MODELS.
        device: where to put it.

    Returns:
        the family's mmviz model (ViT, Swin, ...), eval mode, float32.

    Raises:
        KeyError: unknown name.
        FileNotFoundError: a pretrained model that is not downloaded (message says how to get it).
    """
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r}; choose from {list(MODELS)}")
    spec = MODELS[name]
    if spec.tier == "embedded":
        return load_embedded(ASSETS / f"{name}.safetensors", device=device)
    if spec.tier == "untrained":
        model_cls, _, presets = _family(spec.family)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(UNTRAINED_SEED)
            model = model_cls(presets[spec.preset])
        card = ASSETS / f"{spec.preset}.json"  # the trained twin's card names the classes
        names = json.loads(card.read_text()).get("classes") if card.is_file() else None
        if names and len(names) == getattr(model.cfg, "num_classes", len(names)):
            model.class_names = names
        return model.to(device).eval()
    path = checkpoint_dir(name)
    if not is_downloaded(path):
        raise FileNotFoundError(
            f"{name} is not in the local cache ({path}). Run `python -m mmviz.download {name}` once with internet."
        )
    return load_hf(path, device=device)


def load_embedded(path: str | Path, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load an mmviz-trained model: <name>.safetensors plus its <name>.json card.

    Args:
        path: the .safetensors file (weights may be float16; they are cast to float32).
        device: where to put the model.

    Returns:
        the card's family model (ViT when the card names none) in eval mode, with class_names
        from the card.
    """
    from safetensors import safe_open
    from safetensors.torch import load_file

    path = Path(path)
    card_path = path.with_suffix(".json")
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    if "config" in card:
        cfg_dict = card["config"]
    else:
        with safe_open(str(path), framework="pt") as f:
            cfg_dict = json.loads(f.metadata()["config"])
    cfg_dict = {k: tuple(v) if isinstance(v, list) else v for k, v in cfg_dict.items()}
    model_cls, cfg_cls, _ = _family(card.get("family", "vit"))
    # CLIPConfig nests two tower configs and rebuilds them itself
    cfg = cfg_cls.from_dict(cfg_dict) if hasattr(cfg_cls, "from_dict") else cfg_cls(**cfg_dict)
    model = model_cls(cfg)
    state = {k: v.float() for k, v in load_file(str(path)).items()}
    model.load_state_dict(state)
    model.class_names = card.get("classes")
    return model.to(device).eval()


# --- Hugging Face ViT -> mmviz ViT ------------------------------------------------------------

# transformers >= 5 names (layers.i.attention.q_proj ...) -> the classic checkpoint names
_NEW_TO_OLD = [
    (r"^layers\.(\d+)\.", r"encoder.layer.\1."),
    (r"\.attention\.q_proj\.", ".attention.attention.query."),
    (r"\.attention\.k_proj\.", ".attention.attention.key."),
    (r"\.attention\.v_proj\.", ".attention.attention.value."),
    (r"\.attention\.o_proj\.", ".attention.output.dense."),
    (r"\.mlp\.fc1\.", ".intermediate.dense."),
    (r"\.mlp\.fc2\.", ".output.dense."),
]
_OLD_TO_MMVIZ = [
    (r"^embeddings\.cls_token$", "cls_token"),
    (r"^embeddings\.position_embeddings$", "pos_embed"),
    (r"^embeddings\.patch_embeddings\.projection\.", "patch_embed.proj."),
    (r"^encoder\.layer\.(\d+)\.layernorm_before\.", r"blocks.\1.norm1."),
    (r"^encoder\.layer\.(\d+)\.layernorm_after\.", r"blocks.\1.norm2."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.dense\.", r"blocks.\1.attn.proj."),
    (r"^encoder\.layer\.(\d+)\.intermediate\.dense\.", r"blocks.\1.mlp.fc1."),
    (r"^encoder\.layer\.(\d+)\.output\.dense\.", r"blocks.\1.mlp.fc2."),
    (r"^layernorm\.", "norm."),
    (r"^classifier\.", "head."),
]
_QKV = re.compile(r"^encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)\.(weight|bias)$")


def convert_hf_state_dict(sd: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Rename a Hugging Face ViT state dict (ViTModel or ViTForImageClassification) to mmviz.

    query/key/value Linears are concatenated into the fused qkv ((3D, D) weight, q rows first);
    the pooler (unused by ViT classifiers and DINO) and mask token are dropped.

    Args:
        sd: HF tensors, with or without the "vit." prefix.

    Returns:
        state dict for mmviz.vit.ViT.
    """
    out: dict[str, torch.Tensor] = {}
    qkv: dict[tuple[str, str], dict[str, torch.Tensor]] = {}
    for key, t in sd.items():
        k = key[4:] if key.startswith("vit.") else key
        for pat, rep in _NEW_TO_OLD:
            k = re.sub(pat, rep, k)
        if k.startswith(("pooler.", "embeddings.mask_token")):
            continue
        m = _QKV.match(k)
        if m:
            qkv.setdefault((m.group(1), m.group(3)), {})[m.group(2)] = t
            continue
        new = k
        for pat, rep in _OLD_TO_MMVIZ:
            new = re.sub(pat, rep, new)
        if new == k and not k.startswith(("norm.", "head.")):
            raise UnsupportedModelError(f"unexpected key in ViT checkpoint: {key}")
        out[new] = t
    for (layer, kind), parts in qkv.items():
        if set(parts) != {"query", "key", "value"}:
            raise UnsupportedModelError(f"layer {layer}: incomplete q/k/v {kind}")
        out[f"blocks.{layer}.attn.qkv.{kind}"] = torch.cat([parts["query"], parts["key"], parts["value"]], 0)
    return out


def _hf_config_to_mmviz(hf: dict, num_classes: int, pre: dict | None) -> ViTConfig:
    if hf.get("hidden_act", "gelu") != "gelu":
        raise UnsupportedModelError(f"hidden_act {hf['hidden_act']!r} is not supported (only exact 'gelu')")
    size = hf.get("image_size", 224)
    patch = hf.get("patch_size", 16)
    if isinstance(size, (list, tuple)):
        if size[0] != size[1]:
            raise UnsupportedModelError(f"non-square image_size {size} is not supported")
        size = size[0]
    if isinstance(patch, (list, tuple)):
        patch = patch[0]
    mean, std = HALF, HALF
    if pre:
        mean = tuple(float(v) for v in pre.get("image_mean", mean))
        std = tuple(float(v) for v in pre.get("image_std", std))
    dim = hf.get("hidden_size", 768)
    return ViTConfig(
        image_size=int(size), patch_size=int(patch), in_chans=hf.get("num_channels", 3), dim=dim,
        depth=hf.get("num_hidden_layers", 12), num_heads=hf.get("num_attention_heads", 12),
        mlp_ratio=hf.get("intermediate_size", 4 * dim) / dim, qkv_bias=hf.get("qkv_bias", True),
        layer_norm_eps=hf.get("layer_norm_eps", 1e-12), num_classes=num_classes,
        image_mean=mean, image_std=std,
    )


def load_hf(path: str | Path, *, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load a local Hugging Face checkpoint folder as the matching mmviz model.

    Reads config.json's model_type and hands over to its converter in HF_LOADERS ("vit" for
    ViT and DINO here; Swin, AST and CLIP live next to their models).

    Args:
        path: folder with config.json and the weights (model.safetensors or pytorch_model.bin).
        device: where to put the model.

    Returns:
        the mmviz model in eval mode.

    Raises:
        FileNotFoundError: missing config or weights.
        UnsupportedModelError: a model_type mmviz cannot convert, or keys that do not map.
    """
    import importlib

    path = Path(path)
    cfg_file = path / "config.json"
    if not cfg_file.is_file():
        raise FileNotFoundError(f"{path} has no config.json: not a Hugging Face checkpoint folder")
    hf = json.loads(cfg_file.read_text())
    model_type = hf.get("model_type")
    if model_type not in HF_LOADERS:
        raise UnsupportedModelError(
            f"model_type {model_type!r} is not supported by mmviz.weights.load_hf (supported: {sorted(HF_LOADERS)})"
        )
    module, fn = HF_LOADERS[model_type].split(":")
    return getattr(importlib.import_module(module), fn)(path, hf, device)


def read_hf_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Tensors of a local HF checkpoint folder (model.safetensors, else pytorch_model.bin)."""
    if (path / "model.safetensors").is_file():
        from safetensors.torch import load_file

        return load_file(str(path / "model.safetensors"))
    if (path / "pytorch_model.bin").is_file():
        return torch.load(path / "pytorch_model.bin", map_location="cpu", weights_only=True)
    raise FileNotFoundError(f"{path} has neither model.safetensors nor pytorch_model.bin")


def read_hf_preprocessor(path: Path) -> dict | None:
    """The folder's preprocessor_config.json as a dict, or None when it has none."""
    p = Path(path) / "preprocessor_config.json"
    return json.loads(p.read_text()) if p.is_file() else None


def load_hf_vit(path: Path, hf: dict, device: str | torch.device = "cpu") -> ViT:
    """Convert a local Hugging Face ViT / DINO checkpoint into an mmviz ViT.

    Args:
        path: checkpoint folder; preprocessor_config.json, when present, supplies image_mean / image_std.
        hf: its parsed config.json.
        device: where to put the model.

    Returns:
        ViT in eval mode; has a head (and class_names from id2label) when the checkpoint is a
        ViTForImageClassification.
    """
    sd = read_hf_state_dict(path)
    pre = read_hf_preprocessor(path)

    state = convert_hf_state_dict(sd)
    num_classes = state["head.weight"].shape[0] if "head.weight" in state else 0
    cfg = _hf_config_to_mmviz(hf, num_classes, pre)
    n_pos = state["pos_embed"].shape[1] - 1
    if n_pos != cfg.num_patches:  # trust the tensors over the config's image_size
        cfg = replace(cfg, image_size=int(round(n_pos**0.5)) * cfg.patch_size)
    model = ViT(cfg)
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
    if missing or unexpected:
        raise UnsupportedModelError(f"checkpoint does not fit mmviz ViT: missing {missing}, unexpected {unexpected}")
    if num_classes and "id2label" in hf:
        labels = hf["id2label"]
        model.class_names = [labels.get(str(i), str(i)) for i in range(num_classes)]
    return model.to(device).eval()
