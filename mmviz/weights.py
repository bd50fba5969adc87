"""The model registry and the public entry to every model: ``load_model``, ``available_models``, ``load_hf``.

Three tiers per family:
  1. embedded: tiny models trained by ``python -m mmviz.train RECIPE`` and shipped in assets/models/
     as ``<name>.safetensors`` + ``<name>.json`` (the card); always available, offline.
  2. untrained: the embedded architecture with a seeded random init, to compare before and after.
  3. pretrained: Hugging Face checkpoints fetched once with ``python -m mmviz.download NAME`` into the
     local cache ($MMVIZ_CACHE, default ~/.cache/mmviz/<name>) and converted by ``mmviz.hf``.

This module decides what exists and where; reading Hugging Face folders lives in ``mmviz.hf``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import torch

from mmviz import i18n
from mmviz.hf import UnsupportedModelError, load_hf
from mmviz.hf.fetch import is_complete, is_downloaded
from mmviz.models.fusion import STRATEGIES

__all__ = [
    "ModelSpec", "ModelInfo", "MODELS", "FAMILIES", "ASSETS", "EMBEDDED_NAME", "UNTRAINED_SEED",
    "cache_dir", "checkpoint_dir", "extra_files", "is_downloaded", "available_models", "load_model",
    "load_embedded", "read_card", "pretrained_names", "embedded_twin", "load_hf", "UnsupportedModelError",
]

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "models"
EMBEDDED_NAME = "vit-tiny-shapes"
UNTRAINED_SEED = 0


@dataclass(frozen=True)
class ModelSpec:
    """A registry entry.

    Attributes:
        name: registry key ("vit-tiny-shapes", "untrained", or a Hugging Face repo id).
        tier: "embedded", "untrained" or "pretrained".
        preset: key of the family's PRESETS describing the architecture.
        description: one sentence for the app.
        family: a key of FAMILIES ("vit", "swin", "ast", "clip").
        recipe: ``python -m mmviz.train RECIPE`` writes an embedded model ("" otherwise).
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
        available: True when it can be loaded now (embedded when its file exists; pretrained once downloaded).
        path: file or folder the weights come from (None for "untrained").
        how_to_get: one sentence telling how to make it available ("" when available).
    """

    name: str
    tier: str
    preset: str
    description: str
    family: str
    available: bool
    path: str | None
    how_to_get: str


def _spec(name, tier, preset, family="vit", recipe=""):
    return name, ModelSpec(name, tier, preset, i18n.text(f"models.{name}"), family, recipe)


def describe(name: str, lang: str = i18n.DEFAULT) -> str:
    """A registered model's sentence in ``lang`` (``ModelSpec.description`` is the English)."""
    return i18n.text(f"models.{name}", lang)


def _hint(spec: ModelSpec, lang: str = i18n.DEFAULT) -> str:
    """The command that makes ``spec`` available (embedded: train it; pretrained: download it), in ``lang``."""
    if spec.tier == "embedded":
        return i18n.text("models.train_hint", lang, recipe=spec.recipe, file=f"assets/models/{spec.name}.safetensors")
    return i18n.text("common.fetch_cmd", lang, name=spec.name) if spec.tier == "pretrained" else ""


def how_to_get(info: ModelInfo, lang: str = i18n.DEFAULT) -> str:
    """``info.how_to_get`` in ``lang``: how to make a missing model available ("" when it is available)."""
    return "" if info.available else _hint(MODELS[info.name], lang)


