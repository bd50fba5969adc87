"""AppTest of pages/4_swin_windows.py: renders, the controls change the figures, numbers match the ops."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mmviz import windows as ops
from mmviz.inputs import default_image
from mmviz.lessons import swin_windows as sl

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "4_swin_windows.py")


def _new(reveal: bool = True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["image"] = default_image()
    at.session_state["_open_all"] = True  # every section open (they open on a click otherwise)
    if reveal:
        at.session_state["_reveal_all"] = True  # every question answered: the rolled grids and costs are drawn
    return at.run()


@pytest.fixture
def app() -> AppTest:
    return _new()


def test_page_renders_with_numbers_from_the_tensors(app, plotly_specs, chart, metric, heat):
    at = app
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Swin windows"
    # the shipped trained Swin is the default, so no random-weights warning
    assert at.selectbox(key="sw_model").value == "swin-tiny-shapes" and not at.warning
    # chelsea.png 451x300 -> short side 64 -> 96x64 px -> 16x24 patches of 4 px; M = 4 -> 4x6 windows
    assert metric(at, "Patch grid") == "16×24" and metric(at, "Padded grid") == "16×24"
    assert metric(at, "Windows nW") == "24" and metric(at, "Tokens per window") == "16"
    assert metric(at, "After 1 block") == "16 / 384" and metric(at, "After 2 blocks") == "64 / 384"
    specs = plotly_specs(at)
    assert len(specs) == 10
    for s in specs:
        assert any("hovertemplate" in t for t in s["data"]), s["layout"].get("title")
    windows = chart(at, "sw_windows")
    assert np.shape(heat(windows)[0]["z"]) == (16, 24)
    stages = chart(at, "sw_stages")
    assert [np.shape(h["z"]) for h in heat(stages)] == [(16, 24), (8, 12), (4, 6)]
    table = at.table[0].value
    assert list(table["channels C"]) == [32, 64, 128] and list(table["tokens"]) == [384, 96, 24]
    assert any("56×84×96" in c.value for c in at.caption)  # Swin-T on the same image, meta device
    matrix = chart(at, "sw_matrix")
    z = np.array(heat(matrix)[0]["z"])
    assert z.shape == (16, 16) and np.allclose(z.sum(1), 1, atol=1e-3)
    codes = "\n".join(c.value for c in at.code)
    for name in ("def pad_to_multiple", "def window_partition", "def cyclic_shift", "def relative_position_index",
                 "def merge_neighbours", "def msa_cost", "def receptive_field", "scaled_dot_product_attention"):
        assert name in codes, name


def test_every_sw_msa_step(app, chart, heat):
    at = app
    shift_b = chart(at, "sw_shift_b")
    assert np.shape(heat(shift_b)[0]["z"]) == (16, 24)
    at.segmented_control(key="sw_step").set_value("2 · Regions").run()
    regions = np.array(heat(chart(at, "sw_regions"))[0]["z"])
    assert sorted(np.unique(regions).tolist()) == list(range(9))
    at.segmented_control(key="sw_step").set_value("3 · Mask").run()
    assert not at.exception, at.exception
    mask = np.array(heat(chart(at, "sw_mask"))[0]["z"])
    np.testing.assert_array_equal(mask, ops.shifted_window_mask(16, 24, 4, 2)[-1].numpy())
    at.segmented_control(key="sw_step").set_value("4 · Attention").run()
    a = np.array(heat(chart(at, "sw_toy_b"))[0]["z"])
    assert np.allclose(a.sum(1), 1, atol=1e-3) and a[mask < 0].max() < 1e-4
    at.segmented_control(key="sw_step").set_value("5 · Shift back").run()
    assert not at.exception and any("max |difference| = 0" in m.value for m in at.markdown)


def test_window_size_and_shift_controls(app, chart, metric, heat):
    at = app
    at.slider(key="sw_M").set_value(7).run()
    assert not at.exception, at.exception
    assert metric(at, "Padded grid") == "21×28" and metric(at, "Windows nW") == "12"
    assert at.slider(key="sw_s").value == 3  # a new M starts from Swin's shift M // 2
    at.slider(key="sw_s").set_value(5).run()
    assert at.slider(key="sw_s").value == 5 and not at.exception
    index = np.array(heat(chart(at, "sw_index"))[0]["z"])
    assert index.shape == (49, 49) and index.max() == 168
    at.slider(key="sw_s").set_value(0).run()
    assert any("s = 0" in i.value for i in at.info)
    at.slider(key="sw_k").set_value(8).run()
    assert not at.exception


def test_model_section_block_and_window(app, chart, heat):
    at = app
    before = heat(chart(at, "sw_matrix"))[0]["z"]
    at.selectbox(key="sw_block").set_value(4).run()  # stage 2: a 4x6 grid in two 4x4 windows, no shift
    assert not at.exception, at.exception
    heads = chart(at, "sw_heads")
    assert [np.shape(h["z"]) for h in heat(heads)] == [(4, 6)] * 8
    assert at.slider(key="sw_mwin").max == 1
    assert heat(chart(at, "sw_matrix"))[0]["z"] != before


@pytest.mark.parametrize("shape", [(3, 3), (20, 900), (1, 1)])
def test_odd_images_render(shape, metric):
    from PIL import Image

    at = AppTest.from_file(PAGE, default_timeout=120)
    arr = np.random.default_rng(0).integers(0, 256, (*shape, 3), dtype=np.uint8)
    at.session_state["image"] = {"name": "odd.png", "key": f"odd-{shape}", "image": Image.fromarray(arr)}
    at.session_state["_open_all"] = True
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert metric(at, "Windows nW") in {"16", "32"}


def test_cost_axes_number_every_tick(chart, app):
    """The log axes read "9, 100, 2, 3" (plotly's short minor labels): now every tick is a full number."""
    lay = chart(app, "sw_cost")["layout"]
    assert lay["xaxis"]["tickmode"] == "array" and all(t.isdigit() for t in lay["xaxis"]["ticktext"])
    assert lay["yaxis"]["dtick"] == 1 and lay["yaxis"]["exponentformat"] == "power"


def test_step_1_titles_fit_their_half_column(chart, app):
    for key in ("sw_shift_a", "sw_shift_b"):
        title = chart(app, key)["layout"]["title"]["text"]
        assert max(len(line) for line in title.split("<br>")) <= 40, title


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_korean_interface(chart):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["image"] = default_image()
    at.session_state["_open_all"] = True
    at.session_state["_reveal_all"] = True
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert HANGUL.search(at.title[0].value)
    texts = [m.value for m in at.markdown if len(m.value) > 40 and not m.value.startswith("<")]
    assert texts and sum(bool(HANGUL.search(t)) for t in texts) > 0.8 * len(texts), texts
    assert at.table[0].value.columns[0] == "스테이지"
    assert "윈도우" in chart(at, "sw_windows")["layout"]["title"]["text"]  # figure texts in Korean too


def test_predict_shift_window_from_the_lesson_arrays():
    at = _new(reveal=False)
    assert at.button(key="sw_q_shift_commit").disabled  # step 1 is shown first
    keys = [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    assert "sw_shift_a" not in keys and "sw_shift_b" not in keys  # their hover names patch 0's window
    W = sl.windows_lesson(default_image()["image"], size=64, M=4, s=2)
    answer = int(W["window_of"][W["rolled_ids"] == 0][0])
    assert answer == 23  # patch 0 wraps round to the bottom-right window
    at.number_input(key="sw_q_shift_guess").set_value(0).run()
    at.button(key="sw_q_shift_commit").click().run()
    assert not at.exception, at.exception
    assert f"{answer}" in at.warning[0].value and any("window **23** of 24" in m.value for m in at.markdown)
    assert "sw_shift_b" in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]


def test_predict_cost_ratio():
    at = _new(reveal=False)
    ratio = sl.cost_lesson((16, 24), 32, 4, 4)["ratio"]
    assert not any(f"{sl.cost_lesson((16, 24), 32, 4, 4)['msa']:,}" in x.body for x in at.latex)  # open: no numbers
    at.number_input(key="sw_q_cost_guess").set_value(round(ratio, 1)).run()
    at.button(key="sw_q_cost_commit").click().run()
    assert not at.exception, at.exception
    assert at.success and any(f"**{ratio:.1f}**" in m.value for m in at.markdown)
    assert any(f"{sl.cost_lesson((16, 24), 32, 4, 4)['msa']:,}" in x.body for x in at.latex)
