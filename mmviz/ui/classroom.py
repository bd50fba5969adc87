"""The classroom controls of the shell (app.py): the language switch and presenter mode at the top of the
sidebar, and, after the page ran, the link to the view and the end of presenter mode's run."""

from __future__ import annotations

import streamlit as st

from mmviz.ui.lang import language_switch, t
from mmviz.ui.present import BASE_CSS, PRESENT_KEY, finish, presenter_css, presenting
from mmviz.ui.state import link_box, segmented, toggle

__all__ = ["sidebar_state", "classroom_controls", "classroom_finish"]


def sidebar_state() -> str:
    """``st.set_page_config``'s ``initial_sidebar_state``: folded away in presenter mode (``?present=1``)."""
    return "collapsed" if presenting() else "auto"


def classroom_controls():
    """The language switch and the presenter toggle (top of the sidebar); returns the sidebar's place for the
    link box, which :func:`classroom_finish` fills after the page ran."""
    with st.sidebar:
        language_switch(segmented)  # one row each: side by side, the sidebar cut "English" and the toggle's label
        if PRESENT_KEY not in st.session_state:
            st.session_state[PRESENT_KEY] = presenting()
        toggle(t("common.present"), key=PRESENT_KEY, default=False, help=t("common.present_help"))
        slot = st.container()
        st.html(BASE_CSS)  # in the sidebar: a style applies to the whole page, and takes no room in the lesson
        if presenting():
            presenter_css()
    return slot


def classroom_finish(slot) -> None:
    """After the page: the link to this view into ``slot``; presenter mode's end of run (see ``present.finish``)."""
    with slot:
        link_box()
    finish()
