"""The words of the interface in English and Korean: one catalogue per language.

A catalogue is a plain mapping ``"<page>.<name>" -> text`` (``mmviz.i18n.en.STRINGS``,
``mmviz.i18n.ko.STRINGS``), gathered from one module per page (``en/bert_gpt.py`` holds the
``bert_gpt.*`` keys); ``common`` holds what the shared helpers say, ``app`` the shell's words.
Texts are ``str.format`` templates: ``{n}`` is a value, ``{{`` a literal brace. Every key exists in
both catalogues with the same placeholders (tests/test_i18n.py).

Korean keeps the standard English term where Korean courses use it, with the English word in
brackets on its first use on a page: "토큰(token)", "어텐션(attention)". Formulas and code are
not translated (they stay in the pages).

Keys named ``<page>.fig_<name>`` are texts drawn inside figures (titles, axis titles, hover labels):
the figure builders write the English, and :func:`mmviz.i18n.figures.translate_figure` swaps it for
the Korean when a figure is drawn, so the builders stay free of the interface's language.

Nothing here imports streamlit; ``mmviz.ui`` keeps the language of each session.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from mmviz.i18n import en, ko

__all__ = ["LANGS", "DEFAULT", "NAMES", "CATALOGUES", "text", "has", "fields", "normalize"]

#: the languages of the interface, the first the default
LANGS = ("en", "ko")
DEFAULT = "en"
#: each language's name, written in that language (the sidebar's switch)
NAMES = {"en": "English", "ko": "한국어"}
CATALOGUES: dict[str, Mapping[str, str]] = {"en": en.STRINGS, "ko": ko.STRINGS}


def normalize(lang: str | None) -> str:
    """A language code the interface has ("ko", "ko-KR", "KO" -> "ko"); anything else -> the default."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else DEFAULT


def has(key: str) -> bool:
    """True when the English catalogue has ``key``."""
    return key in en.STRINGS


def text(key: str, lang: str = DEFAULT, /, **values) -> str:
    """The text of ``key`` in ``lang``, its ``{placeholders}`` filled with ``values``.

    A key missing from ``lang`` falls back to English, a key missing from English to the key itself
    (the tests keep both from happening).
    """
    template = CATALOGUES.get(lang, en.STRINGS).get(key)
    if template is None:
        template = en.STRINGS.get(key, key)
    return template.format(**values)


def fields(template: str) -> set[str]:
    """The placeholder names of a template: "{n:,} of {total}" -> {"n", "total"}."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
