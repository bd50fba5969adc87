"""AppTest smoke test of pages/1_patch_tokenization.py: loads, controls change the numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from mmviz import ui
from mmviz.inputs import default_image

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "1_patch_tokenization.py")


def _new(reveal: bool = True) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state[ui.OPEN_ALL] = True  # every section open (they open on a click otherwise)
    if reveal:
        at.session_state[ui.REVEAL_ALL] = True  # every question answered: what gives an answer away is drawn
    return at


@pytest.fixture
def app() -> AppTest:
    return _new().run()


def test_page_renders_with_default_settings(app, metric, number, plotly_specs):
    at = app
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == "Patch tokenization"
    assert number(at, "Tokens N") == 196  # 224*224/16^2
    assert number(at, "Sequence length N+1") == 197
    assert number(at, "Patch vector P²·C") == 768
    assert number(at, "Embedding D") == 192
    assert metric(at, "Attention pairs N²") == "38,416"  # with a thousands separator
    specs = plotly_specs(at)
    assert len(specs) == 6
    grid, seq, matrix, proj, counts, compare = specs
    # grid: image + one line trace + hover heatmap of patch indices (14 x 14)
    assert [t["type"] for t in grid["data"]] == ["image", "scatter", "heatmap"]
    assert np.shape(grid["data"][2]["z"]) == (14, 14)
    assert "patch %{z}" in grid["data"][2]["hovertemplate"]
    # sequence: 197 positions wrapped 20 per row -> 10 rows
    assert np.shape(seq["data"][1]["z"]) == (10, 20)
    # matrices: N x P^2C and (N + 1) x D, as pictures under a hover grid, tick numbers on both axes
    assert matrix["layout"]["yaxis"]["range"] == [195.5, -0.5] and matrix["layout"]["xaxis"]["range"] == [-0.5, 767.5]
    assert proj["layout"]["yaxis"]["range"] == [196.5, -0.5] and "[CLS]" in proj["layout"]["yaxis"]["title"]["text"]
    assert [t["type"] for t in matrix["data"]] == ["image", "heatmap"]
    # cost chart: the current patch size is one of the bars
    assert "P=16" in counts["data"][0]["x"]
    # comparison: three hover heatmaps with the token grids of the three tokenizers
    heat = [t for t in compare["data"] if t["type"] == "heatmap"]
    assert [np.shape(t["z"]) for t in heat] == [(14, 14), (14, 14), (56, 56)]
    # every chart has hover text
    for s in specs:
        assert any("hovertemplate" in t for t in s["data"])
    # the code expander shows the real functions
    codes = "\n".join(c.value for c in at.code)
    assert "def patchify" in codes and "class PatchEmbed" in codes and "class HybridStem" in codes


def test_changing_patch_size_updates_numbers(app, number, plotly_specs):
    at = app
    at.selectbox(key="pt_patch").set_value(32).run()
    assert not at.exception, at.exception
    assert number(at, "Tokens N") == 49  # (224 / 32)^2
    assert number(at, "Sequence length N+1") == 50
    assert number(at, "Patch vector P²·C") == 3_072
    assert number(at, "Attention pairs N²") == 2_401
    matrix = plotly_specs(at)[2]
    assert matrix["layout"]["yaxis"]["range"] == [48.5, -0.5] and matrix["layout"]["xaxis"]["range"] == [-0.5, 3071.5]

    at.selectbox(key="pt_patch").set_value(8).run()
    assert number(at, "Tokens N") == 784


def test_changing_image_size_keeps_a_valid_patch_size(app, number):
    at = app
    at.selectbox(key="pt_size").set_value(96).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pt_patch").value == 16
    assert number(at, "Tokens N") == 36  # (96 / 16)^2
    at.selectbox(key="pt_size").set_value(448).run()
    assert number(at, "Tokens N") == 784  # (448 / 16)^2
    at.selectbox(key="pt_dim").set_value(768).run()
    assert number(at, "Embedding D") == 768
    assert not at.exception


def test_small_image_is_upscaled_and_said_so(number):
    at = AppTest.from_file(PAGE, default_timeout=60)
    small = Image.fromarray(np.random.default_rng(0).integers(0, 255, (40, 60, 3), dtype=np.uint8))
    at.session_state["image"] = {"name": "tiny.png", "key": "tiny-test", "image": small}
    at.session_state[ui.REVEAL_ALL] = True
    at.run()
    assert not at.exception, at.exception
    assert any("upscaled" in c.value for c in at.caption)
    assert number(at, "Tokens N") == 196


def test_closed_sections_compute_and_send_nothing():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state[ui.REVEAL_ALL] = True
    at.run()
    assert not at.exception, at.exception
    keys = [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    assert keys == ["pt_grid", "pt_sequence"]  # section 1 is open, 2-4 wait for a click
    assert [e.label for e in at.expander][:4] == ["1. Cut the image into patches, read them in raster order",
                                                  "2. Flatten every patch, project it to D numbers, prepend [CLS]",
                                                  "3. Smaller patches, many more tokens",
                                                  "4. Three ways to tokenize an image"]
    at.session_state["pt_s3"] = True  # a click on section 3
    at.run()
    assert [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")] == ["pt_grid", "pt_sequence", "pt_counts"]


HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_korean_by_the_url(chart, number):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["image"] = default_image()
    at.session_state[ui.OPEN_ALL] = True
    at.session_state[ui.REVEAL_ALL] = True
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "패치 토큰화"
    prose = [m.value for m in at.markdown if not m.value.startswith("`")]  # not the code labels
    assert sum(bool(HANGUL.search(m)) for m in prose) >= 0.8 * len(prose), prose
    assert sum(bool(HANGUL.search(e.label)) for e in at.expander) >= 4  # the sections (and "Show the code")
    assert number(at, "토큰 수 N") == 196
    assert chart(at, "pt_grid")["layout"]["title"]["text"] == "14×14 = 16×16 픽셀 패치 196개"
    notes = [a["text"] for a in chart(at, "pt_compare")["layout"]["annotations"]]
    assert notes[0].startswith("<b>일반 패치 (ViT)</b>")


def test_predict_the_token_count_then_reveal(chart):
    at = _new(reveal=False).run()
    at.selectbox(key="pt_patch").set_value(32).run()
    at.number_input(key="pt_q_tokens_guess").set_value(49).run()
    at.button(key="pt_q_tokens_commit").click().run()
    assert not at.exception, at.exception
    assert "the tensors say 49" in at.success[0].value
    assert any("x_p has shape (1, 49, 3072)" in m.value for m in at.markdown)
    # which tokenizer makes the most tokens: the figure and its counts appear only after the commit
    assert "pt_compare" not in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    at.radio(key="pt_q_most_guess").set_value(0).run()  # plain patches: wrong
    at.button(key="pt_q_most_commit").click().run()
    assert not at.exception, at.exception
    counts = [int(re.search(r"= ([\d,]+) tokens", a["text"]).group(1).replace(",", ""))
              for a in chart(at, "pt_compare")["layout"]["annotations"]]  # read from the modules' outputs
    best = counts.index(max(counts))
    assert "Overlapping conv (CvT)" in at.warning[0].value and best == 2
    assert any(f"{max(counts):,} tokens" in m.value for m in at.markdown)


def test_open_question_hides_the_token_count_until_shown(metric):
    at = _new(reveal=False).run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert "Tokens N" not in labels and "Sequence length N+1" not in labels and "Attention pairs N²" not in labels
    assert metric(at, "Patch vector P²·C") == "768"  # what does not answer it stays
    assert not any("196" in x.body or "38{,}416" in x.body for x in at.latex), [x.body for x in at.latex]
    assert any(r"N = \frac{H\,W}{P^2}" in x.body for x in at.latex)  # the formula, without its numbers
    keys = [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    assert "pt_sequence" not in keys and "pt_compare" not in keys
    assert "196" not in chart_title(at, "pt_grid")
    at.button(key="pt_q_tokens_skip").click().run()
    assert not at.exception, at.exception
    assert metric(at, "Tokens N") == "196" and metric(at, "Sequence length N+1") == "197"
    assert any("= 196" in x.body for x in at.latex)
    assert "pt_sequence" in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    assert "196" in chart_title(at, "pt_grid")


def chart_title(at, key: str) -> str:
    c = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))
    return json.loads(c.proto.spec)["layout"]["title"]["text"]
