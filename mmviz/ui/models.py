"""Models on a page: the device (picked once), a model picker per family, the cached loader, the card.

Everything goes through the registry (``mmviz.weights``): every family has an embedded model
(trained by mmviz, shipped in assets/), an untrained twin and pretrained checkpoints that are
listed with the sentence that says how to get them. The registry is read through the module
(``weights.available_models``), so tests can stand entries in.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from mmviz import weights
from mmviz.device import device_label, pick_device
from mmviz.memory import IdleTrim
from mmviz.ui.lang import lang, t
from mmviz.ui.page import keep_valid

__all__ = ["device", "device_name", "model_picker", "model", "model_card", "release_when_idle"]

#: which tier the picker selects first
_TIER_ORDER = {"embedded": 0, "pretrained": 1, "untrained": 2}


@st.cache_resource
def _device():
    return pick_device()


@st.cache_resource
def _idle_trim() -> IdleTrim:
    return IdleTrim().start()


def release_when_idle() -> None:
    """After every run (app.py): once the server has been quiet for 10 s, its freed heap memory goes back to the
    operating system (``mmviz.memory.IdleTrim``; one thread per server)."""
    _idle_trim().touch()


def device() -> str:
    """The device every model of the app runs on ("cpu", "cuda", ...), picked once per server."""
    return str(_device())


def device_name() -> str:
    """The device for people: "CPU", "CUDA (NVIDIA H200)", ..."""
    return device_label(_device())


@st.cache_data(ttl=30, show_spinner=False)
def _models(family: str) -> list:
    return weights.available_models(family)


def model_picker(family: str, key: str, *, label: str | None = None, missing_embedded: str | None = None,
                 notes: Mapping[str, str] | None = None, untrained_note: str | None = None):
    """A selectbox over the models of one family that can be loaded now.

    The default is the embedded model (then a pretrained one, then the untrained one); the choice is
    kept while it stays available. Below it: a warning when the family's embedded model (the first in
    the registry) is missing, and a caption naming the pretrained models that are not here with the
    sentence that says how to get them.

    Args:
        family: "vit", "swin", "ast", "clip", ...
        key: the selectbox's widget key.
        label: the selectbox's label (None: "Model" in the session's language).
        missing_embedded: the page's sentence for a missing embedded model (its how-to-get sentence is
            added); None lists the missing embedded model in the caption instead.
        notes: model name -> a few words about it, written in brackets after its name in the caption.
        untrained_note: shown (``st.info``) when the chosen model has random weights.

    Returns:
        the chosen ``mmviz.weights.ModelInfo`` (name, tier, preset, description, ...), or None (with a
        warning) when no model of the family can be loaded.
    """
    infos = {m.name: m for m in _models(family)}
    names = [n for n, m in infos.items() if m.available]
    if not names:  # nothing of this family can be loaded here (an embedded model not trained, no twin)
        st.warning(" ".join([missing_embedded or t("common.no_model", family=family)]
                            + [_how(m) for m in infos.values() if m.tier == "embedded"]))
        return None
    default = min(names, key=lambda n: _TIER_ORDER.get(infos[n].tier, 3))  # min is stable: registry order
    keep_valid(key, names, default)
    language = lang()
    name = st.selectbox(label or t("common.model"), names, key=key,
                        format_func=lambda n: f"{n} · {weights.describe(n, language)}")
    # the family's embedded model: the first in registry order (the one its untrained twin copies)
    embedded = next((m for m in infos.values() if m.tier == "embedded"), None)
    lost = embedded is not None and not embedded.available
    if lost and missing_embedded:
        st.warning(f"{missing_embedded} {_how(embedded)}")
    elif infos[name].tier == "untrained" and untrained_note:
        st.info(untrained_note)
    missing = [m for m in infos.values() if not m.available
               and (m.tier == "pretrained" or (lost and m is embedded and not missing_embedded))]
    if missing:
        notes = notes or {}
        st.caption(t("common.not_available") + " " + " ".join(
            f"**{m.name}** ({notes[m.name]}). {_how(m)}" if m.name in notes else f"**{m.name}**: {_how(m)}"
            for m in missing))
    return infos[name]


def _how(m) -> str:
    """How to get a missing model, in the session's language."""
    return weights.how_to_get(m, lang())


# no spinner of their own: model() shows one in the session's language (a decorator's text is fixed at import)
@st.cache_resource(max_entries=32, show_spinner=False)
def _load_tiny(name: str, device: str):
    return weights.load_model(name, device=device)


@st.cache_resource(max_entries=3, show_spinner=False)
def _load_pretrained(name: str, device: str):
    return weights.load_model(name, device=device)


def model(name: str):
    """A registry model on :func:`device`, loaded once per server (never mutate it).

    The embedded and untrained models (a few MB each) stay loaded; at most 3 pretrained checkpoints
    (hundreds of MB each) are held at once, so the server's memory stays bounded.

    Raises:
        whatever ``mmviz.weights.load_model`` raises (KeyError, FileNotFoundError, a broken checkpoint).
    """
    spec = weights.MODELS.get(name)
    load = _load_pretrained if spec is not None and spec.tier == "pretrained" else _load_tiny
    if _nested():  # inside a page's cached function: its own spinner shows (Streamlit's rule for nested caches)
        return load(name, device())
    with st.spinner(t("common.loading_model")):  # shown only when loading takes longer than half a second
        return load(name, device())


def _nested() -> bool:
    """True inside a function cached by Streamlit (where a spinner would be replayed with the cached result)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import (
            in_cached_function,
        )
    except ImportError:  # another Streamlit: no spinner rather than a wrong one
        return True
    return bool(in_cached_function.get())


@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def model_card(name: str) -> dict:
    """The JSON card of an embedded model (training recipe, held-out numbers); {} for other models."""
    return weights.read_card(name)
