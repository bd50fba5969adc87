"""Predict, then reveal: a question the student answers (a number or a choice) and commits before the app
shows the answer computed from the tensors, with the explanation.

    ui.predict("bg_q_next", T("q_next"), options=candidates, reveal=lambda: (best, T("q_next_why", ...)),
               context=prompt)

``reveal`` runs only after the commit, so a question costs nothing until it is answered. A committed
answer is this student's alone (never in the link); it is forgotten when ``context`` changes (another
image, another sentence), so the question can be asked again. "Just show me" reveals without an answer.

What would give the answer away (a formula with the numbers, a metric, the figure that shows it) is drawn only
once the question is answered or skipped::

    if ui.predict("pt_q_tokens", ...) is not None:   # None: still open
        st.latex(...)                                 # the numbers that answer it
    else:
        st.latex(...)                                 # the same formula without them

``st.session_state[REVEAL_ALL] = True`` (tests, screenshots, a lecturer's full view) answers every question
as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from mmviz.ui.lang import t

__all__ = ["predict", "REVEAL_ALL"]

#: session key: when true, every question is shown as skipped (its answer and what it hides are drawn)
REVEAL_ALL = "_reveal_all"
_SKIP = object()  # the "answer" of a student who asked to be shown


def _skip(key: str, context) -> None:
    st.session_state[f"{key}_committed"] = (_SKIP, context)


def _commit(key: str, context) -> None:
    st.session_state[f"{key}_committed"] = (st.session_state.get(f"{key}_guess"), context)


def _again(key: str) -> None:
    st.session_state.pop(f"{key}_committed", None)


def predict(key: str, question: str, *, reveal: Callable[[], tuple[object, str]], options: Sequence | None = None,
            format_func: Callable = str, lo: float | None = None, hi: float | None = None, step: float = 1,
            tolerance: float = 0.0, context=None, into=None) -> bool | None:
    """A predict-then-reveal question.

    Args:
        key: prefix of the widget keys (``{key}_guess``, ``{key}_commit``, ``{key}_again``).
        question: the question (Markdown).
        reveal: () -> (the right answer, its explanation in Markdown), computed from the lesson's numbers.
        options: the choices (a radio); None asks for a number (``lo``, ``hi``, ``step``).
        format_func: how a choice (and the answer) is written.
        tolerance: for a number, how far from the answer still counts as right (relative, 0.05 = 5%).
        context: anything hashable that the answer depends on; when it changes, the commit is forgotten.
        into: a container (default: the page).

    Returns:
        None while the question is open, else whether the committed answer was right (False when the student
        asked to be shown without answering).
    """
    s = st.session_state
    committed = s.get(f"{key}_committed")
    if committed is not None and committed[1] != context:
        s.pop(f"{key}_committed")
        committed = None
    if committed is None and s.get(REVEAL_ALL):
        committed = s[f"{key}_committed"] = (_SKIP, context)
    with (into or st).container(border=True, key=f"{key}_box"):
        st.markdown(f":material/psychology_alt: **{t('common.predict_title')}** · {question}")
        done = committed is not None
        if options is not None:
            if s.get(f"{key}_guess") not in options:
                s.pop(f"{key}_guess", None)
            st.radio(t("common.predict_your_answer"), list(options), key=f"{key}_guess", format_func=format_func,
                     horizontal=True, index=None, disabled=done)
        else:
            st.number_input(t("common.predict_your_answer"), lo, hi, key=f"{key}_guess", step=step, value=None,
                            disabled=done, placeholder=t("common.predict_placeholder"))
        if not done:
            c1, c2 = st.columns([1, 1])
            c1.button(t("common.predict_commit"), key=f"{key}_commit", icon=":material/lock:", on_click=_commit,
                      args=(key, context), disabled=s.get(f"{key}_guess") is None)
            c2.button(t("common.predict_skip"), key=f"{key}_skip", icon=":material/visibility:", on_click=_skip,
                      args=(key, context), type="tertiary")
            st.caption(t("common.predict_hint"))
            return None
        guess = committed[0]
        answer, why = reveal()
        if guess is _SKIP:
            shown = format_func(answer) if options is not None else f"{answer:,}" if isinstance(answer, int) else answer
            st.info(t("common.predict_shown", answer=shown))
            st.markdown(why)
            st.button(t("common.predict_again"), key=f"{key}_again", icon=":material/replay:", on_click=_again,
                      args=(key,), type="tertiary")
            return False
        if options is not None:
            right = guess == answer
        else:
            right = guess is not None and abs(float(guess) - float(answer)) <= tolerance * max(1.0, abs(float(answer)))
        shown = format_func(answer) if options is not None else f"{answer:,}" if isinstance(answer, int) else answer
        (st.success if right else st.warning)(
            t("common.predict_right" if right else "common.predict_wrong",
              guess=format_func(guess) if options is not None else guess, answer=shown))
        st.markdown(why)
        st.button(t("common.predict_again"), key=f"{key}_again", icon=":material/replay:", on_click=_again,
                  args=(key,), type="tertiary")
        return right
