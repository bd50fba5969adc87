"""AppTest smoke test of the positional-encoding lesson: runs, figures have the right shapes,
a control change re-renders with the new shape."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from mmviz.inputs import default_image

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "2_positional_encoding.py")
KEYS = {"pe_heatmap", "pe_lines", "pe_sim", "pe_sim_dist", "perm_nopos", "perm_pos", "grid_sim", "rope_scores",
        "rope_circles", "interp", "swin_idx"}


def _new(reveal: bool = True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state["_open_all"] = True  # every section open (they open on a click otherwise)
    if reveal:
        at.session_state["_reveal_all"] = True  # every question answered: the charts that answer them are drawn
    return at.run()


@pytest.fixture(scope="module")
def app():
    """One run with the default controls, shared by the tests that only read it."""
    return _new()


def _z(spec: dict) -> np.ndarray:
    """The values of a figure's (first) heatmap: a picture's hover grid, exact at these sizes."""
    return np.asarray(next(t for t in spec["data"] if t["type"] == "heatmap")["z"], dtype=float)


def test_page_runs_with_all_figures(app, chart):
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == "Positional encoding"
    assert {c.proto.id.rsplit("-", 1)[-1] for c in app.get("plotly_chart")} == KEYS
    # defaults: length 64, d_model 128, 224 px / 32 px patches -> 49 tokens of width 64, grid 7
    assert _z(chart(app, "pe_heatmap")).shape == (64, 128)
    assert _z(chart(app, "pe_sim")).shape == (64, 64)
    for key in ("perm_nopos", "perm_pos"):
        assert [np.shape(t["z"]) for t in chart(app, key)["data"]] == [(49, 64)] * 5
    assert _z(chart(app, "grid_sim")).shape == (7 * 7 + 6, 7 * 7 + 6)
    assert _z(chart(app, "rope_scores")).shape == (48, 48)
    assert [np.shape(t["z"]) for t in chart(app, "interp")["data"]] == [(14, 14), (24, 24)] * 2
    for key in ("pe_heatmap", "pe_sim", "rope_scores"):  # a picture of the matrix under its hover grid
        assert [t["type"] for t in chart(app, key)["data"]] == ["image", "heatmap"]
    assert _z(chart(app, "swin_idx")).shape == (9, 9)
    for key in KEYS:  # hover values on every figure
        assert any("%{" in t.get("hovertemplate", "") for t in chart(app, key)["data"]), key


def test_permutation_numbers_are_measured(app, chart, number):
    assert number(app, "max difference, no positions") < 1e-5
    assert number(app, "max difference, with positions") > 1e-2
    assert "max |attn(x)[perm] − attn(x[perm])|" in chart(app, "perm_pos")["layout"]["title"]["text"]


def test_code_expanders_and_formulas(app):
    codes = "\n".join(c.value for c in app.code)
    for fn in ("def sinusoidal_1d", "def sincos_2d", "def apply_rope", "def interpolate_pos_embed",
               "def relative_position_index", "def permutation_demo", "def permutation_lesson",
               "def rope_lesson", "def interpolation_demo"):
        assert fn in codes, fn
    assert any("10000^{2i/d_{model}}" in x.body for x in app.latex)


def test_controls_change_the_figures(chart):
    at = _new()
    at.select_slider(key="d_model").set_value(64)
    at.slider(key="length").set_value(32)
    at.slider(key="grid").set_value(4)
    at.slider(key="swin_M").set_value(2)
    at.run()
    assert not at.exception, at.exception
    assert _z(chart(at, "pe_heatmap")).shape == (32, 64)
    assert _z(chart(at, "pe_sim")).shape == (32, 32)
    assert _z(chart(at, "grid_sim")).shape == (4 * 4 + 3, 4 * 4 + 3)
    assert _z(chart(at, "swin_idx")).shape == (4, 4)
    z = _z(chart(at, "pe_heatmap"))
    assert z[5, 2] == pytest.approx(np.sin(5 / 10000 ** (2 / 64)), abs=1e-6)


def test_page_without_image_state_falls_back_to_default():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["_open_all"] = True
    at.session_state["_reveal_all"] = True
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 11


def test_sections_run_when_opened_and_keep_their_values(chart):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.run()
    assert not at.exception, at.exception
    assert {c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")} == {"pe_heatmap", "pe_lines"}
    at.session_state["pe_s4"] = True  # open section 4, move its slider, close it, open it again
    at.run()
    at.slider(key="grid").set_value(5).run()
    assert _z(chart(at, "grid_sim")).shape == (5 * 5 + 4, 5 * 5 + 4)
    at.session_state["pe_s4"] = False
    at.run()
    assert "grid" not in {w.key for w in at.slider}
    at.session_state["pe_s4"] = True
    at.run()
    assert at.slider(key="grid").value == 5  # kept while the section was closed


def test_section_1_changes_section_2():
    at = _new()
    at.select_slider(key="d_model").set_value(32).run()
    assert not at.exception, at.exception
    assert any("d_model = 32" in m.value for m in at.markdown)


def test_page_is_thin():
    """No tensor math in the page: it imports no torch and only calls the backend."""
    src = Path(PAGE).read_text()
    assert "import torch" not in src and "torch." not in src


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_korean_by_the_url(chart):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state["_open_all"] = True
    at.session_state["_reveal_all"] = True
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "위치 인코딩"
    prose = [m.value for m in at.markdown if not m.value.startswith("`")]  # not the code labels
    assert sum(bool(HANGUL.search(m)) for m in prose) >= 0.8 * len(prose), prose
    assert sum(bool(HANGUL.search(e.label)) for e in at.expander) >= 7  # the sections (and "Show the code")
    assert chart(at, "pe_heatmap")["layout"]["title"]["text"] == "PE: 위치 × 차원"
    assert chart(at, "pe_sim_dist")["layout"]["xaxis"]["title"]["text"] == "오프셋 j − i"


def test_predict_which_side_is_more_similar_then_reveal(chart, numbers):
    at = _new(reveal=False)
    keys = [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    assert "pe_sim" not in keys and "pe_sim_dist" not in keys  # the symmetric matrix would answer it
    at.radio(key="pe_q_side_guess").set_value("after").run()
    at.button(key="pe_q_side_commit").click().run()
    assert not at.exception, at.exception
    sim = _z(chart(at, "pe_sim"))  # length 64: position 32 against 24 and 40
    assert sim[32, 24] == pytest.approx(sim[32, 40], abs=1e-6)  # only the distance counts
    assert "the tensors say equally similar" in at.warning[0].value
    why = next(m.value for m in at.markdown if m.value.startswith("cos(PE 32, PE 24)"))
    a, b = numbers(why)[2], numbers(why)[5]
    assert a == pytest.approx(sim[32, 24], abs=2e-6) and b == pytest.approx(sim[32, 40], abs=2e-6)
