"""Links to an exact view: every control's value lives in the URL (``st.query_params``).

Each widget helper here (``slider``, ``select_slider``, ``selectbox``, ``segmented``, ``pills``, ``toggle``,
``number``) does three things around the widget, under the widget's key as the URL parameter:

1. :func:`restore`: a value the URL brings (a link opened in a fresh browser, the back button) becomes the
   widget's value, once; an invalid or stale value leaves the default and says so in a short note (a toast);
2. draws the widget (keeping its value valid when its range or options change, ``mmviz.ui.page``);
3. :func:`publish`: writes the value to the URL (nothing when it is the default, so links stay short).

A new page gets all of this by using the helpers. :func:`link_box` shows the link to the current view
(``st.code`` has a copy button: Streamlit has no clipboard API); uploads cannot travel in a link, and
the box says so when the view uses one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import streamlit as st

from mmviz.ui.lang import t
from mmviz.ui.page import clamp, keep_valid
from mmviz.ui.page import select_slider as _select_slider
from mmviz.ui.page import selectbox as _selectbox
from mmviz.ui.page import slider as _slider
from mmviz.ui.present import kept_expander

__all__ = ["restore", "publish", "in_range", "slider", "select_slider", "selectbox", "segmented", "pills", "toggle", "number",
           "link", "link_box", "MAX_LINK_TEXT", "SHARED"]

#: session key: URL parameter -> the text this session last read there or wrote there
_SEEN = "_url_seen"
#: the longest text that travels in a link (a longer one is left out, and the link box says so)
MAX_LINK_TEXT = 400
#: parameters that are not widgets of a page (kept by the shell)
SHARED = ("lang", "present", "s", "embed", "embed_options")
_INVALID = object()


def _fmt(value) -> str | list[str]:
    """A widget value as URL text: True -> "1", 0.1 -> "0.1", a list -> repeated parameters."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, (list, tuple)):
        return [str(_fmt(v)) for v in value]
    return str(value)


def _seen() -> dict:
    return st.session_state.setdefault(_SEEN, {})


def restore(key: str, parse: Callable[[str | list[str]], object], *, label: str, multi: bool = False) -> None:
    """Before a widget is drawn: take the URL's value of ``key`` when it is new to this session.

    Args:
        key: the widget's key (and URL parameter).
        parse: URL text (a list for ``multi``) -> the widget's value; raises (or returns the invalid sentinel)
            for a value the widget cannot take now.
        label: the widget's label, for the note about an invalid value.
        multi: the parameter is repeated (a multi-select).
    """
    qp = st.query_params
    raw = (qp.get_all(key) or None) if multi else qp.get(key)
    seen = _seen()
    if raw is None or seen.get(key) == raw:
        return
    seen[key] = raw
    try:
        value = parse(raw)
    except (ValueError, TypeError, KeyError, IndexError):
        value = _INVALID
    if value is _INVALID:
        shown = ", ".join(raw) if isinstance(raw, list) else raw
        st.toast(t("common.link_invalid", label=label, value=shown[:60]), icon=":material/link_off:")
        return
    st.session_state[key] = value


def publish(key: str, value, default) -> None:
    """After a widget is drawn: its value into the URL (removed when it is the default)."""
    want = None if value is None or value == default else _fmt(value)
    if isinstance(want, str) and len(want) > MAX_LINK_TEXT:
        want = None
    qp = st.query_params
    have, wanted = qp.get_all(key), [] if want is None else want if isinstance(want, list) else [want]
    if have != wanted:
        if not wanted:
            del qp[key]
        else:
            qp[key] = want
    _seen()[key] = want


def _choice(options: Sequence) -> Callable:
    table = {_fmt(o): o for o in options}
    return lambda raw: table.get(raw, _INVALID)


def in_range(lo, hi, kind: type = int) -> Callable:
    """A parser of URL text into a number of ``kind`` between ``lo`` and ``hi`` (None: unbounded)."""
    def parse(raw: str):
        v = kind(float(raw)) if kind is int and float(raw).is_integer() else kind(raw)
        return v if (lo is None or v >= lo) and (hi is None or v <= hi) else _INVALID
    return parse


def _bool(raw: str):
    low = raw.strip().lower()
    return {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}.get(low, _INVALID)


def slider(label: str, lo, hi, *, key: str, default, into=None, **kwargs):
    """``st.slider`` in the URL, whose value survives a change of its range (``mmviz.ui.page.slider``)."""
    kind = float if any(isinstance(v, float) for v in (lo, hi, default, kwargs.get("step"))) else int
    restore(key, in_range(lo, hi, kind), label=label)
    value = _slider(label, lo, hi, key=key, default=default, into=into, **kwargs)
    publish(key, value, default)
    return value