MODELS: dict[str, ModelSpec] = dict([  # each model's sentence is the catalogue's "models.<name>" (mmviz.i18n)
    # Vision Transformers (mmviz.models.vit)
    _spec(EMBEDDED_NAME, "embedded", EMBEDDED_NAME, recipe="vit-tiny"),
    _spec("untrained", "untrained", EMBEDDED_NAME),
    _spec("facebook/dino-vits16", "pretrained", "dino-vits16"),
    _spec("google/vit-base-patch16-224", "pretrained", "vit-base-patch16-224"),
    # Swin transformers (mmviz.models.swin)
    _spec("swin-tiny-shapes", "embedded", "swin-tiny-shapes", "swin", "swin-tiny"),
    _spec("swin-untrained", "untrained", "swin-tiny-shapes", "swin"),
    _spec("microsoft/swin-tiny-patch4-window7-224", "pretrained", "swin-tiny-patch4-window7-224", "swin"),
    # audio spectrogram transformers (mmviz.models.ast)
    _spec("ast-tiny-sounds", "embedded", "ast-tiny-sounds", "ast", "ast-tiny"),
    _spec("ast-untrained", "untrained", "ast-tiny-sounds", "ast"),
    _spec("MIT/ast-finetuned-audioset-10-10-0.4593", "pretrained", "ast-audioset", "ast"),
    # CLIP dual encoders (mmviz.models.clip)
    _spec("clip-tiny-shapes", "embedded", "clip-tiny-shapes", "clip", "clip-tiny"),
    _spec("clip-untrained", "untrained", "clip-tiny-shapes", "clip"),
    _spec("openai/clip-vit-base-patch32", "pretrained", "clip-vit-base-patch32", "clip"),
    # text transformers (mmviz.models.gpt, bert, encdec); the tiny ones on the generated grammar (mmviz.data.text)
    _spec("gpt-tiny-shapes", "embedded", "gpt-tiny-shapes", "gpt", "gpt-tiny"),
    _spec("gpt-untrained", "untrained", "gpt-tiny-shapes", "gpt"),
    _spec("bert-tiny-shapes", "embedded", "bert-tiny-shapes", "bert", "bert-tiny"),
    _spec("bert-untrained", "untrained", "bert-tiny-shapes", "bert"),
    _spec("encdec-tiny-shapes", "embedded", "encdec-tiny-shapes", "encdec", "encdec-tiny"),
    _spec("encdec-untrained", "untrained", "encdec-tiny-shapes", "encdec"),
    _spec("openai-community/gpt2", "pretrained", "gpt2", "gpt"),
    _spec("google-bert/bert-base-uncased", "pretrained", "bert-base-uncased", "bert"),
    _spec("Helsinki-NLP/opus-mt-en-de", "pretrained", "opus-mt-en-de", "encdec"),
    # images as discrete tokens (mmviz.models.vq, dalle, parti)
    _spec("vq-tiny-shapes", "embedded", "vq-tiny-shapes", "vq", "vq-tiny"),
    _spec("dalle-tiny-shapes", "embedded", "dalle-tiny-shapes", "dalle", "dalle-tiny"),
    _spec("parti-tiny-shapes", "embedded", "parti-tiny-shapes", "parti", "parti-tiny"),
    # multimodal fusion (mmviz.models.fusion): the six designs (a)-(f) on one question-answering task
    *[_spec(f"fusion-{k}", "embedded", f"fusion-{k}", "fusion", f"fusion-{k}") for k in STRATEGIES],
    _spec("cnn-kind-judge", "embedded", "cnn-kind-judge", "cnn", "kind-judge"),
])

#: family -> (module, model class, config class, presets dict), imported on first use
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "vit": ("mmviz.models.vit", "ViT", "ViTConfig", "PRESETS"),
    "swin": ("mmviz.models.swin", "Swin", "SwinConfig", "PRESETS"),
    "ast": ("mmviz.models.ast", "AST", "ASTConfig", "PRESETS"),
    "clip": ("mmviz.models.clip", "CLIP", "CLIPConfig", "PRESETS"),
    "gpt": ("mmviz.models.gpt", "GPT", "GPTConfig", "PRESETS"),
    "bert": ("mmviz.models.bert", "BERT", "BertConfig", "PRESETS"),
    "encdec": ("mmviz.models.encdec", "EncoderDecoder", "EncDecConfig", "PRESETS"),
    "vq": ("mmviz.models.vq", "VQVAE", "VQConfig", "PRESETS"),
    "dalle": ("mmviz.models.dalle", "DalleTiny", "DalleConfig", "PRESETS"),
    "parti": ("mmviz.models.parti", "PartiTiny", "PartiConfig", "PRESETS"),
    "cnn": ("mmviz.models.convnet", "ConvNet", "ConvNetConfig", "PRESETS"),
    "fusion": ("mmviz.models.fusion", "FusionVQA", "FusionConfig", "PRESETS"),
}

#: files a family needs from the hub beyond config + weights (CLIP reads prompts with the checkpoint's BPE)
FAMILY_FILES: dict[str, list[str]] = {"clip": ["tokenizer.json"], "gpt": ["tokenizer.json"],
                                      "bert": ["tokenizer.json"], "encdec": ["source.spm", "target.spm", "vocab.json"]}

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def _family(family: str) -> tuple[type, type, dict]:
    """(model class, config class, presets) of a family, importing its module on first use."""
    if family not in FAMILIES:
        raise KeyError(f"unknown model family {family!r}; choose from {list(FAMILIES)}")
    module, model_cls, cfg_cls, presets = FAMILIES[family]
    mod = importlib.import_module(module)
    return getattr(mod, model_cls), getattr(mod, cfg_cls), getattr(mod, presets)


def cache_dir() -> Path:
    """Root of the pretrained-checkpoint cache: $MMVIZ_CACHE or ~/.cache/mmviz, as an absolute path.

    Raises:
        ValueError: $MMVIZ_CACHE names a file, not a folder.
    """
    root = Path(os.environ.get("MMVIZ_CACHE", "").strip() or Path.home() / ".cache" / "mmviz").expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise ValueError("MMVIZ_CACHE names a file, not a folder")
    return root


def checkpoint_dir(name: str) -> Path:
    """Local folder of a pretrained checkpoint, e.g. ~/.cache/mmviz/facebook/dino-vits16.

    Raises:
        ValueError: a name that is not "owner/repository" (letters, digits, ``. _ -``), or one that
            would resolve outside the cache (``..``).
    """
    if not _REPO_ID.match(name) or ".." in name:
        raise ValueError(f"{name!r} is not a Hugging Face repository id (owner/name)")
    root = cache_dir()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"{name!r} would leave the model cache")
    return path


def extra_files(name: str) -> list[str]:
    """Files a pretrained registry name needs beyond config + weights (its family's extras)."""
    return FAMILY_FILES.get(MODELS[name].family, [])


