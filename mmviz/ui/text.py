"""Text on a page: a bounded text box with sample sentences one click away, the notes that say what
happened to a text (cut to the context, unreadable characters), token chips (piece + id), and figures
remembered between reruns (the text lessons draw many small figures from the same numbers).

The lessons cut a text to the model's context and say so (`mmviz.tokenizers.bounded`); the box itself
only stops what no lesson should receive (more than ``MAX_INPUT_CHARS`` characters).
"""

from __future__ import annotations

import functools
import html
import sys
from collections.abc import Sequence

import streamlit as st

from mmviz.ui.lang import t
from mmviz.ui.state import publish, restore

__all__ = ["MAX_INPUT_CHARS", "text_box", "text_notes", "token_notes", "token_chips", "cached_figures"]

#: the most characters the text box sends (a 100 000-character paste still arrives whole)
MAX_INPUT_CHARS = 100_000


def _take_sample(key: str) -> None:
    """The pills' callback: the picked sample becomes the text, and the pills forget the pick (typing
    afterwards must not look like a sample)."""
    pick = st.session_state.get(f"{key}_samples")
    if pick is not None:
        st.session_state[key] = pick
        st.session_state[f"{key}_samples"] = None


def text_box(label: str, key: str, *, samples: Sequence[str], default: str | None = None, help: str | None = None,
             height: int = 90) -> str:
    """A text area (bounded to MAX_INPUT_CHARS) with sample sentences one click away above it; the text is in
    the link to the view (up to ``mmviz.ui.state.MAX_LINK_TEXT`` characters).

    Args:
        label: the text area's label.
        key: its widget key (the pills are ``{key}_samples``).
        samples: sentences offered as pills (their set may change with the model; the text stays).
        default: the first text (default: the first sample).
        help: tooltip of the text area.
        height: pixels.

    Returns:
        the text, at most MAX_INPUT_CHARS characters (anything else the lesson handles and explains).
    """
    first = default if default is not None else samples[0]
    restore(key, str, label=label)
    if key not in st.session_state:  # (ui.keep_widgets keeps it across page visits)
        st.session_state[key] = first
    st.pills(t("common.samples"), list(samples), key=f"{key}_samples", on_change=_take_sample, args=(key,))
    text = st.text_area(label, key=key, max_chars=MAX_INPUT_CHARS, height=height, help=help)
    publish(key, text, first)
    return (text or "")[:MAX_INPUT_CHARS]


def text_notes(notes: Sequence[str], *, error: bool = False) -> None:
    """The lesson's sentences about a text (cut, empty, unknown characters) as one warning (or error)."""
    if notes:
        (st.error if error else st.warning)("  \n".join(notes))


def token_notes(*encs: dict) -> None:
    """What happened to a text on its way to the tokens, as one warning in the interface's language: empty, cut to
    the context, unknown tokens, invisible characters. Each ``enc`` is a lesson's `bounded` result with ``empty``,
    ``control``, ``max_tokens`` and ``context``; the same sentence for two models is said once."""
    notes = []
    for e in encs:
        if e.get("empty"):
            notes.append(t("common.note_empty"))
        if e["cut"]:
            why = t("common.note_why_context", ctx=e["context"]) if e["max_tokens"] == e["context"] else \
                t("common.note_why_page", max=e["max_tokens"], ctx=e["context"])
            notes.append(t("common.note_cut", chars=e["n_chars"], pieces=e["n_pieces"], kept=e["pieces_kept"], why=why,
                           more="+" if e["chars_read"] < e["n_chars"] else ""))
        if any(e["unknown"]):
            n = sum(e["unknown"])
            notes.append(t("common.note_unknown_1" if n == 1 else "common.note_unknown_n", n=n,
                           token=e["tokens"][e["unknown"].index(True)]))
        if e.get("control"):
            notes.append(t("common.note_control", chars=", ".join(e["control"][:5]) + (", …" if len(e["control"]) > 5
                                                                                     else "")))
    text_notes(list(dict.fromkeys(notes)))


_CHIP = ("display:inline-block;margin:3px 4px;padding:4px 8px 2px;border-radius:6px;text-align:center;"
         "line-height:1.15;border:1px solid rgba(0,0,0,0.12);background:{bg}")


def _chip_colour(tok: str, special: bool, unknown: bool, chosen: bool) -> str:
    if chosen:
        return "#ffd8a8"
    if unknown:
        return "#ffc9c9"
    if special:
        return "#e9ecef"
    if "\\x" in tok:  # a piece of a character's bytes (GPT-2 cut an emoji)
        return "#fff3bf"
    return "#d0ebff"


def token_chips(tokens: Sequence[str], ids: Sequence[int], *, special: Sequence[bool] | None = None,
                unknown: Sequence[bool] | None = None, chosen: int | None = None, start: int = 0) -> None:
    """Tokens as chips: the piece (spaces shown as ␣, right-to-left text isolated) above its id.

    Colours: blue a piece, grey a special token, red unknown ([UNK]), yellow part of a character's bytes,
    orange the ``chosen`` position.

    Args:
        tokens, ids: (T,) pieces and their ids.
        special, unknown: (T,) flags.
        chosen: a position to highlight.
        start: the position number of the first chip (chips show their position on hover).
    """
    T = len(tokens)
    special = special or [False] * T
    unknown = unknown or [False] * T
    chips = []
    for i, (tok, n) in enumerate(zip(tokens, ids)):
        shown = html.escape(tok.replace(" ", "␣").replace("\n", "⏎") or "∅")
        style = _CHIP.format(bg=_chip_colour(tok, special[i], unknown[i], chosen == i))
        chips.append(f'<span style="{style}" title="{html.escape(t("common.chip_title", pos=start + i, id=n))}">'
                     f'<bdi style="font-family:monospace;font-size:1.1rem">{shown}</bdi><br>'
                     f'<span style="font-size:0.75rem;color:#555">{n}</span></span>')
    st.markdown(f'<div style="line-height:2.4">{"".join(chips)}</div>', unsafe_allow_html=True)


@st.cache_resource(max_entries=256, ttl=3600, show_spinner=False)
def _figure(module: str, name: str, *args, **kwargs):
    return getattr(sys.modules[module], name)(*args, **kwargs)


class cached_figures:  # noqa: N801 - used like a module: figs = ui.cached_figures(module)
    """A figures module whose ``fig_*`` builders remember their figures (``st.cache_resource``, keyed by the
    arguments), so a rerun that changes one control rebuilds only the figures whose numbers changed.

    The figures are shared, never mutated (``st.plotly_chart`` copies them into its message).

    Args:
        module: a ``mmviz.figures`` module.
    """

    def __init__(self, module) -> None:
        self._module = module

    def __getattr__(self, name: str):
        fn = getattr(self._module, name)
        if not name.startswith("fig_"):
            return fn
        return functools.partial(_figure, fn.__module__, name)
