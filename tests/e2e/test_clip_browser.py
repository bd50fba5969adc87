"""End-to-end: the CLIP similarity lesson in Debian's Chromium (fixtures from tests/e2e/conftest.py).

Several real image files go through the page's own multi-file uploader at once and the similarity
matrix grows by as many rows; a short live training run fills the held-out matrix and the loss curve.
Screenshots land in tests/e2e/screenshots/ (look at them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
SAMPLES = ROOT / "assets" / "samples" / "images"
UPLOADS = [SAMPLES / "coffee.png", SAMPLES / "astronaut.png", SAMPLES / "rocket.jpg"]

pytestmark = pytest.mark.e2e


def wait_idle(page, *, settle_ms: int = 400) -> None:
    """Wait until Streamlit has finished the current script run and the charts are drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
    page.wait_for_timeout(settle_ms)


def assert_no_exception(page, where: str) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()[:500]}"


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def matrix_rows(page, key: str = "clip_cos") -> int:
    return page.evaluate(f"document.querySelector('.st-key-{key} .js-plotly-plot')._fullData[0].z.length")


def full_screenshot(page, name: str) -> Path:
    """The whole main column: the viewport is grown to its height first (Streamlit scrolls inside it)."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 60, 16_000)})
    wait_idle(page, settle_ms=800)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def skip_question(page, key: str = "clip_q_pick") -> None:
    """Press the question's "Just show me": the figure that answers it (the similarity matrix) is drawn only then."""
    button = page.locator(f".st-key-{key}_skip button")
    button.wait_for(timeout=120_000)
    button.scroll_into_view_if_needed()
    button.click()
    wait_idle(page)


def open_lesson(page, url: str) -> None:
    page.goto(f"{url}/clip_similarity")
    wait_idle(page)
    skip_question(page)
    page.wait_for_selector(".st-key-clip_cos .js-plotly-plot", timeout=120_000)
    wait_idle(page)
    assert_no_exception(page, "CLIP lesson")
    assert "CLIP similarity" in page.locator("h1").first.inner_text()


def test_upload_several_images_at_once(page, app_url):
    open_lesson(page, app_url)
    assert metric(page, "Images I") == "4" and matrix_rows(page) == 4
    page.locator('.st-key-clip_upload input[type="file"]').set_input_files([str(p) for p in UPLOADS])
    page.wait_for_selector(".st-key-clip_q_pick_skip button", timeout=120_000)  # a new batch asks the question again
    wait_idle(page)
    skip_question(page)
    page.wait_for_function("document.querySelector('.st-key-clip_cos .js-plotly-plot')"
                           "?._fullData?.[0]?.z?.length === 7", timeout=120_000)
    wait_idle(page, settle_ms=800)
    assert_no_exception(page, "CLIP lesson after uploading three images")
    assert metric(page, "Images I") == "7" and matrix_rows(page) == 7
    uploader = page.locator(".st-key-clip_upload").inner_text()
    assert all(p.name in uploader for p in UPLOADS)
    # the tiny CLIP (trained or not) says it only knows the shapes world, and how to get the real one
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "only knows the shapes world" in body and "python -m mmviz.download openai/clip-vit-base-patch32" in body
    assert page.locator(".st-key-clip_cos .js-plotly-plot").count() == 1  # the open section's matrix (the rest open on demand)
    full_screenshot(page, "clip_upload_several.png")


def _titles(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].map(p => p.layout?.title?.text || '')")


def test_train_live_stop_then_a_short_run(page, app_url):
    open_lesson(page, app_url)
    start = page.locator(".st-key-clip_live_start button")
    start.scroll_into_view_if_needed()
    start.click()  # 300 steps: stopped after the first evaluation
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')].some(p => (p.layout?.title?.text || '')"
                           ".includes('Held-out batch after 10 steps'))", timeout=120_000)
    page.locator(".st-key-clip_live_stop button").first.click()
    page.wait_for_selector('[data-testid="stCaptionContainer"]:has-text("· stopped")', timeout=60_000)
    wait_idle(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Step 300/300" not in body and "students are training" not in body
    thumb = page.locator('.st-key-clip_live_steps input[type="range"]')
    page.locator(".st-key-clip_live_steps").scroll_into_view_if_needed()
    thumb.focus()
    page.keyboard.press("Home")  # the fewest steps (20)
    wait_idle(page)
    assert thumb.input_value() == "20"
    page.locator(".st-key-clip_live_start button").first.click()
    page.wait_for_selector('[data-testid="stAlert"]:has-text("Step 20/20")', timeout=120_000)
    wait_idle(page)
    assert_no_exception(page, "live training")
    titles = _titles(page)
    assert any("Held-out batch after 20 steps" in t for t in titles), titles
    assert any("Loss while training" in t for t in titles), titles
    full_screenshot(page, "clip_train_live.png")
