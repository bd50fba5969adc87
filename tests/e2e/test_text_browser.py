"""End-to-end: the two text lessons in Debian's Chromium (fixtures from tests/e2e/conftest.py).

A sentence is typed into each page's text box; the test waits on the app's own state (the script run
finishes, the figures hold the new tokens), presses the buttons, and takes screenshots at 1400x900 and
1280x720 (and the whole page) in tests/e2e/screenshots/: look at them (Korean must be glyphs, not boxes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_browser import assert_no_exception, open_section, wait_idle

SHOTS = Path(__file__).resolve().parent / "screenshots"
SIZES = ((1400, 900), (1280, 720))

pytestmark = pytest.mark.e2e


def figure_text(page, key: str, trace: int = 0) -> list[str]:
    """The labels of one trace of the plotly chart drawn with ``key`` (what the browser holds)."""
    return page.evaluate(f"(document.querySelector('.st-key-{key} .js-plotly-plot')?._fullData?.[{trace}]?.text)"
                         " || []")


def wait_figure_has(page, key: str, word: str, trace: int = 0) -> None:
    """Wait until the chart ``key`` shows ``word`` among its labels (the rerun reached the browser)."""
    page.wait_for_function(
        "([k, t, w]) => (document.querySelector(`.st-key-${k} .js-plotly-plot`)?._fullData?.[t]?.text || [])"
        ".some(x => String(x).replace(/<[^>]+>/g, '') === w)", arg=[key, trace, word], timeout=120_000)
    wait_idle(page)


def type_sentence(page, key: str, text: str) -> None:
    """Type into the text box ``key`` as a user does, then commit it (Ctrl+Enter)."""
    box = page.locator(f".st-key-{key} textarea")
    box.scroll_into_view_if_needed()
    box.fill("")
    box.type(text, delay=5)
    box.press("Control+Enter")


def shots(page, name: str) -> list[Path]:
    """Viewport screenshots at each size from the top of the page, then the whole main column."""
    out = []
    for w, h in SIZES:
        page.set_viewport_size({"width": w, "height": h})
        page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        wait_idle(page, settle_ms=600)
        out.append(SHOTS / f"{name}_{w}x{h}.png")
        page.screenshot(path=str(out[-1]))
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 60, 16_000)})
    wait_idle(page, settle_ms=800)
    out.append(SHOTS / f"{name}_full.png")
    page.screenshot(path=str(out[-1]), full_page=True)
    return out


def open_and_type(page, url: str, chart: str, box: str, text: str, sections: tuple[str, ...] = ()) -> None:
    """Open a lesson at 1400x900 and its ``sections`` (titles' starts), wait for its chart ``chart``, type ``text``
    into the text box ``box``."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(url)
    wait_idle(page)
    for start in sections:
        open_section(page, start)
    page.wait_for_selector(f".st-key-{chart} .js-plotly-plot", timeout=120_000)
    wait_idle(page)
    type_sentence(page, box, text)


def test_bert_gpt_typed_sentence_and_next_token(page, app_url):
    open_and_type(page, f"{app_url}/bert_gpt", "bg_headview", "bg_text",
                  "there is a large green star . it is above two small purple rings .", sections=("4.", "6.", "7."))
    assert "BERT and GPT" in page.locator("h1").first.inner_text()
    wait_figure_has(page, "bg_headview", "purple", trace=1)  # the key column holds the typed words
    assert_no_exception(page, "BERT and GPT after typing")
    keys = figure_text(page, "bg_headview", trace=1)
    assert keys[0] == "[CLS]" and keys[-1] == "[SEP]" and "star" in keys
    assert "star" in json.dumps(figure_text(page, "bg_recipe"))  # BERT's recipe is drawn on the new sentence
    # GPT writes one token: the step figure appears with its attention row over the prompt
    page.locator(".st-key-bg_next_btn button").scroll_into_view_if_needed()
    page.locator(".st-key-bg_next_btn button").click()
    page.wait_for_selector(".st-key-bg_step .js-plotly-plot", timeout=120_000)
    wait_idle(page)
    title = page.evaluate("document.querySelector('.st-key-bg_step .js-plotly-plot').layout.title.text")
    assert "Step 1:" in title
    assert_no_exception(page, "BERT and GPT after a generation step")
    for p in shots(page, "text_bert_gpt"):
        assert p.stat().st_size > 10_000


def test_encoder_decoder_typed_sentence_in_korean(page, app_url):
    open_and_type(page, f"{app_url}/encoder_decoder", "ed_headview", "ed_text",
                  "the red circle above the two blue squares is small .", sections=("3.", "4."))
    # the grammar's reference ("... 빨간 원은 작다 .") is drawn against the typed source
    wait_figure_has(page, "ed_align_lines", "작다", trace=0)
    assert_no_exception(page, "encoder-decoder after typing")
    assert "squares" in figure_text(page, "ed_headview", trace=1)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK KR\"', '빨간')")  # a Korean font is there
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "두 개의 파란 사각형 위에 있는 빨간 원은 작다" in body
    # step 3 of the decoding: its cross-attention row
    thumb = page.locator('.st-key-ed_step input[type="range"]')
    thumb.scroll_into_view_if_needed()
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    skip = page.locator(".st-key-ed_q_read_skip button")  # the row answers the step's question: "Just show me" first
    skip.scroll_into_view_if_needed()
    skip.click()
    page.wait_for_function("document.querySelector('.st-key-ed_step_fig .js-plotly-plot')?.layout?.title?.text"
                           "?.includes('Step 3 writes')", timeout=120_000)
    wait_idle(page)
    assert_no_exception(page, "encoder-decoder after moving the step")
    for p in shots(page, "text_encoder_decoder"):
        assert p.stat().st_size > 10_000
