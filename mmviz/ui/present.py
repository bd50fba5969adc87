"""Presenter mode (the sidebar's toggle, or ``?present=1``): for a projector at 1280×720.

Larger text and figures (figure text at least 14 px, dark enough for a projector), the sidebar collapsed
(app.py reads the URL before ``st.set_page_config``), and a page's sections one at a time with Previous /
Next buttons (keyboard: ← and →). A page wraps each section in :func:`section`::

    with ui.section(T, "s_tokens"):         # the title is the catalogue text of "bert_gpt.s_tokens"
        ...

Every section still runs in presenter mode (so later sections can use what earlier ones computed, and
every widget keeps its value and its place in the URL); the ones not shown are hidden by CSS and draw no chart.
Outside presenter mode a section is an expander, and a closed one draws no chart either (:func:`hidden`).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import streamlit as st

from mmviz.ui.lang import t

__all__ = ["PRESENT_KEY", "SECTION_KEY", "WHOLE_PAGE", "OPEN_ALL", "presenting", "presenter_css", "section",
           "kept_expander", "hidden", "shown_part", "finish", "presenter_layout"]

PRESENT_KEY = "present"
#: the URL parameter (and session key) of the section shown in presenter mode, 1-based
SECTION_KEY = "s"
_ORDER = "_sections"  # session: page -> its section ids in page order (learned as they are drawn)
#: session key: when true, every section opens on its first draw (tests, screenshots, a lecturer's full view)
OPEN_ALL = "_open_all"
#: true while the body of a section that is not seen runs (closed, or another section in presenter mode)
_HIDDEN: contextvars.ContextVar[bool] = contextvars.ContextVar("mmviz_section_hidden", default=False)
#: session key: when true, the next run of a section's fragment re-runs the whole page instead (mmviz.ui.page.part)
WHOLE_PAGE = "_rerun_whole_page"

_CSS = """<style>
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: 2.2rem 2rem 3rem;}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li {font-size: 1.3rem; line-height: 1.5; color: #111;}
[data-testid="stMain"] h1 {font-size: 2.3rem;}
[data-testid="stMain"] h3 {font-size: 1.75rem;}
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size: 1.1rem; color: #222;}
[data-testid="stMain"] [data-testid="stWidgetLabel"] p {font-size: 1.12rem;}
[data-testid="stMain"] [data-testid="stMetricValue"] {font-size: 2.1rem;}
[data-testid="stMain"] .katex {font-size: 1.35em;}
</style>"""
#: every mode: a metric's label wraps onto a second line instead of being cut ("보류 데이터 퍼플렉서티 (카드)" at 1280 px)
BASE_CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important;}
</style>"""
#: hides every section of a page but the current one
_HIDE = ('<style>[data-testid="stLayoutWrapper"]:has(> [class*="st-key-mmsec-{page}-"]:not(.st-key-mmsec-{page}-{k})),'
         '[class*="st-key-mmsec-{page}-"]:not(.st-key-mmsec-{page}-{k}) {{display: none !important;}}</style>')


def presenting() -> bool:
    """True in presenter mode (the sidebar's toggle, else ``?present=1`` in the URL)."""
    on = st.session_state.get(PRESENT_KEY)
    if on is None:
        on = st.query_params.get(PRESENT_KEY, "").lower() in ("1", "true", "on")
    return bool(on)


def _page_of(key: str) -> str:
    return key.split(".", 1)[0]


def _current(page: str) -> int:
    """The section shown (0-based) on ``page``: the session's, else ``?s=`` of the URL."""
    current = st.session_state.setdefault("_section_shown", {})
    if page not in current:
        try:
            current[page] = max(0, int(st.query_params.get(SECTION_KEY, "1")) - 1)
        except ValueError:
            current[page] = 0
    return current[page]


def _go(page: str, step: int) -> None:
    st.session_state[WHOLE_PAGE] = True  # a pager inside a section's fragment: the whole page moves on
    n = len(st.session_state.get(_ORDER, {}).get(page, ())) or 1
    current = st.session_state.setdefault("_section_shown", {})
    current[page] = min(max(0, _current(page) + step), n - 1)


def presenter_css() -> None:
    """The presenter's style sheet (call once per run in presenter mode; app.py does)."""
    st.html(_CSS)


def kept_expander(label: str, key: str, *, expanded: bool = False, **kwargs):
    """``st.expander`` whose open or closed state is the student's: it survives visits to other pages (Streamlit
    forgets a widget's state while its page is not shown) and a change of its label ("layer 3" -> "layer 4" makes a
    new expander); opening or closing it re-runs the script (or the fragment it is in). Returns the expander
    (``.open``: draw its body only when true). ``st.session_state[OPEN_ALL]`` opens it on its first draw.

    Args:
        label: the title.
        key: its key (``st.session_state[key]`` is True while it is open).
        expanded: open on the first visit.
        **kwargs: passed to ``st.expander`` (``icon``).
    """
    s, kept = st.session_state, f"_kept_{key}"
    s[key] = bool(s.get(key, s.get(kept, expanded or bool(s.get(OPEN_ALL)))))
    box = st.expander(label, key=key, on_change="rerun", **kwargs)
    s[kept] = bool(box.open)
    return box


def hidden() -> bool:
    """True inside a section that nobody sees this run (closed, or not the current one in presenter mode): its
    charts are not drawn (``mmviz.ui.export.chart``), the costliest part of a page in the browser."""
    return _HIDDEN.get()


@contextlib.contextmanager
def _hiding(on: bool) -> Iterator[None]:
    token = _HIDDEN.set(on)
    try:
        yield
    finally:
        _HIDDEN.reset(token)


@contextlib.contextmanager
def section(texts, name: str, /, *, md: str | None = None, latex: str | None = None, expanded: bool = False,
            **values) -> Iterator[bool]:
    """One section of a page: an expander titled ``texts(name, **values)`` (a page's :func:`mmviz.ui.texts`), with
    what it shows (``md``, Markdown) and the formula it illustrates (``latex``), then the block. In presenter mode
    only the current section shows, under a Previous / k of n / Next bar.

    The block always runs (later sections use what earlier ones computed, and its widgets keep their values), but
    while the section is closed its charts are not drawn: a student's browser draws only the figures of the sections
    they opened. Opening one re-runs the page. Open or closed survives visits to other pages;
    ``st.session_state[OPEN_ALL]`` opens every section on its first draw. ``with ui.section(...) as seen:`` tells
    whether it is seen this run, so a block can skip work that only its figures need.

    Args:
        texts: the page's texts (``ui.texts("bert_gpt")``).
        name: the title's key in the page's catalogue; also the section's id.
        md, latex: drawn under the title (None: nothing).
        expanded: open on the first visit.
        **values: the title's placeholders.
    """
    title = texts(name, **values)
    page = texts.prefix.rstrip(".")
    if not presenting():
        box = kept_expander(title, f"sec_{page}_{name}", expanded=expanded)
        with box, _hiding(not box.open):
            if box.open:
                _text(md, latex)
            yield box.open
        return
    order = st.session_state.setdefault(_ORDER, {}).setdefault(page, [])
    if name not in order:
        order.append(name)
    k, current = order.index(name), _current(page)
    if k == current:
        _publish_section(k)
    with st.container(key=f"mmsec-{page}-{k}"), _hiding(k != current):
        if k == 0:  # a style applies from inside a hidden block too, and takes no room there
            st.html(_HIDE.format(page=page, k=current))
        if k == current:
            _pager(page, k, len(order))
        _head(title, md, latex)
        yield k == current


def shown_part(page: str, name: str, title: str) -> bool:
    """Presenter mode for a section that computes only when shown (``mmviz.ui.page.part``): learns its place in the
    page's order; when it is the current one, draws the Previous / k of n / Next bar and its title and returns True
    (the caller draws the body), else draws nothing and returns False.

    Args:
        page: the page's id (the key prefix of its sections).
        name: the section's id (its expander key).
        title: the section's title.
    """
    order = st.session_state.setdefault(_ORDER, {}).setdefault(page, [])
    if name not in order:
        order.append(name)
    k = order.index(name)
    if k != _current(page):
        return False
    _publish_section(k)
    with st.container(key=f"mmsec-{page}-{k}"):
        _pager(page, k, len(order))
        st.subheader(title)
    return True


def _head(title: str, md: str | None, latex: str | None) -> None:
    st.subheader(title)
    _text(md, latex)


def _text(md: str | None, latex: str | None) -> None:
    if md:
        st.markdown(md)
    if latex:
        st.latex(latex)


def _publish_section(k: int) -> None:
    want = None if k == 0 else str(k + 1)
    if st.query_params.get(SECTION_KEY) != want:
        if want is None:
            del st.query_params[SECTION_KEY]
        else:
            st.query_params[SECTION_KEY] = want


def _pager(page: str, k: int, known: int) -> None:
    """Previous / "k of n" / Next, with the keyboard's ← and →."""
    c1, c2, c3 = st.columns([1, 3, 1], vertical_alignment="center")
    c1.button(t("common.previous"), key="present_prev", icon=":material/arrow_back:", shortcut="Left",
              disabled=k == 0, on_click=_go, args=(page, -1), width="stretch")
    st.session_state["_pager_n"] = (page, max(known, k + 1))
    c2.caption(t("common.section_of", k=k + 1, n=max(known, k + 1)))
    c3.button(t("common.next"), key="present_next", icon=":material/arrow_forward:", shortcut="Right",
              on_click=_go, args=(page, 1), width="stretch", type="primary")


def finish() -> None:
    """After the page ran (app.py): a link past the last section shows the last one, and a pager drawn before the
    page's sections were all known (its first run) is drawn again with their number."""
    if not presenting():
        return
    order, shown = st.session_state.get(_ORDER, {}), st.session_state.get("_section_shown", {})
    drawn = st.session_state.pop("_pager_n", None)
    for page, k in shown.items():
        n = len(order.get(page, ()))
        if n and k >= n:
            shown[page] = n - 1
            st.rerun()
    if drawn is not None and drawn[1] != len(order.get(drawn[0], ())):
        st.rerun()


def _dark(colour) -> bool:
    """True for a colour dark enough on white for a projector (contrast >= 4.5:1); unknown colours count as dark."""
    if not isinstance(colour, str) or not colour.startswith("#") or len(colour) not in (4, 7):
        return True
    h = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    lin = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
           for c in (int(h[i:i + 2], 16) for i in (0, 2, 4))]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return 1.05 / (lum + 0.05) >= 4.5


