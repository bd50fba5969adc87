"""End-to-end: the classroom in Debian's Chromium. Every page opened with ?lang=ko is mostly Korean; a link copied
from the link box after changing controls reopens the same view in a fresh browser; presenter mode at 1280×720
(English and Korean) shows one section, large text, figure text of at least 14 px, the sidebar folded away.

Screenshots: tests/e2e/screenshots/presenter_<page>_<lang>.png (look at them: Korean must be glyphs, not boxes).
"""

from __future__ import annotations

import os
import re

from pathlib import Path

import pytest
from test_browser import PAGES, assert_no_exception, open_section, skip_questions, wait_idle

SHOTS = Path(__file__).resolve().parent / "screenshots"

pytestmark = pytest.mark.e2e

#: the visible words of the lesson (not code, formulas, token chips or sample sentences the models read)
_WORDS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const parts = main.querySelectorAll('h1, h2, h3, [data-testid=stMarkdownContainer] p, [data-testid=stMarkdownContainer] li,'
    + ' [data-testid=stWidgetLabel], [data-testid=stCaptionContainer], [data-testid=stAlertContentInfo],'
    + ' [data-testid=stAlertContentWarning], [data-testid=stExpander] summary');
  let text = '';
  for (const el of parts) {
    if (el.closest('pre, code, .katex, [data-testid=stCode]') || el.querySelector('bdi')) continue;
    const c = el.cloneNode(true);
    c.querySelectorAll('code, .katex, bdi, [data-testid=stIconMaterial]').forEach(x => x.remove());
    text += ' ' + c.innerText;
  }
  return text;
}"""


def _share(text: str) -> float:
    hangul = sum("\uac00" <= c <= "\ud7a3" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return hangul / max(1, hangul + latin)


def _open(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    skip_questions(page)
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    wait_idle(page, settle_ms=800)


#: text the page cuts off (an ellipsis or a clipped box): a button, a menu's value, a metric's label or value
_CUT = """() => [...document.querySelectorAll('[data-testid="stAppViewContainer"] *')].filter(el => {
  if (!el.offsetParent || el.children.length > 2 || el.clientWidth < 10
      || el.closest('.katex, .js-plotly-plot, [data-testid="stCode"]')) return false;
  if (el.closest('[data-testid="stSelectbox"]') && el.innerText.includes(' · ')) return false;  // a model's sentence
  const cs = getComputedStyle(el);
  return (cs.textOverflow === 'ellipsis' || cs.overflowX === 'hidden') && el.scrollWidth > el.clientWidth + 2
    && (el.innerText || '').trim().length > 0;
}).map(el => el.innerText.trim().slice(0, 80))"""


#: axes a figure squeezed to a sliver (an image trace ties y to x: seconds against hertz left the STFT 0 px wide)
_SQUEEZED = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => Object.keys(p._fullLayout)
  .filter(k => /^[xy]axis\\d*$/.test(k) && p._fullLayout[k]._length !== undefined && p._fullLayout[k]._length < 40)
  .map(k => (p._fullLayout.title.text || '').slice(0, 60) + ' ' + k))"""


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_in_korean(page, app_url, name):
    page.set_viewport_size({"width": 1280, "height": 720})  # the smaller of the two screens a lecturer uses
    _open(page, f"{app_url}/{PAGES[name]}?lang=ko")
    assert_no_exception(page, f"{name} in Korean")
    assert page.evaluate(_CUT) == [], f"{name}: text cut off at 1280 px"
    assert page.evaluate(_SQUEEZED) == [], f"{name}: a figure squeezed to a sliver"
    words = page.evaluate(_WORDS)
    title = page.locator("h1").first.inner_text()
    assert any("\uac00" <= c <= "\ud7a3" for c in title), title
    assert _share(words) >= 0.6, f"{name}: {_share(words):.0%} Korean letters in {words[:400]!r}"
    nav = page.locator('[data-testid=stSidebarNav]').inner_text()
    assert "패치 토큰화" in nav and "멀티모달 융합" in nav
    assert "lang=ko" in page.url  # the language stays in the URL (and in every link)
    assert page.locator(".js-plotly-plot").count() >= 1
    page.screenshot(path=str(SHOTS / f"page_{name}_ko.png"), full_page=True)


def _link(page) -> str:
    box = page.locator('[data-testid=stSidebar] [data-testid=stExpander]').filter(has_text="Link to this view")
    box.locator("summary").click()
    text = box.locator("code").first.inner_text().strip()
    box.locator("summary").click()
    return text


