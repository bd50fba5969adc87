"""The language of the interface: chosen in the sidebar or by ``?lang=ko``, kept in the session and the URL.

Pages read their words from the catalogues (``mmviz.i18n``)::

    T = ui.texts("bert_gpt")      # the page's keys: T("title") is i18n key "bert_gpt.title"
    st.title(T("title"))
    st.caption(T("rows", n=12))   # placeholders filled with str.format

``ui.t(key, **values)`` reads any key (``"common.show_code"``).
"""

from __future__ import annotations

import streamlit as st

from mmviz import i18n

__all__ = ["LANG_KEY", "lang", "t", "texts", "language_switch"]

#: the session-state key (and URL parameter) of the language
LANG_KEY = "lang"


def lang() -> str:
    """The language of this session: the sidebar's choice, else ``?lang=`` of the URL, else the browser's
    language when the interface has it, else English."""
    chosen = st.session_state.get(LANG_KEY)
    if chosen in i18n.LANGS:
        return chosen
    asked = st.query_params.get(LANG_KEY)
    if asked:
        return i18n.normalize(asked)
    try:
        return i18n.normalize(st.context.locale)
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest, bare mode) there is no locale
        return i18n.DEFAULT


def t(key: str, /, **values) -> str:
    """The text of catalogue ``key`` in this session's language, placeholders filled."""
    return i18n.text(key, lang(), **values)


class texts:  # noqa: N801 - used like a function: T = ui.texts("page"); T("title")
    """A page's own keys: ``texts("bert_gpt")("title")`` is ``t("bert_gpt.title")``.

    Args:
        page: the key prefix (the page's name).
    """

    __slots__ = ("prefix",)

    def __init__(self, page: str) -> None:
        self.prefix = page + "."

    def __call__(self, name: str, /, **values) -> str:
        return i18n.text(self.prefix + name, lang(), **values)


def language_switch(bind) -> str:
    """The sidebar's language switch (``English | 한국어``, key ``lang``); ``bind`` keeps it in the URL
    (``mmviz.ui.state.segmented``). Returns the language."""
    s = st.session_state
    if s.get(LANG_KEY) not in i18n.LANGS:
        s[LANG_KEY] = lang()
    return bind(t("common.language"), list(i18n.LANGS), key=LANG_KEY, default=i18n.DEFAULT,
                format_func=i18n.NAMES.get, label_visibility="collapsed") or i18n.DEFAULT
