"""Live runs (training a model on the page): Start / Stop buttons, a panel that shows the run as it goes,
a server-wide limit, one run per session, one CPU thread each."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence

import streamlit as st

from mmviz import i18n
from mmviz.device import torch_threads
from mmviz.ui.lang import lang, t
from mmviz.ui.page import chart

__all__ = ["LiveRuns", "session_id", "live_run", "live_buttons", "live_panel"]


class LiveRuns:
    """The live runs of the whole server: at most ``max_runs`` at once, one per session.

    Kept outside st.session_state on purpose: a run interrupted by a click or a closed tab ends with
    an exception, and writes to session_state at that moment may be lost. A run that never reports
    its end is forgotten after ``seconds`` + 60 s.

    Args:
        max_runs: runs allowed at once on the server.
        seconds: the longest a run may take.
    """

    def __init__(self, max_runs: int = 2, seconds: float = 180.0) -> None:
        self.max_runs, self.seconds = max_runs, seconds
        self.lock = threading.Lock()
        self.active: dict[str, float] = {}  # session id -> start time

    def start(self, session: str, lang: str = i18n.DEFAULT) -> str | None:
        """Register a run; returns None, or the sentence (in ``lang``) that says why it cannot start now."""
        with self.lock:
            now = time.time()
            self.active = {k: t for k, t in self.active.items() if now - t < self.seconds + 60}
            if session in self.active:
                return i18n.text("common.live_busy_session", lang)
            if len(self.active) >= self.max_runs:
                return i18n.text("common.live_busy_server", lang, n=self.max_runs)
            self.active[session] = now
            return None

    def end(self, session: str) -> None:
        with self.lock:
            self.active.pop(session, None)


@st.cache_resource
def _live_runs(max_runs: int, seconds: float) -> LiveRuns:
    return LiveRuns(max_runs, seconds)


def session_id() -> str:
    """The id of the browser session this run belongs to ("local" outside a server)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "local"


@contextlib.contextmanager
def live_run(*, max_runs: int = 2, seconds: float = 180.0, threads: int = 1) -> Iterator[str | None]:
    """A live run of this session: yields None and runs the block with at most ``threads`` torch threads
    (so the other students' pages stay quick), or yields the sentence that says why it cannot start.

    The run is unregistered when the block ends, also when a click or a closed tab interrupts it.
    """
    runs, session = _live_runs(max_runs, seconds), session_id()
    refusal = runs.start(session, lang())
    if refusal:
        yield refusal
        return
    try:
        with torch_threads(threads):
            yield None
    finally:
        runs.end(session)


def _other_sessions() -> int:
    """Browser sessions on this server besides this one (0 when the runtime cannot say)."""
    try:
        from streamlit import runtime

        return max(0, len(runtime.get_instance()._session_mgr.list_active_sessions()) - 1)
    except Exception:  # noqa: BLE001 - outside a server (AppTest) or another Streamlit: say nothing
        return 0


def live_buttons(key: str, start: str, *, stop_help: str | None = None) -> None:
    """The Start (``{key}_start``) and Stop (``{key}_stop``) buttons of a :func:`live_panel`; ``stop_help``: the Stop
    button's tooltip (None: that any click stops a run, in the session's language).

    Draw them outside the panel: a click outside a fragment reruns the page, which interrupts the
    running loop at its next Streamlit call (a click inside would only be queued until the run ends).
    """
    def go() -> None:
        st.session_state[f"{key}_go"] = True

    b1, b2, _ = st.columns([1.6, 1, 3])
    b1.button(start, type="primary", key=f"{key}_start", icon=":material/play_arrow:", on_click=go)
    b2.button(t("common.stop"), key=f"{key}_stop", icon=":material/stop:", help=stop_help or t("common.stop_help"))


@st.fragment
def live_panel(key: str, run: Callable[[], Iterator[dict]], figures: Callable[[dict], Sequence], *,
               before: Callable[[], None] | None = None, plots: int = 2, max_runs: int = 2,
               seconds: float = 180.0) -> None:
    """A live run's status line, progress bar and plots; runs when the Start button of :func:`live_buttons` was pressed.

    Without a press it draws the last run again (``st.session_state[f"{key}_last"]``) and says whether
    it was stopped.

    Args:
        key: the run's name (the buttons' prefix).
        run: starts the run: yields the run so far after every step, one dict updated in place with at
            least ``step``, ``total``, ``seconds``, ``fresh`` (a new evaluation to draw), ``message`` (one
            sentence), ``done`` and, at the end, ``summary``.
        figures: ``figures(run)`` -> the ``plots`` Plotly figures of the run so far, drawn side by side.
        before: draws what stands above the plots (e.g. the held-out data).
        plots, max_runs, seconds: placeholders; the server-wide limits of :func:`live_run`.
    """
    go = st.session_state.pop(f"{key}_go", False)
    status, bar = st.empty(), st.empty()
    if before is not None:
        before()
    places = [col.empty() for col in st.columns(plots)]

    def draw(hist: dict) -> None:
        for fig, place in zip(figures(hist), places):
            chart(fig, into=place)

    last = st.session_state.get(f"{key}_last")
    if not go:
        if last is not None:
            draw(last)
            status.caption(last.get("summary") or t("common.live_stopped", message=last["message"]))
        return
    with live_run(max_runs=max_runs, seconds=seconds) as refusal:  # one CPU thread per run
        if refusal:
            status.warning(refusal)
            return
        for hist in run():
            if hist["fresh"]:
                st.session_state[f"{key}_last"] = hist
                draw(hist)
            bar.progress(hist["step"] / hist["total"], text=t("common.live_progress", step=hist["step"],
                                                               total=hist["total"], seconds=hist["seconds"]))
        st.session_state[f"{key}_last"] = hist
        if hist.get("limited"):  # the time limit stopped it: say how far it got, why, and who else is here
            others = _other_sessions()
            status.warning(hist["summary"] + (" " + t("common.live_others_1" if others == 1 else "common.live_others_n",
                                                      n=others) if others else ""), icon=":material/timer:")
        else:
            status.success(hist["summary"])