def _font(obj: dict, size: int, colour: str | None = "#111111") -> None:
    """At least ``size`` px; a colour too light for a projector becomes ``colour`` (None: leave it)."""
    f = obj.get("font")
    if not isinstance(f, dict):
        f = obj["font"] = {}
    if not isinstance(f.get("size"), (list, tuple)):
        f["size"] = max(size, f.get("size") or 0)
    if colour and not _dark(f.get("color")):
        f["color"] = colour


def presenter_layout(spec: dict) -> dict:
    """A figure's dict for the projector, in place: text at least 14 px and dark, titles larger, a little taller."""
    lay = spec.setdefault("layout", {})
    _font(lay, 16)
    lay.setdefault("hoverlabel", {}).setdefault("font", {})["size"] = 16
    if isinstance(lay.get("title"), dict):
        _font(lay["title"], 19)
    for name, part in lay.items():
        if isinstance(part, dict) and name.startswith(("xaxis", "yaxis", "coloraxis", "legend")):
            part.setdefault("tickfont", {})
            part["tickfont"]["size"] = max(14, part["tickfont"].get("size") or 0)
            if not _dark(part["tickfont"].get("color")):
                part["tickfont"]["color"] = "#222222"
            if isinstance(part.get("title"), dict):
                _font(part["title"], 16)
            if name.startswith("legend"):
                _font(part, 15)
    for a in lay.get("annotations") or ():
        if isinstance(a, dict):
            outside = a.get("xref", "x") == "paper" or a.get("yref", "y") == "paper"
            _font(a, 14, "#111111" if outside and "bgcolor" not in a else None)
    for trace in spec.get("data") or ():
        bar = trace.get("colorbar")
        if isinstance(bar, dict):
            bar.setdefault("tickfont", {})["size"] = 14
            if isinstance(bar.get("title"), dict):
                _font(bar["title"], 15)
        if "textfont" in trace or trace.get("type") in ("bar", "scatter", "heatmap") and "text" in trace:
            tf = trace.setdefault("textfont", {})
            if isinstance(tf, dict) and not isinstance(tf.get("size"), list):
                tf["size"] = max(14, tf.get("size") or 0)
    if isinstance(lay.get("height"), (int, float)):
        lay["height"] = int(lay["height"] * 1.12)
    return spec