def select_slider(label: str, options: Sequence, *, key: str, default, into=None, **kwargs):
    """``st.select_slider`` in the URL, whose value survives a change of its options."""
    restore(key, _choice(options), label=label)
    value = _select_slider(label, options, key=key, default=default, into=into, **kwargs)
    publish(key, value, default)
    return value


def selectbox(label: str, options: Sequence, *, key: str, default, into=None, **kwargs):
    """``st.selectbox`` in the URL, whose value survives a change of its options."""
    restore(key, _choice(options), label=label)
    value = _selectbox(label, options, key=key, default=default, into=into, **kwargs)
    publish(key, value, default)
    return value


def segmented(label: str, options: Sequence, *, key: str, default, into=None, **kwargs):
    """``st.segmented_control`` (one choice, always one) in the URL; returns the choice."""
    restore(key, _choice(options), label=label)
    keep_valid(key, options, default)
    value = (into or st).segmented_control(label, options, key=key, required=True, **kwargs)
    publish(key, value, default)
    return default if value is None else value


def pills(label: str, options: Sequence, *, key: str, default=None, multi: bool = False, into=None, **kwargs):
    """``st.pills`` in the URL (``multi``: several choices, repeated parameters); returns the choice(s)."""
    parse = _choice(options)
    if multi:
        restore(key, lambda raw: [v for v in map(parse, raw) if v is not _INVALID] or _INVALID, label=label,
                multi=True)
        s = st.session_state
        s[key] = [v for v in s.get(key, default or []) if v in options]
    else:
        restore(key, parse, label=label)
        keep_valid(key, [*options, None], default)
    value = (into or st).pills(label, options, key=key, selection_mode="multi" if multi else "single", **kwargs)
    publish(key, list(value) if multi else value, list(default or []) if multi else default)
    return value


def toggle(label: str, *, key: str, default: bool = False, into=None, **kwargs) -> bool:
    """``st.toggle`` in the URL ("1" / "0")."""
    restore(key, _bool, label=label)
    st.session_state.setdefault(key, default)
    value = (into or st).toggle(label, key=key, **kwargs)
    publish(key, value, default)
    return value


def number(label: str, lo, hi, *, key: str, default, into=None, **kwargs):
    """``st.number_input`` in the URL, kept between ``lo`` and ``hi``."""
    kind = float if any(isinstance(v, float) for v in (lo, hi, default, kwargs.get("step"))) else int
    restore(key, in_range(lo, hi, kind), label=label)
    clamp(key, lo, hi, default)
    value = (into or st).number_input(label, lo, hi, key=key, **kwargs)
    publish(key, value, default)
    return value


def link() -> str:
    """The link to this view: the app's address in the browser (this page's path) and every parameter."""
    qp = st.query_params
    pairs = [(k, v) for k in qp for v in qp.get_all(k)]
    base = st.context.url or ""
    return base + ("?" + urlencode(pairs) if pairs else "")


def _uploads() -> bool:
    """True when the view uses an upload or a recording (they cannot travel in a link)."""
    s = st.session_state
    if s.get("image_source") in ("Upload",) or s.get("audio_source") in ("Upload", "Record"):
        return True
    return any(k.endswith("_upload") and s.get(k) for k in list(s.keys()) if isinstance(k, str))


#: session key: the link box is open
LINK_OPEN = "_link_open"


def link_box() -> None:
    """The sidebar's "Link to this view": a code box with its copy button, and what the link cannot carry.

    Called after the page ran (app.py), so the link has every value of this run. A parameter that no
    widget of the page took (a stale link) gets a note and leaves the URL.
    """
    qp, seen = st.query_params, _seen()
    stale = [k for k in qp if k not in seen and k not in SHARED]
    for k in stale:
        seen[k] = qp.get(k)
        del qp[k]
    if stale:
        st.toast(t("common.link_stale", names=", ".join(stale)), icon=":material/link_off:")
    long = [k for k, v in seen.items() if v is None and isinstance(st.session_state.get(k), str)
            and len(st.session_state[k]) > MAX_LINK_TEXT]
    box = kept_expander(t("common.link_title"), LINK_OPEN, icon=":material/link:")
    if not box.open:  # drawn when opened: a closed box sends nothing (and needs no syntax highlighter)
        return
    with box:
        st.code(link(), language=None, wrap_lines=True)
        st.caption(t("common.link_help"))
        if _uploads():
            st.caption(t("common.link_uploads"))
        if long:
            st.caption(t("common.link_long", n=MAX_LINK_TEXT))
