"""What every page does the same way: the deep-link guard, bounded caches, charts, metrics and tables,
"Show the code", and keeping widget values valid (or alive) across reruns and visits to other pages."""

from __future__ import annotations

import functools
import inspect
import re
import sys
import zlib
from collections.abc import Callable, Mapping, Sequence

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from mmviz.figures.common import CONFIG, crisp
from mmviz.ui.lang import t
from mmviz.ui.present import OPEN_ALL, kept_expander, presenting, shown_part
from mmviz.ui.present import WHOLE_PAGE as _WHOLE

__all__ = ["CONFIG", "start_page", "cached", "chart", "take_click", "show_code", "public_name", "clamp",
           "keep_valid", "follow", "slider", "select_slider", "selectbox", "keep_widgets", "metrics",
           "thumbnails", "code_span", "token_lines", "plain", "scrub", "part", "OPEN_ALL", "whole_page"]


def start_page() -> None:
    """The first call of every page script.

    Streamlit runs a ``pages/`` script on its own when the very first visitor of a cold server opens
    a deep link (``/attention_maps``): app.py, with the sidebar and the navigation, never ran. The
    page then hands over to app.py (which opens the same page through ``st.navigation``).
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def cached(*, max_entries: int = 16, ttl: int | None = 3600, spinner: str | bool = False):
    """``st.cache_data`` with bounds: a page's cached backend call (key it by hashes and controls;
    pass unhashable objects as ``_name`` arguments; return NumPy).

    Args:
        max_entries: results kept per function.
        ttl: seconds a result is kept.
        spinner: text shown while it computes (False: none).
    """
    return st.cache_data(max_entries=max_entries, ttl=ttl, show_spinner=spinner)


def chart(fig, key: str | None = None, *, into=None, toolbar: bool = True, **kwargs):
    """Draw a Plotly figure with the shared config.

    Args:
        fig: a ``go.Figure`` from ``mmviz.figures``.
        key: the widget key (tests and clicks find the chart by it).
        into: a container or placeholder to draw into (default: the page).
        toolbar: show Plotly's mode bar.
        **kwargs: passed to ``st.plotly_chart`` (``on_select``, ``selection_mode``, ...).

    Returns:
        what ``st.plotly_chart`` returns (the selection state when ``on_select`` is set).
    """
    config = CONFIG if toolbar else {**CONFIG, "displayModeBar": False}
    return (into or st).plotly_chart(fig, key=key, config=config, **kwargs)


def take_click(chart_key: str, widget_key: str, *, curve: int = 0) -> bool:
    """Copy a new click on a chart (drawn with ``on_select="rerun"``) into a widget's value.

    The click arrives in the run after it; call this before drawing the widget. A click is used
    once: the same selection on later runs leaves the widget where the student moved it.

    Args:
        chart_key: the chart's key.
        widget_key: the key of the widget (e.g. a slider of point indices) that takes the clicked index.
        curve: the trace whose points count.

    Returns:
        True when a new click changed the widget's value (a section can then re-run the whole page, when
        the widget stands outside it).
    """
    try:
        pts = [p for p in st.session_state[chart_key]["selection"]["points"] if p.get("curve_number") == curve]
    except (KeyError, TypeError):
        return False
    clicked = pts[0].get("point_index", pts[0].get("point_number")) if pts else None
    last = f"_last_click_{chart_key}"
    if clicked is not None and clicked != st.session_state.get(last):
        st.session_state[last] = clicked
        st.session_state[widget_key] = int(clicked)
        return True
    return False


@functools.lru_cache(maxsize=256)
def _source(fn: Callable) -> str:
    return inspect.getsource(fn)


def public_name(fn: Callable) -> str:
    """The dotted name a student would import ``fn`` by: the shortest package that exports it.

    ``mmviz.audio.spectrogram.stft_power`` -> ``mmviz.audio.stft_power`` (mmviz.audio exports it);
    methods keep their class: ``mmviz.models.ast.AST.patch_tokens``.
    """
    module, qualname = fn.__module__, fn.__qualname__
    top = qualname.split(".")[0]
    parts = module.split(".")
    for i in range(1, len(parts)):
        parent = sys.modules.get(".".join(parts[:i]))
        if parent is not None and getattr(parent, top, None) is getattr(sys.modules[module], top, object()):
            return f"{'.'.join(parts[:i])}.{qualname}"
    return f"{module}.{qualname}"


def show_code(*fns: Callable, labels: bool = False, joined: bool = False) -> None:
    """The "Show the code" expander: the source of the functions that computed what the page shows.

    The source is drawn only while the expander is open (in a fragment of its own: opening it re-runs it
    alone): closed, it sends nothing, and a new student's browser does not load Streamlit's syntax highlighter
    (1.5 MB of script, about 0.4 s on a 2-core machine) for code nobody asked to see. Open or closed survives
    the re-runs; ``st.session_state[OPEN_ALL]`` opens it on its first draw (tests, screenshots).

    Args:
        *fns: functions, classes or methods.
        labels: write each one's :func:`public_name` above its source.
        joined: one code block for all (else one block each).
    """
    caller = sys._getframe(1)  # one key per call site: stable from run to run, whichever functions it shows
    where = f"{caller.f_code.co_filename}:{caller.f_lineno}"
    _code_box(f"_code_{zlib.crc32(where.encode()):08x}", fns, labels, joined)


@st.fragment
def _code_box(key: str, fns: tuple[Callable, ...], labels: bool, joined: bool) -> None:
    box = kept_expander(t("common.show_code"), key)
    if not box.open:
        return
    with box:
        if joined:
            st.code("\n\n".join(_source(f) for f in fns), language="python")
            return
        for f in fns:
            if labels:
                st.markdown(f"`{public_name(f)}`")
            st.code(_source(f), language="python")


def _wanted(key: str):
    """The value the student last chose for widget ``key`` (None before the first run).

    A value this module set (to keep the widget valid) is not a choice: only a value that differs from
    the one set last time counts, so a choice that the range or the options took away comes back as
    soon as it is valid again (hop 160 -> 80 while n_fft is 128 -> 160 when n_fft is 400 again).
    """
    s = st.session_state
    v, shown, want = s.get(key), f"_shown_{key}", f"_want_{key}"
    if v is not None and (shown not in s or v != s[shown]):
        s[want] = v
    return s.get(want)


def _show(key: str, value) -> None:
    st.session_state[key] = st.session_state[f"_shown_{key}"] = value


def clamp(key: str, lo: int | float, hi: int | float, default: int | float) -> None:
    """Keep a widget's value when its range changes, or show ``default`` while the student's choice does not
    fit (the choice comes back when it fits again).

    Call before drawing the widget (with ``key=key`` and no ``value=``). The value is re-assigned
    even when it fits: Streamlit forgets the value of a widget whose parameters changed otherwise.
    """
    v = _wanted(key)
    _show(key, v if v is not None and lo <= v <= hi else default)


def keep_valid(key: str, options: Sequence, default, *, nearest: bool = False) -> None:
    """Like :func:`clamp` for a choice: the student's choice while it is one of ``options``, else ``default``
    (``nearest``: the option closest to the choice, for numbers), and the choice again once it is valid."""
    v = _wanted(key)
    if v in options:
        _show(key, v)
    elif nearest and isinstance(v, (int, float)) and options:
        _show(key, min(options, key=lambda o: (abs(o - v), o)))
    else:
        _show(key, default)


def follow(key: str, source, value) -> None:
    """Set a widget's value to ``value`` whenever ``source`` changes (and when it has none yet), e.g. a new
    model starts at its own learned scale; in between, the student's choice stays. Call before the widget."""
    seen = f"_follow_{key}"
    if st.session_state.get(seen) != source or key not in st.session_state:
        st.session_state[seen] = source
        st.session_state[key] = value


