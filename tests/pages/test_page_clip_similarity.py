"""AppTest of pages/6_clip_similarity.py: renders, numbers come from the tensors, the batch grows with uploads,
the temperature changes only the softmax, live training runs, missing weights give a warning."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import mmviz.weights as weights
from mmviz.inputs import default_image
from mmviz.lessons import clip_similarity as cl
from mmviz.ui.predict import REVEAL_ALL

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "6_clip_similarity.py")
SAMPLES = ROOT / "assets" / "samples" / "images"
TRAINED = weights.ASSETS / "clip-tiny-shapes.safetensors"


def _loss_latex(at: AppTest) -> str:
    """The formula that writes the batch's loss with its numbers, without its 1/2."""
    start = r"\mathcal{L} = \tfrac{1}{2}\big("
    found = [x.value for x in at.latex if start in x.value]
    assert len(found) == 1, [x.value for x in at.latex]
    return found[0].split(start, 1)[1]


def _z(spec: dict) -> np.ndarray:
    return np.array([t for t in spec["data"] if t["type"] == "heatmap"][0]["z"], dtype=float)


def _new(model: str = "clip-untrained", reveal: bool = True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    if reveal:
        at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
    at.session_state["image"] = default_image()
    at.session_state["clip_model"] = model  # the same for every run, trained weights or not
    at.session_state["_open_all"] = True  # every section open (they open on a click otherwise)
    return at


@pytest.fixture
def app() -> AppTest:
    return _new().run()


def test_page_renders_with_numbers_from_the_tensors(app, plotly_specs, chart, metric, numbers):
    at = app
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "CLIP similarity"
    assert metric(at, "Images I") == "4" and metric(at, "Prompts T") == "4"
    assert metric(at, "Embedding width E") == "64" and metric(at, "Patches per image") == "64"
    assert float(metric(at, "Learned scale s")) == pytest.approx(1 / 0.07, abs=0.005)  # exp(ln(1/0.07)), untrained
    specs = plotly_specs(at)
    assert len(specs) == 6
    for s in specs:
        assert any("hovertemplate" in t for t in s["data"]), s["layout"].get("title")
    # the cosine matrix is the model's own: recompute it outside the page
    model = weights.load_model("clip-untrained")
    imgs = [cl.compose_scene(k, c, s, b, seed=i).image for i, (s, c, k, b) in enumerate(cl.DEFAULT_SCENES)]
    E = cl.encode_images(model, imgs)
    X = cl.encode_texts(model, ["a red circle", "a blue square", "a yellow triangle", "a green star"])
    scale = at.slider(key="clip_scale").value
    assert scale == pytest.approx(model.logit_scale.exp().item(), abs=0.005)  # starts at the learned scale
    S = cl.similarity_lesson(E["embeds"], X["embeds"], scale)
    np.testing.assert_allclose(_z(chart(at, "clip_cos")), S["cos"], atol=1e-4)
    probs = _z(chart(at, "clip_probs"))
    np.testing.assert_allclose(probs.sum(1), 1, atol=1e-3)
    # the loss on the page is clip_loss of the same logits: 1/2 (i2t + t2i) = loss, s, K, chance = log K
    i2t, t2i, loss, *_, chance = numbers(_loss_latex(at))
    assert (i2t, t2i, loss) == pytest.approx((S["loss_i2t"], S["loss_t2i"], S["loss"]), abs=2e-3)  # CPU vs CUDA
    assert chance == pytest.approx(math.log(4), abs=1e-4)
    look = chart(at, "clip_look_maps")
    assert [np.shape(t["z"]) for t in look["data"] if t["type"] == "heatmap"] == [(8, 8)] * 4
    codes = "\n".join(c.value for c in at.code)
    for name in ("def encode_image", "def encode_text", "def clip_loss", "def similarity_lesson", "def pca_2d",
                 "def encode_patches", "def patch_similarity", "def live_training", "def contrastive_loss",
                 "def optimizer_step", "def encode("):
        assert name in codes, name
    if TRAINED.is_file():
        assert any("Random weights" in i.value for i in at.info)
    else:
        assert any("embedded trained CLIP is missing" in w.value for w in at.warning)


def test_temperature_changes_the_softmax_not_the_cosines(app, chart):
    at = app
    cos0 = _z(chart(at, "clip_cos"))
    p0 = _z(chart(at, "clip_probs"))
    at.slider(key="clip_scale").set_value(100.0).run()
    assert not at.exception, at.exception
    np.testing.assert_allclose(_z(chart(at, "clip_cos")), cos0)
    p1 = _z(chart(at, "clip_probs"))
    np.testing.assert_allclose(p1.sum(1), 1, atol=1e-3)
    assert (p1.max(1) >= p0.max(1) - 1e-4).all() and p1.max() > p0.max()  # sharper
    at.slider(key="clip_scale").set_value(1.0).run()
    p2 = _z(chart(at, "clip_probs"))
    assert p2.max(1).max() - p2.min(1).min() < p0.max(1).max() - p0.min(1).min()  # flatter
    at.segmented_control(key="clip_cand").set_value("9 colours").run()
    bars = chart(at, "clip_zeroshot")["data"][0]
    assert len(bars["x"]) == 9 and abs(sum(bars["x"]) - 1) < 1e-3


def test_upload_several_images_grows_the_matrix(app, chart, metric):
    at = app
    files = [(p.name, p.read_bytes(), "image/png") for p in (SAMPLES / "coffee.png", SAMPLES / "astronaut.png")]
    files.append(("notes.png", b"this is not an image", "image/png"))
    at.file_uploader(key="clip_upload").set_value(files).run()
    assert not at.exception, at.exception
    assert metric(at, "Images I") == "6" and metric(at, "Prompts T") == "6"  # every upload brings its prompt
    assert np.shape(_z(chart(at, "clip_cos"))) == (6, 6)
    assert at.text_area(key="clip_prompts").value.splitlines()[4:] == ["a photo of coffee", "a photo of astronaut"]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("notes.png: ") and errors[0].count(".") <= 3
    infos = " ".join(i.value for i in at.info)
    assert "only knows the shapes world" in infos and "python -m mmviz.download openai/clip-vit-base-patch32" in infos


def test_pairs_stay_paired_in_any_order_of_uploads_samples_scenes_and_edits(app, chart, metric):
    """Two uploads with typed prompts, then a sample and a scene: the new images came BEFORE the uploads while
    their prompts went to the END ("astronaut.png" paired with "a photo of a flower")."""
    at = app
    files = [(p.name, p.read_bytes(), "image/png") for p in (SAMPLES / "coffee.png", SAMPLES / "astronaut.png")]
    at.file_uploader(key="clip_upload").set_value(files).run()
    lines = at.text_area(key="clip_prompts").value.splitlines()
    at.text_area(key="clip_prompts").set_value("\n".join(lines[:4] + ["a cup", "a man in a suit"])).run()
    at.pills(key="clip_samples").set_value(["chelsea.png"]).run()
    at.button(key="clip_add").click().run()
    assert not at.exception, at.exception
    loss_rows = at.dataframe[0].value
    pairs = dict(zip(loss_rows["image"], loss_rows["prompt"]))
    assert pairs["coffee.png"] == "a cup" and pairs["astronaut.png"] == "a man in a suit"
    assert pairs["chelsea.png"] == "a cat" and list(loss_rows["prompt"])[-1] == "a red circle"
    assert metric(at, "Images I") == "8" and metric(at, "Prompts T") == "8"
    at.pills(key="clip_samples").set_value([]).run()  # the sample leaves with its own prompt, the rest stay paired
    pairs = dict(zip(at.dataframe[0].value["image"], at.dataframe[0].value["prompt"]))
    assert pairs["astronaut.png"] == "a man in a suit" and "chelsea.png" not in pairs
    assert list(at.dataframe[0].value["prompt"])[-1] == "a red circle"


def test_template_is_bounded_and_applied_before_the_cut(app, chart):
    at = app
    at.toggle(key="clip_tpl_on").set_value(True).run()
    at.text_input(key="clip_tpl").set_value("{} " + "x" * 100_000).run()
    assert not at.exception, at.exception
    prompts = [row[1] for row in chart(at, "clip_cos")["data"][0]["customdata"][0]]
    assert len(prompts) == 4 and all(len(p) <= 200 for p in prompts) and prompts[0].startswith("red circle x")


def test_composer_samples_and_tokens(app, metric):
    at = app
    at.selectbox(key="clip_c_kind").set_value("ring")
    at.selectbox(key="clip_c_colour").set_value("orange")
    at.button(key="clip_add").click().run()
    assert not at.exception, at.exception
    assert metric(at, "Images I") == "5" and metric(at, "Prompts T") == "5"
    assert at.text_area(key="clip_prompts").value.splitlines()[-1] == "an orange ring"
    at.pills(key="clip_samples").set_value(["chelsea.png"]).run()
    assert metric(at, "Images I") == "6" and at.text_area(key="clip_prompts").value.splitlines()[-1] == "a cat"
    tokens = " ".join(m.value for m in at.markdown)
    assert "unknown to this model:] `cat`" in tokens and "`<unk>`" in tokens
    at.button(key="clip_remove").click().run()  # removes the sample and its prompt
    assert metric(at, "Images I") == "5" and "a cat" not in at.text_area(key="clip_prompts").value
    at.button(key="clip_reset").click().run()
    assert metric(at, "Images I") == "4" and metric(at, "Prompts T") == "4"


def test_template_toggle_and_bad_template(app, chart):
    at = app
    at.toggle(key="clip_tpl_on").set_value(True).run()
    assert not at.exception, at.exception
    cos = chart(at, "clip_cos")["data"][0]
    prompts = [row[1] for row in cos["customdata"][0]]
    assert prompts == ["a photo of a red circle", "a photo of a blue square", "a photo of a yellow triangle",
                       "a photo of a green star"]
    at.text_input(key="clip_tpl").set_value("a photo of").run()
    assert any("template is not used" in e.value for e in at.error)
    at.text_area(key="clip_prompts").set_value("").run()
    assert any("at least one image and one prompt" in i.value for i in at.info)


def test_live_training_runs_in_the_fragment(app, plotly_specs):
    at = app
    at.slider(key="clip_live_steps").set_value(20)
    at.select_slider(key="clip_live_batch").set_value(16)
    at.button(key="clip_live_start").click().run()
    assert not at.exception, at.exception
    last = at.session_state["clip_live_last"]
    assert last["steps"][-1] == 20 and last["eval_steps"] == [0, 10, 20] and last["cos"].shape == (8, 8)
    assert at.session_state["clip_live_last"]["done"] is True
    assert any("Step 20/20" in s.value for s in at.success)
    assert len(plotly_specs(at)) == 8  # + the held-out matrix and the loss curve
    at.slider(key="clip_scale").set_value(30.0).run()  # another rerun shows the last run again
    assert len(plotly_specs(at)) == 8 and not at.exception


def test_weights_missing_warning(monkeypatch, tmp_path):
    monkeypatch.setattr(weights, "ASSETS", tmp_path)
    st.cache_data.clear()  # the page caches the model list for 30 s
    try:
        at = AppTest.from_file(PAGE, default_timeout=180)
        at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
        at.session_state["image"] = default_image()
        at.run()
        assert not at.exception, at.exception
        assert at.selectbox(key="clip_model").value == "clip-untrained" and len(at.selectbox(key="clip_model").options) == 1
        warning = " ".join(w.value for w in at.warning)
        assert "embedded trained CLIP is missing" in warning and "python -m mmviz.train clip-tiny" in warning
    finally:
        st.cache_data.clear()


@pytest.mark.skipif(not TRAINED.is_file(), reason="the embedded clip-tiny-shapes weights are not trained yet")
def test_trained_model_first_view_is_diagonal(chart):
    at = _new("clip-tiny-shapes").run()
    assert not at.exception, at.exception
    cos = _z(chart(at, "clip_cos"))
    assert (cos.argmax(1) == np.arange(4)).all()
    assert any(re.search(r"100% of the images pick their own prompt", c.value) for c in at.caption)
    import json

    held = json.loads(TRAINED.with_suffix(".json").read_text())["heldout"]
    assert any(f"only {held['kind_top1']:.0%}" in c.value for c in at.caption)


def test_a_pretrained_model_takes_the_general_branches(monkeypatch, metric):
    """The pretrained CLIP cannot be downloaded here: stand its registry entry in with the tiny untrained
    model, to run the page's branches for a web-trained CLIP (no shapes-world notice, BPE wording)."""
    real_available, real_load = weights.available_models, weights.load_model

    def available(family=None):
        return [weights.ModelInfo(**{**m.__dict__, "available": True, "how_to_get": ""})
                if m.tier == "pretrained" else m for m in real_available(family)]

    monkeypatch.setattr(weights, "available_models", available)
    monkeypatch.setattr(weights, "load_model", lambda name, device="cpu": real_load(
        "clip-untrained" if name == "openai/clip-vit-base-patch32" else name, device))
    st.cache_data.clear()
    try:
        at = _new("openai/clip-vit-base-patch32")
        at.session_state["image"] = {**default_image(), "name": "my_photo.png"}  # the student's own upload
        at.run()
        assert not at.exception, at.exception
        assert metric(at, "Images I") == "5"  # the student's sidebar upload joins the batch, with its prompt
        assert at.text_area(key="clip_prompts").value.splitlines()[-1] == "a photo of my photo"
        assert not any("only knows the shapes world" in i.value for i in at.info)
        assert any("narrow band" in c.value for c in at.caption)
        assert any("byte-level BPE never needs" in c.value for c in at.caption)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_the_batch_survives_a_visit_to_another_page(metric):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
    at.session_state["clip_model"] = "clip-untrained"
    at.session_state["_open_all"] = True
    at.run()
    at.switch_page("pages/6_clip_similarity.py").run()
    at.button(key="clip_add").click().run()
    at.toggle(key="clip_tpl_on").set_value(True).run()
    files = [(p.name, p.read_bytes(), "image/png") for p in (SAMPLES / "coffee.png", SAMPLES / "astronaut.png")]
    at.file_uploader(key="clip_upload").set_value(files).run()
    assert metric(at, "Images I") == "7" and metric(at, "Prompts T") == "7" and not at.exception
    at.switch_page("pages/2_positional_encoding.py").run()
    assert not at.exception and "clip_prompts" not in [w.key for w in at.text_area]
    at.switch_page("pages/6_clip_similarity.py").run()
    assert not at.exception, at.exception
    assert metric(at, "Images I") == "7" and metric(at, "Prompts T") == "7"  # the uploads are still there (6 -> 4)
    assert at.toggle(key="clip_tpl_on").value is True
    assert at.slider(key="clip_scale").value == pytest.approx(14.29)


def _png(shape) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (*shape, 3), dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def test_odd_images_and_a_single_prompt(app, chart, metric, numbers):
    at = app
    at.file_uploader(key="clip_upload").set_value([("dot.png", _png((1, 1)), "image/png"),
                                                   ("strip.png", _png((20, 900)), "image/png")]).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert metric(at, "Images I") == "6"
    at.text_area(key="clip_prompts").set_value("a red circle").run()
    assert not at.exception, at.exception
    assert np.shape(_z(chart(at, "clip_cos"))) == (6, 1)
    assert np.allclose(_z(chart(at, "clip_probs")), 1)  # one prompt: probability 1
    assert numbers(_loss_latex(at))[-1] == 0.0  # K = 1: chance = log K = 0, nothing to contrast with


def test_a_real_hf_checkpoint_in_the_cache(monkeypatch, tmp_path, metric):
    """The pretrained path end to end: a Hugging Face CLIP folder (random weights, 224 px, patch 32, a small
    byte-level BPE tokenizer.json) in MMVIZ_CACHE is listed, loaded through load_hf_clip and drawn."""
    import torch
    import transformers
    from test_hf_clip import _write_bpe

    d = tmp_path / "openai" / "clip-vit-base-patch32"
    d.mkdir(parents=True)
    tok = _write_bpe(d)
    torch.manual_seed(0)
    text = dict(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                num_attention_heads=4, max_position_embeddings=77, eos_token_id=tok.eos_token_id,
                bos_token_id=tok.bos_token_id, pad_token_id=tok.pad_token_id)
    vision = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, image_size=224,
                  patch_size=32)
    cfg = transformers.CLIPConfig(text_config=text, vision_config=vision, projection_dim=32)
    transformers.CLIPModel(cfg).save_pretrained(d)
    monkeypatch.setenv("MMVIZ_CACHE", str(tmp_path))
    st.cache_data.clear()
    try:
        at = _new("openai/clip-vit-base-patch32")
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert metric(at, "Patches per image") == "49" and metric(at, "Embedding width E") == "32"
        assert any("(4, 3, 224, 224)" in c.value for c in at.caption)
        assert any("`red</w>`" in m.value and "`<|endoftext|>`" in m.value for m in at.markdown)  # BPE tokens
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_korean_interface():
    at = _new()
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    hangul = re.compile(r"[\uac00-\ud7a3]")
    assert hangul.search(at.title[0].value)
    texts = [m.value for m in at.markdown if len(m.value) > 40 and not m.value.startswith("<")]
    assert texts and sum(bool(hangul.search(t)) for t in texts) > 0.8 * len(texts), texts
    assert at.slider(key="clip_live_steps").label == "단계 수"


