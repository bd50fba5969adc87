"""AppTest of pages/10_fusion.py: the six designs answer a question about a scene, photo or nothing; the masks,
counts and maps follow the design, the word and the head; bad questions get a sentence, never an exception.

Models that are not trained yet are shown as their untrained architecture: the test passes either way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mmviz.inputs import default_image
from mmviz.lessons import fusion as fu
from mmviz.ui.page import OPEN_ALL
from mmviz.ui.predict import REVEAL_ALL
from mmviz.weights import available_models

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "10_fusion.py")
TRAINED = {m.name for m in available_models("fusion") if m.available}
KEYS = ["fu_image", "fu_answers", "fu_designs", "fu_masks", "fu_word_maps", "fu_costs", "fu_clip"]


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
    at.session_state[OPEN_ALL] = True  # every section and "Show the code" open (closed: no chart)
    at.session_state["image"] = default_image()
    return at.run()


def _ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _keys(at) -> list[str]:
    return [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


def _text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [w.value for w in at.warning])


def test_page_renders_every_section_on_a_scene(app, chart, numbers):
    at = app
    _ok(at)
    assert at.title[0].value == "Multimodal fusion"
    assert _keys(at)[: len(KEYS)] == KEYS or set(KEYS) <= set(_keys(at))
    scene = fu.vqa_scene(0)
    q, truth, _ = scene["questions"][0]
    assert at.text_area(key="fu_q").value == q
    assert f"True answer: {truth}" in _text(at)
    answers = chart(at, "fu_answers")
    assert len([t for t in answers["data"] if t["type"] == "bar"]) == 6
    # section 5: the formula's value is the table's and the cost chart's, for the question's L tokens
    L = len(q.replace("?", " ? ").split())
    value = 8 * 4 * L * 64
    assert any(f"{value:,}".replace(",", "{,}") in x.value for x in at.latex)
    costs = chart(at, "fu_costs")
    totals = [int(t["text"][0].replace(",", "")) for t in costs["data"] if t["type"] == "scatter"]
    assert totals[4] == value and totals[1] == 4 * 4 * (L + 64) ** 2
    assert f"{len(scene['objects'])}" and "64×64 px" in _text(at)
    codes = "\n".join(c.value for c in at.code)
    assert "def layer_masks" in codes and "def answer_all" in codes and "def clip_contrast" in codes
    missing = [n for n in fu.NAMES.values() if n not in TRAINED]
    if missing:
        assert any(missing[0] in w.value and "untrained architecture" in w.value for w in at.warning)


def test_design_head_and_word_drive_the_masks_and_maps(app, chart, heat):
    at = app
    at.selectbox(key="fu_letter").set_value("c").run()
    _ok(at)
    masks = chart(at, "fu_masks")
    titles = [v["title"]["text"] for k, v in sorted(masks["layout"].items()) if k.startswith("xaxis")]
    assert "<b>apart 0: text + image</b>" in titles and len(titles) == 4
    # (c): words read patches only in the joint blocks
    block = at.selectbox(key="fu_block")
    assert list(block.options) == ["joint 0 · joint", "joint 1 · joint"]
    z_mean = np.asarray(heat(masks)[0]["z"], dtype=float)
    at.button_group(key="fu_head").set_value(2).run()
    _ok(at)
    z_head = np.asarray(heat(chart(at, "fu_masks"))[0]["z"], dtype=float)
    assert z_head.shape == z_mean.shape == (70, 70)
    assert not np.allclose(np.nan_to_num(z_head), np.nan_to_num(z_mean))
    at.selectbox(key="fu_word").set_value(1).run()
    _ok(at)
    maps = chart(at, "fu_word_maps")
    assert len(heat(maps)) == 4 and "“colour” reads patch" in heat(maps)[0]["hovertemplate"]
    at.toggle(key="fu_reads").set_value(False).run()
    _ok(at)
    assert "is read by patch" in heat(chart(at, "fu_word_maps"))[0]["hovertemplate"]


@pytest.mark.parametrize("question, expected", [
    ("what colour is the circle, please?", "“please”"),
    ("how many shapes are there ? " * 5_000, "cut to its first 12"),
    ("🙂🙂 마음?", "“🙂🙂”"),
])
def test_bad_questions_get_a_sentence(app, question, expected):
    at = app
    at.text_area(key="fu_q").set_value(question).run()
    _ok(at)
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    assert "fu_answers" in _keys(at)


def test_an_empty_question_is_answered_with_the_sample(app):
    at = app
    at.text_area(key="fu_q").set_value("   ").run()
    _ok(at)
    assert any("The question is empty" in w.value for w in at.warning)
    assert any("the models answer the sample question" in i.value for i in at.info)
    assert "fu_masks" in _keys(at)


def test_new_random_scene_brings_its_own_question(app):
    at = app
    at.button(key="fu_new").click().run()
    _ok(at)
    scene = fu.vqa_scene(1)
    assert at.text_area(key="fu_q").value == scene["questions"][0][0]
    assert any(f"shapes-world scene #1: {scene['what']}" in c.value for c in at.caption)


def test_a_photo_is_read_and_said_to_be_off_the_training_data(app):
    at = app
    at.button_group(key="fu_source").set_value("Sidebar").run()
    _ok(at)
    assert any("trained only on **64×64 shapes-world scenes**" in i.value for i in at.info)
    assert any("451×300" in c.value and "centre-cropped to a square" in c.value for c in at.caption)
    assert not any("True answer" in m.value for m in at.markdown)
    assert set(KEYS) <= set(_keys(at))


def test_upload_here_waits_for_a_file(app):
    at = app
    at.button_group(key="fu_source").set_value("Upload").run()
    _ok(at)
    assert any("Upload an image above" in i.value for i in at.info)
    assert not _keys(at)


def test_a_trained_model_fills_the_table(monkeypatch, tmp_path, chart):
    """Stand a trained fusion-b in (its untrained weights saved with a card) next to the real CLIP and CNN: its
    answers panel says trained, the accuracy chart and the table read its card; the others stay untrained."""
    import streamlit as st

    from mmviz import weights
    from mmviz.train.common import save_model

    for name in ("clip-tiny-shapes", "cnn-kind-judge"):
        for ext in ("safetensors", "json"):
            if (weights.ASSETS / f"{name}.{ext}").is_file():
                (tmp_path / f"{name}.{ext}").symlink_to(weights.ASSETS / f"{name}.{ext}")
    model = fu.untrained("b")
    by_type = dict(zip(("colour", "kind", "exists", "relation", "count"), (0.9, 0.8, 0.7, 0.6, 0.95)))
    save_model(model, model.cfg, {"family": "fusion", "classes": model.class_names, "train_wall_time_s": 1200.0,
                                  "heldout": {"n": 2000, "accuracy": 0.79, "by_type": by_type,
                                              "chance_by_type": dict.fromkeys(by_type, 0.5), "parameters": 398617},
                                  "extra": {"trainable_parameters": 337363}}, tmp_path, "fusion-b")
    monkeypatch.setattr(weights, "ASSETS", tmp_path)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(PAGE, default_timeout=120)
        at.session_state[REVEAL_ALL] = True  # every question shown as skipped: what it hides is drawn
        at.session_state[OPEN_ALL] = True  # every section open (closed: no chart)
        at.session_state["image"] = default_image()
        at.run()
        _ok(at)
        warning = " ".join(w.value for w in at.warning)
        assert "fusion-a" in warning and "fusion-b" not in warning
        titles = [a["text"] for a in chart(at, "fu_answers")["layout"]["annotations"]]
        assert titles[1].endswith("<br>trained") and titles[0].endswith("untrained: noise")
        acc = chart(at, "fu_accuracy")
        bars = [t for t in acc["data"] if t["type"] == "bar"]
        assert bars[1]["y"] == pytest.approx([90, 80, 70, 60, 95]) and bars[0]["customdata"][0] == "not trained"
        table = at.dataframe[-1].value
        assert table["accuracy"].iloc[1] == pytest.approx(0.79) and table["train min"].iloc[1] == 20
        assert table["status"].iloc[0] == "not trained yet" and table["status"].iloc[1] == "trained"
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