def slider(label: str, lo, hi, *, key: str, default, into=None, **kwargs):
    """``st.slider`` whose value survives a change of its range (see :func:`clamp`); ``into``: a container."""
    clamp(key, lo, hi, default)
    return (into or st).slider(label, lo, hi, key=key, **kwargs)


def select_slider(label: str, options: Sequence, *, key: str, default, into=None, nearest: bool = False, **kwargs):
    """``st.select_slider`` whose value survives a change of its options (see :func:`keep_valid`)."""
    keep_valid(key, options, default, nearest=nearest)
    return (into or st).select_slider(label, options, key=key, **kwargs)


def selectbox(label: str, options: Sequence, *, key: str, default, into=None, **kwargs):
    """``st.selectbox`` whose value survives a change of its options (see :func:`keep_valid`)."""
    keep_valid(key, options, default)
    return (into or st).selectbox(label, options, key=key, **kwargs)


def keep_widgets(first: Mapping[str, object]) -> None:
    """Keep the values of a page's (or a section's) widgets while they are not drawn: the student is on
    another page, or the section is closed.

    Streamlit forgets the state of every widget a run does not draw, and then shows an older value set
    through ``st.session_state`` if there was one. Call this before the widgets are drawn (the top of the
    page, of the section) and, optionally, at the end: every widget value is written back as a session
    value (Streamlit keeps those), so the latest one survives; a widget seen for the first time starts at
    its first value.

    Args:
        first: widget key -> first value (None: leave the widget to its own default). Not for buttons and
            file uploaders (Streamlit refuses values for them).
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    drawn = getattr(getattr(ctx, "shared", None), "widget_user_keys_this_run", ())  # keys drawn in this run
    s = st.session_state
    for key, value in first.items():
        saved = f"_kept_{key}"
        if key not in drawn:  # a widget drawn in this run already cannot be set any more
            if key in s:
                s[key] = s[key]  # the widget's value becomes a session value: it outlives the widget
            elif saved in s:
                s[key] = s[saved]
            elif value is not None:
                s[key] = value
            else:
                continue
        if key in s:
            s[saved] = s[key]


def metrics(*items: tuple) -> list:
    """A row of ``st.metric``, one per item ``(label, value)`` or ``(label, value, help)``; returns the columns
    (for a caption under a metric)."""
    cols = st.columns(len(items))
    for col, (label, value, *help_) in zip(cols, items):
        col.metric(label, value, help=help_[0] if help_ else None)
    return cols


def thumbnails(images: Sequence, captions: Sequence[str], *, width: int, min_side: int,
               title: str | None = None) -> None:
    """Small (H, W, 3) uint8 images in a row, enlarged by pixel repetition to ``min_side`` (no blur), shown
    ``width`` px wide with a caption each; ``title``: a caption line above them."""
    if title:
        st.caption(title)
    st.image([crisp(x, min_side)[0] for x in images], caption=list(captions), width=width)


def code_span(text: str) -> str:
    """Text that can sit between backticks in ``st.markdown`` (a backtick would end the code span)."""
    return text.replace("`", "ʼ")


def token_lines(tokens: Sequence[Sequence[str]], *, unknown: Sequence[Sequence[str]] | None = None,
                truncated: Sequence[bool] | None = None, unk: str = "<unk>") -> str:
    """Token sequences as Markdown, one line each: "**#j** `a` `red` `circle` (3 tokens)".

    Args:
        tokens: the tokens (strings) of each text.
        unknown: per text, the words that became ``unk`` (flagged in red after the line).
        truncated: per text, whether it was cut at the context length (flagged in orange).
        unk: the unknown token, drawn red.
    """
    lines = []
    for j, toks in enumerate(tokens):
        chips = " ".join(f":red-background[`{t}`]" if t == unk else f"`{code_span(t)}`" for t in toks)
        words = unknown[j] if unknown else []
        note = f" · :red[{t('common.tl_unknown')}] " + ", ".join(f"`{code_span(w)}`" for w in words) if words else ""
        trunc = f" · :orange[{t('common.tl_cut')}]" if truncated and truncated[j] else ""
        lines.append(f"**#{j}** {chips} ({t('common.tl_tokens', n=len(toks))}){note}{trunc}")
    return "  \n".join(lines)


# --------------------------------------------------------------------------- text from outside (names, errors)
_MARKUP = re.compile(r"([\\`*_\[\]<>$:~|#&!])")
_LEADING = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")
_PATH = re.compile(r"(?<![\w.:/])(?:~|[A-Za-z]:)?(?:[/\\][^\s/\\'\"`,;:()]+)+[/\\]?")


def plain(text: str, limit: int | None = 120) -> str:
    """Text from outside (a file name, an error) for any Streamlit text that reads Markdown (captions, labels,
    ``st.error``): every Markdown, LaTeX (``$``), emoji / icon / colour directive (``:red[...]``) and HTML
    character is escaped, so ``**x**.png`` shows as typed; line breaks become spaces; longer than ``limit``
    characters, it is cut with "…"."""
    text = " ".join(str(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit() else
                        m.group(1) + m.group(2) + "\\", _MARKUP.sub(r"\\\1", text), count=1)


def scrub(err: object) -> str:
    """An error's text for a student: no absolute server path ("/root/.cache/mmviz/models/x" -> "x"), plain."""
    text = _PATH.sub(lambda m: m.group(0).rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] or "", str(err))
    return plain(text, limit=300)