def _keys(at: AppTest) -> list[str]:
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


def test_predict_the_pick_is_the_argmax_of_the_similarity_row(chart, heat):
    at = _new(reveal=False).run()
    assert at.button(key="clip_q_pick_commit").disabled
    assert "clip_cos" not in _keys(at)  # open: the matrix would answer it
    guess = 0
    at.radio(key="clip_q_pick_guess").set_value(guess).run()
    at.button(key="clip_q_pick_commit").click().run()
    assert not at.exception, at.exception
    row = np.array(heat(chart(at, "clip_cos"))[0]["z"])[0]  # drawn once committed
    best = int(row.argmax())
    if best == guess:  # the untrained model may pick prompt 0: ask again with a wrong guess
        at.button(key="clip_q_pick_again").click().run()
        at.radio(key="clip_q_pick_guess").set_value((best + 1) % len(row)).run()
        at.button(key="clip_q_pick_commit").click().run()
        assert not at.exception, at.exception
    assert at.warning and f"cos = {row.max():.3f}" in " ".join(m.value for m in at.markdown)
    assert any(f"prompt {best}," in m.value for m in at.markdown)


def test_open_question_hides_the_similarity_matrix_until_shown(heat, chart):
    at = _new(reveal=False).run()
    assert not at.exception, at.exception
    assert "clip_cos" not in _keys(at)  # row 0 of the matrix is the answer
    assert not any(m.value.startswith("Best prompt per image") for m in at.markdown)
    assert any("appear once you answer" in c.value for c in at.caption)
    assert "clip_pca" in _keys(at)  # what does not answer it stays
    at.button(key="clip_q_pick_skip").click().run()
    assert not at.exception, at.exception
    assert "clip_cos" in _keys(at)
    assert any(m.value.startswith("Best prompt per image") for m in at.markdown)
    row = np.array(heat(chart(at, "clip_cos"))[0]["z"])[0]
    assert f"cos = {row.max():.3f}" in " ".join(m.value for m in at.markdown)
