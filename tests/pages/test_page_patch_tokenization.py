"""AppTest smoke test of pages/1_patch_tokenization.py: loads, controls change the numbers."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "1_patch_tokenization.py")


def _image_state() -> dict:
    try:
        from mmviz.inputs import default_image

        return default_image()
    except ImportError:  # inputs helper not there yet: build the same dict by hand
        path = ROOT / "assets" / "samples" / "chelsea.png"
        if not path.exists():
            import skimage

            path = Path(skimage.__file__).parent / "data" / "chelsea.png"
        data = path.read_bytes()
        return {"name": path.name, "key": hashlib.sha1(data).hexdigest(),
                "image": Image.open(path).convert("RGB")}


def _z_shape(trace: dict) -> tuple[int, ...]:
    """Shape of a heatmap's z, whether plotly sent it as a list or as a base64 typed array."""
    z = trace["z"]
    if isinstance(z, dict):
        return tuple(int(s) for s in str(z["shape"]).split(","))
    return np.asarray(z).shape


def _specs(at: AppTest) -> dict[str, dict]:
    charts = at.get("plotly_chart")
    out = {}
    for c in charts:
        spec = json.loads(c.proto.spec)
        out[spec["layout"].get("title", {}).get("text", "") or str(len(out))] = spec
    return out


def _metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = _image_state()
    return at.run()


def test_page_renders_with_default_settings(app):
    at = app
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == "Patch tokenization"
    assert _metric(at, "Tokens N") == "196"  # 224*224/16^2
    assert _metric(at, "Sequence length N+1") == "197"
    assert _metric(at, "Patch vector P²·C") == "768"
    assert _metric(at, "Embedding D") == "192"
    assert _metric(at, "Attention pairs N²") == "38,416"
    charts = at.get("plotly_chart")
    assert len(charts) == 6
    specs = [json.loads(c.proto.spec) for c in charts]
    grid, seq, matrix, proj, counts, compare = specs
    # grid: image + one line trace + hover heatmap of patch indices (14 x 14)
    assert [t["type"] for t in grid["data"]] == ["image", "scatter", "heatmap"]
    assert _z_shape(grid["data"][2]) == (14, 14)
    assert "patch %{z}" in grid["data"][2]["hovertemplate"]
    # sequence: 197 positions wrapped 20 per row -> 10 rows
    assert _z_shape(seq["data"][1]) == (10, 20)
    # matrices: N x P^2C and (N + 1) x D
    assert _z_shape(matrix["data"][0]) == (196, 768)
    assert _z_shape(proj["data"][0]) == (197, 192)
    assert proj["data"][0]["y"][0].startswith("[CLS]")
    # cost chart: the current patch size is one of the bars
    assert "P=16" in counts["data"][0]["x"]
    # comparison: three hover heatmaps with the token grids of the three tokenizers
    heat = [t for t in compare["data"] if t["type"] == "heatmap"]
    assert [_z_shape(t) for t in heat] == [(14, 14), (14, 14), (56, 56)]
    # every chart has hover text
    for s in specs:
        assert any("hovertemplate" in t for t in s["data"])
    # the code expander shows the real functions
    codes = "\n".join(c.value for c in at.code)
    assert "def patchify" in codes and "class PatchEmbed" in codes and "class HybridStem" in codes


def test_changing_patch_size_updates_numbers(app):
    at = app
    at.selectbox(key="pt_patch").set_value(32).run()
    assert not at.exception, at.exception
    assert _metric(at, "Tokens N") == "49"  # (224 / 32)^2
    assert _metric(at, "Sequence length N+1") == "50"
    assert _metric(at, "Patch vector P²·C") == "3,072"
    assert _metric(at, "Attention pairs N²") == "2,401"
    matrix = json.loads(at.get("plotly_chart")[2].proto.spec)
    assert _z_shape(matrix["data"][0]) == (49, 3072)

    at.selectbox(key="pt_patch").set_value(8).run()
    assert _metric(at, "Tokens N") == "784"


def test_changing_image_size_keeps_a_valid_patch_size(app):
    at = app
    at.selectbox(key="pt_size").set_value(96).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pt_patch").value == 16
    assert _metric(at, "Tokens N") == "36"  # (96 / 16)^2
    at.selectbox(key="pt_size").set_value(448).run()
    assert _metric(at, "Tokens N") == "784"  # (448 / 16)^2
    at.selectbox(key="pt_dim").set_value(768).run()
    assert _metric(at, "Embedding D") == "768"
    assert not at.exception


def test_small_image_is_upscaled_and_said_so():
    at = AppTest.from_file(PAGE, default_timeout=60)
    small = Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 60, 3), dtype=np.uint8))
    at.session_state["image"] = {"name": "tiny.png", "key": "tiny-test", "image": small}
    at.run()
    assert not at.exception, at.exception
    assert any("upscaled" in c.value for c in at.caption)
    assert _metric(at, "Tokens N") == "196"