#: true when the sidebar is folded away (older Streamlit: aria-expanded; newer: out of view or zero width)
_SIDEBAR_FOLDED = """(() => {
  const s = document.querySelector('[data-testid=stSidebar]');
  if (!s) return true;
  const a = s.getAttribute('aria-expanded');
  if (a !== null) return a === 'false';
  const r = s.getBoundingClientRect();
  return r.right <= 5 || r.width <= 5 || getComputedStyle(s).visibility === 'hidden';
})()"""


def _title(page) -> str:
    """The head view's title as drawn (Streamlit's Plotly theme wraps titles in <b>)."""
    text = page.evaluate("document.querySelector('.st-key-bg_headview .js-plotly-plot').layout.title.text")
    return re.sub(r"</?b>", "", text)


def test_a_copied_link_reopens_the_same_view(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    _open(page, f"{app_url}/bert_gpt")
    page.locator(".st-key-bg_look").get_by_text("GPT", exact=True).click()
    wait_idle(page)
    slider = page.locator(".st-key-bg_layer input[type=range], .st-key-bg_layer [role=slider]").first
    slider.focus()
    slider.press("ArrowLeft")
    slider.press("ArrowLeft")
    wait_idle(page)
    page.locator(".st-key-bg_head").click()
    page.get_by_role("option", name="2", exact=True).click()
    wait_idle(page, settle_ms=800)
    open_section(page, "4.")  # the head view (a closed section draws no chart)
    title = _title(page)
    assert title == "GPT layer 1, head 2"
    link = _link(page)
    assert link.startswith(app_url + "/bert_gpt?") and "bg_look=GPT" in link and "bg_layer=1" in link
    ctx.close()

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})  # another student, nothing shared
    other = fresh.new_page()
    other.set_default_timeout(120_000)
    _open(other, link)
    assert_no_exception(other, "the reopened link")
    open_section(other, "4.")
    assert _title(other) == title
    thumb = other.locator(".st-key-bg_layer input[type=range], .st-key-bg_layer [role=slider]").first
    assert "1" in (thumb.get_attribute("value"), thumb.get_attribute("aria-valuenow"))
    fresh.close()


# the three kinds of page: one screen (home), sections that compute when shown (ui.part), sections drawn and hidden
# (ui.section), one per language; every page in both languages (the screenshots a lecturer looks at) with
# `MMVIZ_ALL_PRESENTER=1 python -m pytest tests/e2e/test_classroom_browser.py` (CI keeps under 20 minutes)
PRESENTER_CASES = ([(name, lang) for name in PAGES for lang in ("en", "ko")]
                   if os.environ.get("MMVIZ_ALL_PRESENTER") == "1"
                   else [("home", "ko"), ("attention_maps", "en"), ("audio_tokens", "ko"), ("bert_gpt", "ko"),
                         ("fusion", "en")])


@pytest.mark.parametrize(("name", "lang"), PRESENTER_CASES)
def test_presenter_mode_at_1280x720(browser, app_url, name, lang):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{app_url}/{PAGES[name]}?present=1&lang={lang}&s=2")
    wait_idle(page)
    sections = name != "home"  # the home page is one screen: no sections to step through
    if sections:
        page.wait_for_selector('[class*="st-key-mmsec-"]', state="attached", timeout=120_000)
    wait_idle(page, settle_ms=1200)
    assert_no_exception(page, f"{name} presenting")
    shown = page.evaluate("Array.from(document.querySelectorAll('[class*=\"st-key-mmsec-\"]'))"
                          ".filter(e => e.offsetParent !== null).length")
    assert shown == (1 if sections else 0), f"{name}: {shown} sections visible"
    assert page.evaluate(_SIDEBAR_FOLDED), f"{name}: the sidebar is open in presenter mode"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'[data-testid=stMain] [data-testid=stMarkdownContainer] p')).fontSize)")
    assert size >= 20, size
    small = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter(p => p.offsetParent !== null)
        .flatMap(p => Array.from(p.querySelectorAll('.gtitle, .xtitle, .ytitle, .xtick text, .ytick text, .annotation-text')))
        .filter(t => t.textContent.trim() && parseFloat(getComputedStyle(t).fontSize) < 14)
        .map(t => t.textContent.slice(0, 30))""")
    assert not small, f"{name}: figure text under 14 px: {small[:8]}"
    if sections:
        page.keyboard.press("ArrowRight")  # the keyboard moves to the next section
        wait_idle(page)
        assert "s=3" in page.url
        page.keyboard.press("ArrowLeft")
        wait_idle(page, settle_ms=1000)
    page.screenshot(path=str(SHOTS / f"presenter_{name}_{lang}.png"))
    ctx.close()
