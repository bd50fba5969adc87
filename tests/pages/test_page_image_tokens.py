"""AppTest of pages/9_image_tokens.py: every section renders with numbers from the tensors, Generate samples and
the step slider walks through the sample, a second generation is refused with a sentence, bad captions and bad
files get sentences, and the page says what is missing when the generators or the tokenizer are not trained.

The generators are stand-ins with random weights around the shipped tokenizer (built here, never trained), so the
tests run before (and regardless of) the real training; the tokenizer must be shipped.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

import mmviz.weights as weights
from mmviz.inputs import default_image
from mmviz.lessons import image_tokens as it
from mmviz.models.dalle import DalleConfig, DalleTiny
from mmviz.models.parti import PartiConfig, PartiTiny
from mmviz.train.common import save_model
from mmviz.ui import live
from mmviz.ui.page import OPEN_ALL
from mmviz.ui.predict import REVEAL_ALL

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "9_image_tokens.py")
SHIPPED = weights.ASSETS / f"{it.VQ}.safetensors"
pytestmark = pytest.mark.skipif(not SHIPPED.is_file(), reason="vq-tiny-shapes is not trained yet")
CARD = {"heldout": {"colour_accuracy": 0.5, "kind_accuracy": 0.25, "both_accuracy": 0.125, "seconds_per_image": 0.1}}


def _folder(root: Path, generators: bool) -> Path:
    """A model folder with the shipped tokenizer and (optionally) random-weight stand-ins of both generators."""
    root.mkdir()
    for suffix in (".safetensors", ".json"):
        (root / f"{it.VQ}{suffix}").symlink_to(weights.ASSETS / f"{it.VQ}{suffix}")
    if generators:
        vq = weights.load_embedded(SHIPPED)
        torch.manual_seed(0)
        for cls, cfg, name, family in ((DalleTiny, DalleConfig(), it.DALLE, "dalle"),
                                       (PartiTiny, PartiConfig(), it.PARTI, "parti")):
            m = cls(cfg)
            m.vq.load_state_dict(vq.state_dict())
            save_model(m, cfg, {**CARD, "family": family}, root, name)
    return root


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("models")
    return {"both": _folder(base / "both", True), "vq": _folder(base / "vq", False), "none": base / "none"}


@pytest.fixture
def use(monkeypatch, folders):
    """``use(kind)``: point the registry at one of the folders; the caches are cleared before and after."""
    def point(kind: str) -> Path:
        monkeypatch.setattr(weights, "ASSETS", folders[kind])
        st.cache_data.clear()
        st.cache_resource.clear()
        return folders[kind]

    yield point
    st.cache_data.clear()
    st.cache_resource.clear()


def _new() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=300)
    at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
    at.session_state[OPEN_ALL] = True  # every section and "Show the code" open (closed: no chart)
    at.session_state["image"] = default_image()
    return at


@pytest.fixture
def app(use) -> AppTest:
    use("both")
    return _new().run()


def _charts(at) -> list[str]:
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


def test_every_section_renders_with_numbers_from_the_tensors(app, plotly_specs, chart, metric):
    at = app
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Images as tokens"
    heads = [e.label for e in at.expander if e.label != "Show the code"]  # sections are expanders
    assert [h.split(":")[0] for h in heads] == [
        "Your image", "1. The pixel dilemma", "2. Tokenize your image", "3. Raster-scan generation (DALL·E)",
        "4. DALL·E vs Parti", "5. One sequence for everything"]
    assert _charts(at) == ["it_dilemma", "it_codes", "it_codebook", "it_usage", "it_recon", "it_smaller", "it_budget",
                           "it_frame", "it_step_attn", "it_top5", "it_factors", "it_cross", "it_cost", "it_sequence",
                           "it_mask", "it_parti_encoder", "it_parti_decoder", "it_parti_cross"]
    for spec in plotly_specs(at):
        assert any("hovertemplate" in t for t in spec["data"]), spec["layout"].get("title")
    # section 2: the page's numbers are the tokenizer's own on the first scene
    vq = weights.load_model(it.VQ)
    T = it.tokenize_image(vq, it.draw_scene("circle", "red", "large", "plain", 0)[0])
    assert metric(at, "Grid h×w") == "8×8" and metric(at, "Codebook K") == "256"
    assert metric(at, "Distinct codes here") == str(T["distinct"]) and metric(at, "PSNR") == f"{T['psnr']:.1f} dB"
    codes = next(t for t in chart(at, "it_codes")["data"] if t["type"] == "heatmap" and t.get("opacity") == 0)
    assert np.array_equal(np.array(codes["z"]), T["codes"])
    # section 3: the sample shown first is the first caption, seed 0, and its factors are the model's
    res = it.generate(weights.load_model(it.DALLE), it.CAPTIONS[0], seed=0)
    tex = next(x.value for x in at.latex if r"\log p(\text{image}" in x.value)
    assert rf"= \mathbf{{{np.log(res['p']).sum():.2f}}}" in tex
    bars = chart(at, "it_factors")["data"][0]
    np.testing.assert_allclose(bars["y"], np.log(res["p"]), atol=1e-4)
    table = {r[""]: r for r in at.dataframe[1].value.to_dict("records")}
    assert table["parameters (without the VQ)"][it.DALLE] == f"{it.parameters(weights.load_model(it.DALLE)):,}"
    assert table["card: colour right (tiny ViT judges)"][it.PARTI] == "50.0 %"
    code = "\n".join(c.value for c in at.code)
    for name in ("def pixel_dilemma", "def distances", "def tokenize_image", "def codebook_patches",
                 "def restrict_codebook", "def sample_codes", "def next_token_probs", "def generate_steps",
                 "def teacher_forcing", "def cost_per_step", "def sequence", "def causal_mask", "def parti_masks"):
        assert name in code, name


def test_generate_then_walk_through_the_steps(app, chart):
    at = app
    at.text_area(key="it_caption").set_value("a large blue star on a plain background")
    at.number_input(key="it_seed").set_value(3)
    at.select_slider(key="it_topk").set_value(5)
    at.button(key="it_go").click().run()
    assert not at.exception, at.exception
    params = ("a large blue star on a plain background", 3, 1.0, 5)
    assert at.session_state["it_shown"] == params and at.slider(key="it_step").value == 64
    assert not any("Showing the sample for" in i.value for i in at.info)
    res = it.generate(weights.load_model(it.DALLE), params[0], seed=3, top_k=5)
    at.slider(key="it_step").set_value(5).run()
    title = chart(at, "it_frame")["layout"]["title"]["text"]
    assert title == f"step 5: code {res['codes'].flat[4]} at row 0, col 4"
    top = chart(at, "it_top5")["data"][0]
    assert top["x"][:5] == [f"code {k}" for k in res["top_ids"][4]] and len(top["x"]) <= 6
    assert sum(top["y"][:5]) == pytest.approx(1, abs=1e-3)  # top-k 5: the five carry all the probability
    at.selectbox(key="it_layer").set_value(2).run()  # layer 2 (0: the mean of all layers)
    assert not at.exception, at.exception
    at.number_input(key="it_seed").set_value(4).run()  # a changed control without Generate: the sample stays
    assert at.session_state["it_shown"] == params
    assert any("Press **Generate**" in i.value for i in at.info)


@pytest.mark.parametrize("who, sentence", [
    ("me", "Your last image is still being generated"),  # a Generate while this session's generation runs
    ("others", "4 images are being generated on this server right now"),  # the server's limit
])
def test_a_generation_while_one_runs_is_refused_with_a_sentence(app, monkeypatch, who, sentence):
    at = app
    monkeypatch.setattr(live, "session_id", lambda: "me")  # the worker thread's session
    runs = live._live_runs(4, 60.0)  # the server's generation slots (ui.generation)
    busy = {"me": 1e18} if who == "me" else {f"someone-{i}": 1e18 for i in range(4)}
    runs.active.update(busy)
    try:
        at.text_area(key="it_caption").set_value("a small cyan ring on a plain background")
        at.button(key="it_go").click().run()
    finally:
        for k in busy:
            runs.active.pop(k, None)
    assert not at.exception, at.exception
    assert any(sentence in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.session_state["it_shown"][0] == it.CAPTIONS[0]  # the sample shown before stays
    at.button(key="it_go").click().run()  # once the slot is free, the same press goes through
    assert at.session_state["it_shown"][0] == "a small cyan ring on a plain background"


@pytest.mark.parametrize("caption, sentence", [
    ("a cat on a sofa", "Unknown to this model: “cat”, “sofa”"),
    ("", "The caption is empty"),
    ("red " * 2500, "The model reads at most 12 tokens"),
])
def test_bad_captions_get_sentences_and_still_generate(app, caption, sentence):
    at = app
    at.text_area(key="it_caption").set_value(caption)
    at.button(key="it_go").click().run()
    assert not at.exception, at.exception
    assert any(sentence in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.session_state["it_shown"][0] == caption


def _png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def test_uploads_of_any_size_and_mode_and_a_bad_file(app, metric):
    at = app
    at.segmented_control(key="it_source").set_value("Upload here").run()
    assert any("Upload an image above" in i.value for i in at.info)
    at.file_uploader(key="it_upload").set_value([("notes.png", b"this is not an image", "image/png")]).run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith("notes.png: ")
    sections = [e.label for e in at.expander if e.label != "Show the code"]
    assert sections[-1] == "5. One sequence for everything"  # the generators still run
    thin = Image.new("LA", (300, 1), (90, 128))  # grey with alpha, 300 x 1 px
    at.file_uploader(key="it_upload").set_value([("thin.png", _png(thin), "image/png")]).run()
    assert not at.exception and not at.error
    assert any("thin.png** (300×1 px) is centre-cropped" in c.value for c in at.caption)
    assert metric(at, "Grid h×w") == "8×8"
    at.segmented_control(key="it_source").set_value("Sidebar image").run()
    assert any(f"{default_image()['name']}**" in c.value for c in at.caption)


def test_scene_composer_and_a_smaller_codebook(app, chart):
    at = app
    at.selectbox(key="it_c_kind").set_value("star")
    at.selectbox(key="it_c_colour").set_value("blue")
    at.button(key="it_add").click().run()
    assert any("a large blue star on a plain background** (64×64 px) is already" in c.value for c in at.caption)
    at.button(key="it_remove").click().run()
    assert any("a large red circle" in c.value for c in at.caption)
    at.select_slider(key="it_keep").set_value(8).run()
    titles = [a["text"] for a in chart(at, "it_smaller")["layout"]["annotations"]]
    assert titles[1].startswith("M = 8: ") and titles[2].startswith("4×4 grid: ")


def test_without_the_generators_the_tokenizer_sections_still_teach(use, chart):
    use("vq")
    at = _new().run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "not trained yet" in warning and "python -m mmviz.train dalle-tiny" in warning
    assert "python -m mmviz.train parti-tiny" in warning
    assert at.button(key="it_go").disabled
    assert _charts(at) == ["it_dilemma", "it_codes", "it_codebook", "it_usage", "it_recon", "it_smaller", "it_budget",
                           "it_sequence", "it_mask"]
    assert "no trained decoder yet" in chart(at, "it_mask")["layout"]["title"]["text"]


def test_without_the_tokenizer_the_page_says_how_to_train_it(use):
    use("none")
    at = _new().run()
    assert not at.exception, at.exception
    assert any("image tokenizer is missing" in w.value and "python -m mmviz.train vq-tiny" in w.value
               for w in at.warning)


def test_choices_survive_a_visit_to_another_page(use):
    use("both")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    at.switch_page("pages/9_image_tokens.py").run()
    at.segmented_control(key="it_source").set_value("Sidebar image")
    at.select_slider(key="it_keep").set_value(8)
    at.text_area(key="it_caption").set_value("a small white square on a gradient background").run()
    at.switch_page("pages/2_positional_encoding.py").run()
    at.switch_page("pages/9_image_tokens.py").run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="it_source").value == "Sidebar image" and at.select_slider(key="it_keep").value == 8
    assert at.text_area(key="it_caption").value == "a small white square on a gradient background"
