"""What the text lessons' tests share: texts no lesson may fail on (what a student can type or paste: each must
give tokens and a sentence, never an exception), typing one into a page, and a page's first run.
"""

from __future__ import annotations

BAD_TEXTS = {
    "empty": "",
    "spaces": "   \n  ",
    "huge": "a red circle is small . " * 4200,  # 100 800 characters
    "emoji": "😀🎉 a circle",
    "korean": "빨간 원이 파란 사각형의 왼쪽에 있다",
    "rtl": "שלום עולם مرحبا",
    "null": "a\x00red\x00circle",
    "unknown": "The cat sat on the mat.",
    "controls": "a\u200f red\u202e circle",
    "surrogate": "a \ud800 b",  # no UTF-8: cannot come from a browser, only from code
}
#: the ones a browser (or AppTest) can send
TYPED = [k for k in BAD_TEXTS if k != "surrogate"]


def typed(at, key: str, text: str) -> str:
    """Type ``text`` into the text area ``key`` of an AppTest, run it, check that no exception or error came,
    and return what the page said about it (its warnings and infos, joined)."""
    at.text_area(key=key).set_value(text).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return " ".join([*(w.value for w in at.warning), *(i.value for i in at.info)])


def first_run(page: str, family: str, key: str):
    """A page's first run with nothing chosen: (AppTest, the name its model picker shows, whether the family's
    trained tiny model is here, which the picker must then show)."""
    from streamlit.testing.v1 import AppTest

    from mmviz import weights

    at = AppTest.from_file(page, default_timeout=180).run()
    assert not at.exception, at.exception
    embedded = next(m for m in weights.available_models(family) if m.tier == "embedded")
    twin = next(m for m in weights.available_models(family) if m.tier == "untrained")
    shown = at.selectbox(key=key).value
    assert shown == (embedded.name if embedded.available else twin.name)
    return at, shown, embedded.available
