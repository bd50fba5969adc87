"""End-to-end: the multimodal fusion lesson in Debian's Chromium (fixtures from tests/e2e/conftest.py).

A typed question goes to the six models and each one's answer is read back from the page; a new random scene
brings its own question; a photo goes through the page's own uploader and the models answer about it. Every wait
is on the app's own state (its script state, a chart or a text appearing), never a fixed sleep. Screenshots land in
tests/e2e/screenshots/ (look at them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
PHOTO = ROOT / "assets" / "samples" / "images" / "coffee.png"
ANSWERS = re.compile(r"\(([a-f])\) (\S+) (\d+)%")

pytestmark = pytest.mark.e2e


def settled(page) -> None:
    """The script run is over (Streamlit marks the app element) and the answers chart is drawn: the chart answers the
    question "which design is the most confident?", so a new image or question asks it again and "Just show me" is
    pressed first."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=180_000)
    page.wait_for_selector(".st-key-fu_q_best_skip button, .st-key-fu_answers .js-plotly-plot", state="attached",
                           timeout=180_000)
    skip = page.locator(".st-key-fu_q_best_skip button")
    if skip.count():
        skip.first.scroll_into_view_if_needed()
        skip.first.click()
    page.wait_for_selector(".st-key-fu_answers .js-plotly-plot", state="attached", timeout=180_000)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=180_000)


def answers(page) -> dict[str, str]:
    """letter -> the answer the page writes under the answers chart."""
    line = page.locator('[data-testid="stMarkdown"]').filter(has_text="Each model ends in one softmax").first
    return {k: a for k, a, _ in ANSWERS.findall(line.inner_text())}


def ask(page, question: str) -> None:
    box = page.locator(".st-key-fu_q textarea")
    box.fill(question)
    box.press("Control+Enter")
    page.wait_for_function("q => document.querySelector('.st-key-fu_q textarea').value === q", arg=question)


def no_exception(page, where: str) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, f"{where}: {errors.first.inner_text()[:500]}"


def shot(page, name: str) -> None:
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 60, 16_000)})
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_type_a_question_and_read_six_answers(page, app_url):
    page.goto(f"{app_url}/fusion")
    settled(page)
    no_exception(page, "fusion page")
    assert "Multimodal fusion" in page.locator("h1").first.inner_text()
    first = answers(page)
    assert sorted(first) == list("abcdef")

    ask(page, "how many shapes are there please ?")
    # the page names the word outside the vocabulary once the run with the new question is over
    page.get_by_text("“please”").first.wait_for(timeout=180_000)
    settled(page)
    no_exception(page, "typed question")
    got = answers(page)
    assert sorted(got) == list("abcdef")
    assert all(a in {"red", "green", "blue", "yellow", "orange", "purple", "cyan", "white", "black", "circle",
                     "square", "triangle", "star", "ring", "cross", "yes", "no", "2", "3"} for a in got.values())
    chips = page.locator('[data-testid="stMarkdown"]').filter(has_text="many").first.inner_text()
    assert "[UNK]" in chips
    shot(page, "fusion_question.png")

    page.locator(".st-key-fu_new button").first.click()
    page.wait_for_function("() => document.querySelector('.st-key-fu_q textarea').value !== "
                           "'how many shapes are there please ?'", timeout=180_000)
    settled(page)
    no_exception(page, "new scene")
    assert "True answer" in page.locator("[data-testid=stMain]").inner_text()


def test_upload_a_photo_and_ask(page, app_url):
    page.goto(f"{app_url}/fusion")
    settled(page)
    page.locator(".st-key-fu_source").get_by_text("Upload", exact=True).click()
    page.locator(".st-key-fu_upload").wait_for(timeout=60_000)
    page.locator('.st-key-fu_upload input[type="file"]').set_input_files(str(PHOTO))
    page.get_by_text("trained only on").first.wait_for(timeout=180_000)
    settled(page)
    no_exception(page, "photo upload")
    assert PHOTO.name in page.locator("[data-testid=stMain]").inner_text()
    ask(page, "is there a red star left of the ring ?")
    page.get_by_text("10 question tokens L").first.wait_for(timeout=180_000)
    settled(page)
    assert sorted(answers(page)) == list("abcdef")
    shot(page, "fusion_upload.png")
