"""End-to-end: the lesson "Images as tokens" in Debian's Chromium (fixtures from tests/e2e/conftest.py).

An image file goes through the page's own uploader and its code grid appears; a caption is typed and Generate
pressed: the image is drawn code by code (a progress bar under it), then the step slider walks back to the first
code. The tests wait on the app's own state (the script run ends, the charts hold the new numbers), never on a
fixed time, and take screenshots at 1400x900 and 1280x720 (and the whole page) in tests/e2e/screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import assert_no_exception, open_section, wait_idle
from test_text_browser import shots, type_sentence

from mmviz.weights import ASSETS

ROOT = Path(__file__).resolve().parents[2]
COFFEE = ROOT / "assets" / "samples" / "images" / "coffee.png"
GENERATORS = all((ASSETS / f"{n}.safetensors").is_file() for n in ("dalle-tiny-shapes", "parti-tiny-shapes"))

pytestmark = pytest.mark.e2e


#: a JavaScript function of a chart key: the title of that plotly chart in the browser ("" before it is drawn)
CHART = "(k => document.querySelector(`.st-key-${k} .js-plotly-plot`)?.layout?.title?.text || '')("


def chart_title(page, key: str) -> str:
    return page.evaluate(f"{CHART}'{key}')")


def open_lesson(page, url: str) -> None:
    """Open the lesson and its sections 2-4, and wait until its title and its code grid are drawn."""
    page.goto(f"{url}/image_tokens")
    wait_idle(page)
    for start in ("2.", "3.", "4."):
        open_section(page, start)
    page.wait_for_function("document.querySelector('h1')?.innerText.includes('Images as tokens')"
                           " && document.querySelector('.st-key-it_codes .js-plotly-plot')", timeout=180_000)
    wait_idle(page)
    assert_no_exception(page, "Images as tokens")


def test_upload_an_image_and_see_it_tokenized(page, app_url):
    open_lesson(page, app_url)
    page.locator(".st-key-it_source").get_by_text("Upload here", exact=True).click()
    page.wait_for_selector('.st-key-it_upload input[type="file"]', state="attached")
    page.locator('.st-key-it_upload input[type="file"]').set_input_files(str(COFFEE))
    page.wait_for_selector('[data-testid="stCaptionContainer"]:has-text("coffee.png")', timeout=120_000)
    page.wait_for_selector(".st-key-it_codes .js-plotly-plot", timeout=120_000)
    wait_idle(page)
    assert_no_exception(page, "after uploading coffee.png")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "is centre-cropped to a square and resized to 64×64 px" in body
    codes = page.evaluate("document.querySelector('.st-key-it_codes .js-plotly-plot')._fullData"
                          ".find(t => t.type === 'heatmap').z")
    assert len(codes) == 8 and all(len(row) == 8 and all(0 <= c < 256 for c in row) for row in codes)
    assert page.locator(".st-key-it_recon .js-plotly-plot").count() == 1
    shots(page, "image_tokens_upload")


@pytest.mark.skipif(not GENERATORS, reason="dalle-tiny-shapes / parti-tiny-shapes are not trained yet")
def test_type_a_caption_and_generate(page, app_url):
    open_lesson(page, app_url)
    page.wait_for_selector(".st-key-it_frame .js-plotly-plot", timeout=180_000)
    type_sentence(page, "it_caption", "a large blue star on a striped background")
    wait_idle(page)
    assert "Showing the sample for" in page.locator('[data-testid="stMain"]').inner_text()
    page.locator(".st-key-it_go button").click()
    # the image grows code by code: an animation the browser plays once (a GIF of 64 frames)
    grow = page.wait_for_selector('[data-testid="stMain"] img[src$=".gif"]', timeout=120_000)
    page.wait_for_function("img => img.complete && img.naturalWidth >= 360", arg=grow, timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stProgress\"]') && !document.querySelector("
                           "'[data-testid=\"stMain\"]').innerText.includes('Showing the sample')"
                           " && chart('it_frame').includes('step 64:')".replace("chart(", CHART), timeout=120_000)
    wait_idle(page)
    skip = page.locator(".st-key-it_q_next_skip button")  # the drawn code and its p answer the step's question
    skip.scroll_into_view_if_needed()
    skip.click()
    page.wait_for_selector(".st-key-it_top5 .js-plotly-plot", timeout=60_000)
    wait_idle(page)
    assert_no_exception(page, "after Generate")
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Showing the sample for" not in body and "log p(image | caption)" in body
    thumb = page.locator('.st-key-it_step input[type="range"]')
    thumb.scroll_into_view_if_needed()
    thumb.focus()
    page.keyboard.press("Home")  # back to the first code
    page.wait_for_function("chart('it_frame').includes('step 1:')".replace("chart(", CHART), timeout=60_000)
    wait_idle(page)
    assert "Where the token at row 0, col 0 looks" in chart_title(page, "it_step_attn")
    assert page.locator(".st-key-it_cross .js-plotly-plot").count() == 1
    shots(page, "image_tokens_generate")
