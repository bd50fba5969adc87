"""End-to-end: the real app in Debian's Chromium. Every page opens without an exception, and a
real image and a real audio clip go through the sidebar's uploader.

Screenshots land in tests/e2e/screenshots/ (look at them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "",
    "patch_tokenization": "patch_tokenization",
    "positional_encoding": "positional_encoding",
    "attention_maps": "attention_maps",
    "swin_windows": "swin_windows",
    "audio_tokens": "audio_tokens",
    "clip_similarity": "clip_similarity",
    "bert_gpt": "bert_gpt",
    "encoder_decoder": "encoder_decoder",
    "image_tokens": "image_tokens",
    "fusion": "fusion",
}
SAMPLE_IMAGE = ROOT / "assets" / "samples" / "images" / "coffee.png"
SAMPLE_AUDIO = ROOT / "assets" / "samples" / "audio" / "chord.wav"


def wait_idle(page, *, settle_ms: int = 400) -> None:
    """Wait until Streamlit has finished the current script run and the charts are drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.wait_for_timeout(settle_ms)


def assert_no_exception(page, where: str) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()[:500]}"


def open_section(page, start: str) -> None:
    """Open the section (an expander) whose title starts with ``start`` when it is closed, and wait until the page is
    idle: a closed section draws no chart."""
    label = page.locator('[data-testid="stMarkdownContainer"] p').filter(has_text=re.compile("^" + re.escape(start)))
    summary = page.locator('[data-testid="stExpander"] summary').filter(has=label).first
    summary.wait_for(timeout=120_000)
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.scroll_into_view_if_needed()
        summary.click()
        wait_idle(page)


def skip_questions(page) -> None:
    """Press "Just show me" on every open predict-then-reveal question: what a question would give away (on some
    pages the first chart) is drawn only once it is answered. Waits first for a chart or a question to be drawn."""
    page.wait_for_selector('.js-plotly-plot, [class*="st-key-"][class*="_q_"][class*="_skip"] button', timeout=120_000)
    wait_idle(page)
    for _ in range(4):
        skip = page.locator('[class*="st-key-"][class*="_q_"][class*="_skip"] button:visible')  # not in a closed section
        if not skip.count():
            return
        skip.first.click()
        wait_idle(page)


# Every page is opened in a real browser by test_classroom_browser.test_every_page_in_korean (no exception, a chart
# drawn, the Korean interface, a screenshot each); the English pages are rendered by the page tests (AppTest) and
# opened here and in the lesson tests below with uploads and typed text.


def _upload(page, kind: str, path: Path) -> None:
    """Switch the sidebar's ``kind`` picker to Upload and send ``path`` through the uploader."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    # the source controls are segmented buttons; the first group is the image's, the second the audio's
    idx = 0 if kind == "image" else 1
    sidebar.locator('[data-testid="stButtonGroup"]').filter(has_text="Upload").nth(idx).get_by_text("Upload", exact=True).click()
    wait_idle(page)
    uploader = sidebar.locator('[data-testid="stFileUploader"]').first
    uploader.locator('input[type="file"]').set_input_files(str(path))
    wait_idle(page, settle_ms=800)


# page -> (what to upload, plots it must draw afterwards; 0 = do not wait for one)
UPLOADS = {
    "patch_tokenization": ("image", 1),
    "home": ("audio", 0),
    # the sections open one at a time (ui.part): the first one's per-head overlays
    "attention_maps": ("image", 1),
    # the waveform and the open STFT section
    "audio_tokens": ("audio", 2),
    "swin_windows": ("image", 1),
}


@pytest.mark.parametrize("name", list(UPLOADS))
def test_upload_on_a_lesson(page, app_url, name):
    kind, plots = UPLOADS[name]
    sample = SAMPLE_IMAGE if kind == "image" else SAMPLE_AUDIO
    page.goto(f"{app_url}/{PAGES[name]}")
    wait_idle(page)
    _upload(page, kind, sample)
    if plots:
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    wait_idle(page)
    assert_no_exception(page, f"{name} after {kind} upload")
    sidebar_text = page.locator('[data-testid="stSidebar"]').inner_text()
    assert sample.name in sidebar_text, f"the uploaded {kind} is not shown as the chosen input"
    assert page.locator(".js-plotly-plot").count() >= plots
    page.screenshot(path=str(SHOTS / f"upload_{kind}_{name}.png"), full_page=True)


def test_bad_upload_shows_a_sentence(page, app_url, tmp_path):
    bad = tmp_path / "not_really.png"
    bad.write_text("this is a text file, not a picture")
    page.goto(f"{app_url}/patch_tokenization")
    wait_idle(page)
    _upload(page, "image", bad)
    assert_no_exception(page, "bad upload")
    alert = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').first
    assert "not_really.png" in alert.inner_text() and "not an image the app can read" in alert.inner_text()
    main = page.locator('[data-testid="stMain"]')
    assert "Your image not_really.png could not be used: This file is not an image" in main.inner_text()
    page.screenshot(path=str(SHOTS / "bad_upload.png"), full_page=True)
    # the same refusal, said again in Korean once the student switches the interface's language
    page.locator('[data-testid="stSidebar"] [data-testid="stButtonGroup"]').get_by_text("한국어", exact=True).click()
    page.wait_for_function("document.querySelector('[data-testid=\"stMain\"]').innerText.includes('앱이 읽을 수 있는')",
                           timeout=60_000)
    wait_idle(page)
    assert_no_exception(page, "bad upload, Korean")
    assert "이 파일은 앱이 읽을 수 있는 이미지가 아닙니다" in alert.inner_text()
    assert "not an image" not in main.inner_text()
    page.screenshot(path=str(SHOTS / "bad_upload_ko.png"), full_page=True)


def test_deep_link_on_a_cold_server_gets_the_shell(page, cold_app_url):
    # Streamlit runs a pages/ script on its own when the very first visitor opens a deep link; the
    # pages hand over to app.py so the sidebar (image/audio pickers) and the navigation are there.
    page.goto(f"{cold_app_url}/positional_encoding")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stFileUploader"], '
                           '[data-testid="stSidebar"] [data-testid="stButtonGroup"]', timeout=60_000)
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Upload" in sidebar and "Tokens everywhere" in sidebar
    assert page.url.endswith("/positional_encoding")
    assert "Positional encoding" in page.locator("h1").first.inner_text()