def pretrained_names() -> list[str]:
    """Registry names that can be downloaded."""
    return [n for n, s in MODELS.items() if s.tier == "pretrained"]


def embedded_twin(name: str) -> str:
    """The embedded model of the same family as ``name`` (what works offline instead)."""
    family = MODELS[name].family
    return next((n for n, s in MODELS.items() if s.tier == "embedded" and s.family == family), EMBEDDED_NAME)


def available_models(family: str | None = None) -> list[ModelInfo]:
    """Registry entries with whether each can be loaded now, in registry order (embedded first).

    Args:
        family: only this family ("vit", "swin", ...); None lists every family.
    """
    out = []
    for spec in MODELS.values():
        if family is not None and spec.family != family:
            continue
        if spec.tier == "embedded":
            path = ASSETS / f"{spec.name}.safetensors"
            ok = path.is_file()
            hint = _hint(spec)
        elif spec.tier == "untrained":
            path, ok, hint = None, True, ""
        else:
            path = checkpoint_dir(spec.name)
            ok = is_complete(path, extra_files(spec.name))  # config, weights and e.g. CLIP's tokenizer.json
            hint = _hint(spec)
        out.append(ModelInfo(spec.name, spec.tier, spec.preset, spec.description, spec.family, ok,
                             None if path is None else str(path), "" if ok else hint))
    return out


def read_card(name_or_path: str | Path) -> dict:
    """The JSON card of an embedded model: a registry name, or the path of its .safetensors / .json.

    Returns:
        the card as a dict; {} when there is none.
    """
    p = Path(name_or_path)
    if isinstance(name_or_path, str) and name_or_path in MODELS:
        if MODELS[name_or_path].tier != "embedded":
            return {}
        p = ASSETS / f"{name_or_path}.json"
    p = p.with_suffix(".json")
    return json.loads(p.read_text()) if p.is_file() else {}


def load_model(name: str, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load a registry model in eval mode.

    Args:
        name: a key of MODELS.
        device: where to put it.

    Returns:
        the family's mmviz model (ViT, Swin, ...), eval mode, float32, with ``class_names`` when
        it classifies (an untrained model takes its trained twin's names).

    Raises:
        KeyError: unknown name.
        FileNotFoundError: an embedded model not trained yet, or a pretrained model that is not
            downloaded (the message says how to get it).
    """
    if name not in MODELS:
        raise KeyError(f"unknown model {name!r}; choose from {list(MODELS)}")
    spec = MODELS[name]
    if spec.tier == "embedded":
        path = ASSETS / f"{name}.safetensors"
        if not path.is_file():
            raise FileNotFoundError(f"{name} is not trained yet: run `python -m mmviz.train {spec.recipe}`.")
        return load_embedded(path, device=device)
    if spec.tier == "untrained":
        model_cls, _, presets = _family(spec.family)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(UNTRAINED_SEED)
            model = model_cls(presets[spec.preset])
        names = read_card(ASSETS / f"{spec.preset}.json").get("classes")  # the trained twin's card names them
        if names and len(names) == getattr(model.cfg, "num_classes", len(names)):
            model.class_names = names
        return model.to(device).eval()
    path = checkpoint_dir(name)
    if not is_complete(path, extra_files(name)):
        raise FileNotFoundError(f"{name} is not in the local model cache. Run `python -m mmviz.download {name}` "
                                "once with internet.")
    return load_hf(path, device=device)


def load_embedded(path: str | Path, device: str | torch.device = "cpu") -> torch.nn.Module:
    """Load an mmviz-trained model: <name>.safetensors plus its <name>.json card.

    Args:
        path: the .safetensors file (weights may be float16; they are cast to float32).
        device: where to put the model.

    Returns:
        the card's family model in eval mode, with class_names from the card.
    """
    from safetensors import safe_open

    path = Path(path)
    card = read_card(path)
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
    model.load_state_dict(embedded_state(path, card))
    model.class_names = card.get("classes")
    return model.to(device).eval()


#: the card field (under "extra") naming submodules whose weights are another embedded model's, not stored again
SHARED = "shared_weights"


def shared_weights(card: dict) -> dict[str, str]:
    """Submodule prefix -> the embedded model whose weights it holds (``{"vq": "vq-tiny-shapes"}``), from a card."""
    return dict((card.get("extra") or {}).get(SHARED) or {})


def embedded_state(path: str | Path, card: dict | None = None) -> dict[str, torch.Tensor]:
    """The float32 state dict of an mmviz-trained model: its own file, plus the weights of the submodules it shares
    with another embedded model (a frozen image tokenizer is stored once, in its own file).

    Args:
        path: the .safetensors file.
        card: its card (default: read from the .json beside it).
    """
    from safetensors.torch import load_file

    path = Path(path)
    card = read_card(path) if card is None else card
    state = {k: v.float() for k, v in load_file(str(path)).items()}
    for prefix, source in shared_weights(card).items():
        state.update({f"{prefix}.{k}": v.float() for k, v in load_file(str(ASSETS / f"{source}.safetensors")).items()})
    return state