# --------------------------------------------------------------------------- sections that cost nothing while closed


def whole_page() -> None:
    """``on_change`` of a widget inside a section whose value other sections use (n_fft drives the mel,
    log-mel and patch sections): its change re-runs the whole page instead of its section alone."""
    st.session_state[_WHOLE] = True


def _fragment_run() -> bool:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


@st.fragment
def _part(title: str, key: str, body: Callable[[], None], expanded: bool, keep: Mapping[str, object]) -> None:
    s = st.session_state
    if s.pop(_WHOLE, False) and _fragment_run():
        st.rerun()  # a page-wide control changed: run the whole page
    keep_widgets(keep)
    if presenting():  # one section at a time, open, under the pager; the others compute nothing
        if shown_part(key.rsplit("_", 1)[0], key, title):
            body()
            keep_widgets(keep)
        return
    box = kept_expander(title, key, expanded=expanded)
    if box.open:
        with box:
            body()
        keep_widgets(keep)


def part(title: str, key: str, *, expanded: bool = False, keep: Mapping[str, object] | None = None):
    """Draw one section of a lesson, at once, in place (use as a decorator on a function without arguments)::

        @ui.part("2. Similarity depends on distance only", "pe_s2")
        def _():
            ...  # widgets, one cached backend call, figures

    The section is an expander whose body runs only while it is open (a closed section computes and sends
    nothing), inside a fragment (``st.fragment``): moving a control of the section re-runs the section
    alone, not the page. Whether it is open, and the values of its widgets named in ``keep``, survive
    visits to other pages (Streamlit forgets the widgets a run does not draw: a closed section draws none).

    Args:
        title: the expander's label (plain text; Markdown headings and lists are not read). Keep it the same
            from run to run: Streamlit takes a new label for a new expander (closed).
        key: the expander's key (``st.session_state[key]`` is True while it is open).
        expanded: open on the first visit.
        keep: widget key -> first value (None: the widget's own) of the section's widgets, see
            :func:`keep_widgets`.

    ``st.session_state[OPEN_ALL] = True`` opens every section on its first draw (tests, screenshots). In presenter
    mode (``mmviz.ui.present``) the sections show one at a time, open, under a Previous / Next bar.
    """
    def draw(body: Callable[[], None]) -> Callable[[], None]:
        _part(title, key, body, expanded, dict(keep or {}))
        return body
    return draw
