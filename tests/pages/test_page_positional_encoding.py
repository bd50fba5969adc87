"""AppTest smoke test of the positional-encoding lesson: runs, figures have the right shapes,
a control change re-renders with the new shape."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "2_positional_encoding.py")

_DTYPES = {"f4": np.float32, "f8": np.float64, "i1": np.int8, "i2": np.int16, "i4": np.int32,
           "u1": np.uint8, "u2": np.uint16, "u4": np.uint32}


def _array(v) -> np.ndarray:
    """A data array of a plotly JSON spec: a plain list or plotly's base64 typed array."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=_DTYPES[v["dtype"]])
        shape = [int(s) for s in str(v.get("shape", len(a))).split(",")]
        return a.reshape(shape)
    return np.asarray(v, dtype=float)


def _image_state() -> dict:
    try:
        from mmviz.inputs import load_image, sha1_key

        data = (ROOT / "assets" / "samples" / "images" / "chelsea.png").read_bytes()
        return {"name": "chelsea.png", "key": sha1_key(data), "image": load_image(data)}
    except (ImportError, FileNotFoundError):
        import skimage.data

        path = Path(skimage.data.__file__).parent / "chelsea.png"
        return {"name": "chelsea.png", "key": "chelsea", "image": Image.open(path).convert("RGB")}


def _specs(at) -> dict:
    """plotly chart specs by their user key (the key ends the element id)."""
    out = {}
    for chart in at.get("plotly_chart"):
        out[chart.proto.id.rsplit("-", 1)[-1]] = json.loads(chart.proto.spec)
    return out


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = _image_state()
    at.run()
    return at


def test_page_runs_with_all_figures(app):
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    assert app.title[0].value == "Positional encoding"
    specs = _specs(app)
    assert set(specs) == {"pe_heatmap", "pe_lines", "pe_sim", "pe_sim_dist", "perm_nopos", "perm_pos",
                          "grid_sim", "rope_scores", "rope_circles", "interp", "swin_idx"}
    # defaults: length 64, d_model 128, 224 px / 32 px patches -> 49 tokens of width 64, grid 7
    assert _array(specs["pe_heatmap"]["data"][0]["z"]).shape == (64, 128)
    assert _array(specs["pe_sim"]["data"][0]["z"]).shape == (64, 64)
    for key in ("perm_nopos", "perm_pos"):
        assert [_array(t["z"]).shape for t in specs[key]["data"]] == [(49, 64)] * 5
    assert _array(specs["grid_sim"]["data"][0]["z"]).shape == (7 * 7 + 6, 7 * 7 + 6)
    assert _array(specs["rope_scores"]["data"][0]["z"]).shape == (48, 48)
    assert [_array(t["z"]).shape for t in specs["interp"]["data"]] == [(14, 14), (24, 24)] * 2
    assert _array(specs["swin_idx"]["data"][0]["z"]).shape == (9, 9)
    for spec in specs.values():  # hover values on every figure
        assert any("%{" in t.get("hovertemplate", "") for t in spec["data"])


def test_permutation_numbers_are_measured(app):
    values = {m.label: float(m.value) for m in app.metric}
    assert values["max difference, no positions"] < 1e-5
    assert values["max difference, with positions"] > 1e-2
    assert "max |attn(x)[perm] − attn(x[perm])|" in _specs(app)["perm_pos"]["layout"]["title"]["text"]


def test_code_expanders_and_formulas(app):
    codes = "\n".join(c.value for c in app.code)
    for fn in ("def sinusoidal_1d", "def sincos_2d", "def apply_rope", "def interpolate_pos_embed",
               "def relative_position_index", "def permutation_demo", "def permutation_lesson",
               "def rope_lesson"):
        assert fn in codes
    assert any("10000^{2i/d_{model}}" in l.body for l in app.latex)


def test_controls_change_the_figures(app):
    app.select_slider(key="d_model").set_value(64)
    app.slider(key="length").set_value(32)
    app.slider(key="grid").set_value(4)
    app.slider(key="swin_M").set_value(2)
    app.run()
    assert not app.exception, app.exception
    specs = _specs(app)
    assert _array(specs["pe_heatmap"]["data"][0]["z"]).shape == (32, 64)
    assert _array(specs["pe_sim"]["data"][0]["z"]).shape == (32, 32)
    assert _array(specs["grid_sim"]["data"][0]["z"]).shape == (4 * 4 + 3, 4 * 4 + 3)
    assert _array(specs["swin_idx"]["data"][0]["z"]).shape == (4, 4)
    z = _array(specs["pe_heatmap"]["data"][0]["z"])
    assert z[5, 2] == pytest.approx(np.sin(5 / 10000 ** (2 / 64)), abs=1e-6)


def test_page_without_image_state_falls_back_to_default():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 11


def test_page_is_thin():
    """No tensor math in the page: it imports no torch and only calls the backend."""
    src = Path(PAGE).read_text()
    assert "import torch" not in src and "torch." not in src
