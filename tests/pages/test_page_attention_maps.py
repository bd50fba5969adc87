"""AppTest smoke test of pages/3_attention_maps.py: loads, layer/head/query change the figures."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from mmviz.inputs import default_image
from mmviz.weights import EMBEDDED_NAME, available_models

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "3_attention_maps.py")
EMBEDDED = next(m for m in available_models() if m.name == EMBEDDED_NAME).available


def _new(reveal: bool = True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state["am_model"] = "untrained"  # the same for every run, trained weights or not
    at.session_state["_open_all"] = True  # every section open (they open on a click otherwise)
    if reveal:
        at.session_state["_reveal_all"] = True  # every question answered: the distance bars are drawn
    return at.run()


@pytest.fixture
def app() -> AppTest:
    return _new()


def test_page_renders(app, plotly_specs, metric, heat):
    at = app
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Attention maps"
    # chelsea.png 451x300 -> short side 64 -> 96x64 -> 8x12 patches of 8 px
    assert metric(at, "Patches N") == "96" and metric(at, "Tokens T") == "97"
    assert metric(at, "Heads h") == "4" and metric(at, "Layers") == "4" and metric(at, "Head size d") == "32"
    specs = plotly_specs(at)
    keys = [c.proto.id for c in at.get("plotly_chart")]
    assert len(specs) == 8, keys  # + the worked example
    cls, picker, query, matrix, rollout, masks, distance, worked = specs
    assert [np.shape(h["z"]) for h in heat(cls)] == [(8, 12)] * 4
    assert len(picker["data"][1]["x"]) == 96
    assert [np.shape(h["z"]) for h in heat(query)] == [(8, 12)] * 4
    assert np.shape(heat(matrix)[0]["z"]) == (97, 97)  # the hover grid over the matrix's picture: exact here
    assert matrix["layout"]["xaxis"]["range"] == [-0.5, 96.5] and "0 = [CLS]" in matrix["layout"]["xaxis"]["title"]["text"]
    assert [np.shape(h["z"]) for h in heat(rollout)] == [(8, 12)] * 2
    assert [np.shape(h["z"]) for h in heat(masks)] == [(8, 12)] * 4
    assert len(distance["data"][0]["y"]) == 16  # 4 layers x 4 heads
    assert len(worked["data"][0]["x"]) == 8 and "q·k" in worked["data"][0]["hovertemplate"]
    for s in specs:
        assert any("hovertemplate" in t for t in s["data"]), s["layout"].get("title")
    # the worked example agrees with the model's own attention row
    assert float(metric(at, "max |softmax by hand − model's row|")) <= 1e-5
    assert any("short side is 64 px" in c.value for c in at.caption)
    codes = "\n".join(c.value for c in at.code)
    assert "def attention_rollout" in codes and "def dino_mask" in codes and "def mean_attention_distance" in codes
    assert "scaled_dot_product_attention" in codes and "def attend" in codes  # Attention.forward calls attend


def test_layer_and_head_change_the_figures(app, plotly_specs, heat):
    at = app
    before = plotly_specs(at)
    at.slider(key="am_layer").set_value(0).run()
    assert not at.exception, at.exception
    after = plotly_specs(at)
    z0 = np.asarray(heat(before[0])[0]["z"])
    z1 = np.asarray(heat(after[0])[0]["z"])
    assert z0.shape == z1.shape == (8, 12) and not np.allclose(z0, z1)
    assert any(m.value.startswith("**Layer 0**") for m in at.markdown)
    m_before = np.asarray(heat(after[3])[0]["z"])
    at.selectbox(key="am_head").set_value(2).run()
    assert not at.exception, at.exception
    specs = plotly_specs(at)
    assert "head 2" in specs[3]["layout"]["title"]["text"]
    assert not np.allclose(np.asarray(heat(specs[3])[0]["z"]), m_before)
    # the chosen head is the big point of the distance scatter
    sizes = specs[6]["data"][0]["marker"]["size"]
    assert sizes.index(15) == 0 * 4 + 2


def test_query_patch_moves_the_outline(app, plotly_specs, metric):
    at = app
    at.slider(key="am_query").set_value(13).run()  # row 1, col 1
    assert not at.exception, at.exception
    picker = plotly_specs(at)[1]
    assert "patch 13 (row 1, col 1)" in picker["layout"]["title"]["text"]
    box = [t for t in picker["data"] if t.get("name") == "query"][0]
    assert min(box["x"]) == 8 - 0.5 and min(box["y"]) == 8 - 0.5
    at.toggle(key="am_we_cls").set_value(False).run()
    assert not at.exception
    assert float(metric(at, "max |softmax by hand − model's row|")) <= 1e-5


def test_rollout_and_mask_controls(app, plotly_specs, heat):
    at = app
    at.slider(key="am_keep").set_value(0.3).run()
    at.slider(key="am_discard").set_value(0.5).run()
    assert not at.exception, at.exception
    specs = plotly_specs(at)
    kept = [int(np.sum(h["z"])) for h in heat(specs[5])]
    assert all(1 <= k < 96 for k in kept)
    assert "discard 50%" in specs[4]["layout"]["annotations"][0]["text"]


def test_shapes_world_sample_button(app, metric):
    at = app
    at.button(key="am_shapes_btn").click().run()
    assert not at.exception, at.exception
    assert any("shapes world #0" in c.value.replace("\\", "") for c in at.caption)  # names are written as plain text
    assert metric(at, "Patches N") == "64"  # a 64x64 scene -> 8x8 patches
    at.button(key="am_back_btn").click().run()
    assert metric(at, "Patches N") == "96"


@pytest.mark.skipif(not EMBEDDED, reason="embedded weights not trained yet")
def test_embedded_model_and_untrained_comparison(plotly_specs):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state["_open_all"] = True
    at.session_state["_reveal_all"] = True
    at.run()
    assert at.selectbox(key="am_model").value == EMBEDDED_NAME and not at.warning
    assert any("shapes world" in i.value for i in at.info)
    assert any("L0 " in c.value and "uniform attention" in c.value for c in at.caption)  # the card's numbers
    dino = [m.value for m in at.markdown if "Caron et al. 2021" in m.value]  # why [CLS] is not more on the object
    assert dino and "python -m mmviz.download facebook/dino-vits16" in dino[0]
    at.toggle(key="am_compare").set_value(True).run()
    assert not at.exception, at.exception
    names = [t["name"] for t in plotly_specs(at)[6]["data"]]
    assert names[:2] == ["untrained", "this model"]


def test_without_embedded_weights_says_so(monkeypatch):
    if EMBEDDED:
        pytest.skip("embedded weights present")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.run()
    assert not at.exception
    assert at.selectbox(key="am_model").value == "untrained"
    assert any("embedded trained model is missing" in w.value for w in at.warning)


def test_tiny_image_is_enlarged_and_said_so():
    at = AppTest.from_file(PAGE, default_timeout=60)
    tiny = Image.fromarray(np.full((3, 5, 3), 200, np.uint8))
    at.session_state["image"] = {"name": "tiny.png", "key": "tiny-am-test", "image": tiny}
    at.session_state["am_model"] = "untrained"
    at.run()
    assert not at.exception, at.exception
    assert any("smaller than one 8 px patch" in c.value for c in at.caption)


def test_head_titles_sit_in_their_own_band_above_each_panel(app, chart):
    """Titles overlapped the images of the row above: each title's band starts above its panel's top."""
    spec = chart(app, "am_cls")
    lay = spec["layout"]
    height = lay["height"] - lay["margin"]["t"] - lay["margin"]["b"]
    tops = sorted({round(lay[k]["domain"][1], 6) for k in lay if k.startswith("yaxis")}, reverse=True)
    bottoms = sorted({round(lay[k]["domain"][0], 6) for k in lay if k.startswith("yaxis")}, reverse=True)
    for upper_bottom, lower_top in zip(bottoms, tops[1:]):  # the gap between two rows holds a line of text
        assert (upper_bottom - lower_top) * height >= 20
    assert all(a["yanchor"] == "bottom" and a["font"]["size"] >= 13 for a in lay["annotations"])



HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_korean_by_the_url(chart, metric):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state["am_model"] = "untrained"
    at.session_state["_open_all"] = True
    at.session_state["_reveal_all"] = True
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "어텐션 맵"
    picker = at.selectbox(key="am_model")  # each model's sentence in Korean too
    assert picker.options[picker.index] == "untrained · 같은 작은 ViT에 무작위 가중치(시드 고정): 학습 전의 어텐션(attention)입니다."
    prose = [m.value for m in at.markdown if not m.value.startswith("`")]  # not the code labels
    assert sum(bool(HANGUL.search(m)) for m in prose) >= 0.8 * len(prose), prose
    assert sum(bool(HANGUL.search(e.label)) for e in at.expander) >= 7  # the sections (and "Show the code")
    assert metric(at, "패치 수 N") == "96" and metric(at, "헤드 수 h") == "4"
    assert chart(at, "am_distance")["layout"]["title"]["text"] == "모든 헤드의 평균 어텐션 거리"
    assert chart(at, "am_matrix")["layout"]["title"]["text"].startswith("A = softmax(QKᵀ/√d), 층 3, 헤드 0")


def test_predict_the_furthest_head_then_reveal(chart, numbers):
    at = _new(reveal=False)
    at.slider(key="am_layer").set_value(1).run()
    assert "am_distance" not in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]  # its bars answer it
    at.radio(key="am_q_far_guess").set_value(0).run()
    at.button(key="am_q_far_commit").click().run()
    assert not at.exception, at.exception
    this = next(t for t in chart(at, "am_distance")["data"] if t["name"] == "this model")
    dist = np.asarray(this["y"]).reshape(4, 4)[1]  # the lesson's mean attention distance, layer 1, per head
    far = int(dist.argmax())
    assert f"the tensors say head {far}" in (at.warning[0].value if far else at.success[0].value)
    why = next(m.value for m in at.markdown if m.value.startswith(f"Head {far}:"))
    assert numbers(why)[1] == pytest.approx(dist[far], abs=0.051)
    at.slider(key="am_layer").set_value(2).run()  # another layer: the question is asked again
    assert not at.warning and not at.success and at.button(key="am_q_far_commit") is not None
