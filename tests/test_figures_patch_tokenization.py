"""Tests of mmviz.figures.patch_tokenization: traces, shapes, hover text and payload size."""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from PIL import Image

from mmviz.figures import patch_tokenization as pf
from mmviz.lessons import patch_tokenization as pt


def _arr(v) -> np.ndarray:
    """A trace array as NumPy (figures may hold numpy arrays or lists)."""
    return np.asarray(v)


@pytest.fixture(scope="module")
def lesson() -> dict:
    rng = np.random.default_rng(0)
    img = Image.fromarray(rng.integers(0, 256, (150, 200, 3), dtype=np.uint8))
    return pt.patch_lesson(img, 224, 16, 192)


def test_subsample():
    rows, cols = pf.subsample_indices(4096, 192, 160_000)
    assert len(rows) * len(cols) <= 160_000 and rows[0] == 0 and len(cols) == 192
    rows, cols = pf.subsample_indices(196, 768, 160_000)
    assert len(rows) == 196 and len(cols) == 768


def test_patch_grid_figure(lesson):
    fig = pf.fig_patch_grid(lesson["image"], 16)
    assert isinstance(fig, go.Figure)
    assert [t.type for t in fig.data] == ["image", "scatter", "heatmap"]
    img, lines, hover = fig.data
    assert img.source.startswith("data:image/jpeg;base64,")
    # ONE trace for all grid lines: 15 horizontal + 15 vertical segments, None-separated
    assert sum(v is None for v in lines.x) == 30
    z = _arr(hover.z)
    assert z.shape == (14, 14) and z[0, 0] == 0 and z[1, 0] == 14 and z[13, 13] == 195
    assert hover.opacity == 0
    assert _arr(hover.customdata).shape == (14, 14, 6)
    assert list(_arr(hover.customdata)[2, 3]) == [2, 3, 32, 47, 48, 63]  # row, col, y0, y1, x0, x1
    assert "patch %{z}" in hover.hovertemplate and "customdata[2]" in hover.hovertemplate


def test_patch_grid_downsamples_large_images_but_keeps_pixel_coordinates():
    img = np.zeros((512, 512, 3), np.uint8)
    fig = pf.fig_patch_grid(img, 32)
    im = fig.data[0]
    assert im.dx == 2 and im.x0 == 0.5
    assert _arr(fig.data[2].z).shape == (16, 16) and fig.data[2].dx == 32
    decoded = Image.open(__import__("io").BytesIO(base64.b64decode(im.source.split(",", 1)[1])))
    assert decoded.size == (256, 256)


def test_patch_sequence_figure(lesson):
    fig = pf.fig_patch_sequence(lesson["patches"], 16, lesson["grid"], per_row=32)  # default is 20
    types = [t.type for t in fig.data]
    assert types[:2] == ["image", "heatmap"]
    pos = _arr(fig.data[1].z)
    assert pos.shape == (7, 32)  # 197 positions wrapped 32 per row
    assert np.isnan(pos[0, 0]) and pos[0, 1] == 1 and pos[6, 4] == 196 and np.isnan(pos[6, 5])
    custom = _arr(fig.data[1].customdata)  # numbers, not one string per position
    assert list(custom[0, 1]) == [1, 0, 0, 0, 0, 15, 0] and list(custom[0, 15][:4]) == [15, 14, 1, 0]
    assert list(custom[0, 16][:4]) == [16, 15, 1, 1]  # 14 patches per grid row: patch 15 is row 1, col 1
    assert fig.data[1].hovertemplate.startswith("position %{z}: patch %{customdata[1]}")
    cls = fig.data[2]
    assert list(cls.text) == ["[CLS]"] and "[CLS] token" in cls.hovertemplate


def test_patch_sequence_caps_long_sequences():
    N, P = 4096, 8
    patches = np.random.default_rng(0).random((N, P * P * 3), dtype=np.float32)
    fig = pf.fig_patch_sequence(patches, P, (64, 64), max_tokens=512)
    assert np.nanmax(_arr(fig.data[1].z)) == 511
    title = fig.layout.title.text
    assert title == "[CLS] + 4,096 patches = 4,097 positions (first 512 shown)"
    assert len(title) <= 60  # fits the half-width column at 1280 px (it was cut off at P = 4)


def _picture(uri: str) -> np.ndarray:
    return np.asarray(Image.open(__import__("io").BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))


def test_patch_matrix_figure(lesson):
    fig = pf.fig_patch_matrix(lesson["patches"], 16)
    pic, hm = fig.data
    assert pic.type == "image" and hm.type == "heatmap"
    assert _picture(pic.source).shape[:2] == (196, 768)  # every value of N x P^2 C in the picture
    z = _arr(hm.z)
    assert z.size <= 4096 and hm.opacity == 0  # the hover grid is pooled ...
    assert z[0, 0] == pytest.approx(np.round(lesson["patches"] * 255)[: int(hm.dy), : int(hm.dx)].mean(), abs=1e-3)
    assert "mean of the" in hm.hovertemplate and "%{z:.0f}" in hm.hovertemplate
    exact = pf.fig_patch_matrix(lesson["patches"], 16, exact=True).data[1]  # ... or exact, on demand
    assert np.array_equal(_arr(exact.z), np.round(lesson["patches"] * 255))
    assert fig.layout.yaxis.range == (195.5, -0.5) and fig.layout.xaxis.showticklabels is not False  # tick numbers
    assert "(y·16 + x)·3 + channel" in fig.layout.xaxis.title.text


def test_projection_figure(lesson):
    fig = pf.fig_projection(lesson["tokens"])
    pic, hm = fig.data
    assert _picture(pic.source).shape[:2] == (197, 192)  # (N + 1) x D
    exact = _arr(pf.fig_projection(lesson["tokens"], exact=True).data[1].z)
    assert np.allclose(exact, lesson["tokens"], atol=1e-6)
    assert "[CLS]" in fig.layout.yaxis.title.text and "%{z:.3f}" in hm.hovertemplate
    assert hm.showscale and hm.colorbar.title.text == "value"


def test_big_matrices_stay_light():
    patches = np.random.default_rng(0).random((4096, 192), dtype=np.float32)
    fig = pf.fig_patch_matrix(patches, 8)
    assert _arr(fig.data[1].z).size <= 4096
    tokens = np.random.default_rng(0).standard_normal((16385, 768)).astype(np.float32)
    fig = pf.fig_projection(tokens)
    assert _arr(fig.data[1].z).size <= 4096 and max(_picture(fig.data[0].source).shape[:2]) <= 2048


def test_token_counts_figure():
    x = torch.rand(1, 3, 224, 224)
    rows = pt.token_counts(x, pt.valid_patch_sizes(224))
    fig = pf.fig_token_counts(rows, current=16)
    bars, line = fig.data
    assert bars.type == "bar" and line.type == "scatter"
    assert list(bars.x) == [f"P={p}" for p in [4, 7, 8, 14, 16, 28, 32, 56]]
    # the counts are written under the bars (tick labels), where the line's markers cannot cover them
    assert "text" not in bars or bars.text is None
    assert list(fig.layout.xaxis.ticktext)[4] == "P=16<br><b>196</b>"
    assert list(bars.y) == [224 * 224 // p**2 for p in [4, 7, 8, 14, 16, 28, 32, 56]]
    assert list(line.y) == [(224 * 224 // p**2) ** 2 for p in [4, 7, 8, 14, 16, 28, 32, 56]]
    assert fig.layout.yaxis2.type == "log"
    colors = list(bars.marker.color)
    assert colors[4] != colors[0] and len(set(colors)) == 2  # the current P=16 is highlighted
    assert bars.hovertemplate and line.hovertemplate


def test_tokenizations_figure(lesson):
    fig = pf.fig_tokenizations(lesson["image"], lesson["summary"])
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert [_arr(t.z).shape for t in heat] == [(14, 14), (14, 14), (56, 56)]
    assert all("token %{z}" in t.hovertemplate for t in heat)
    assert sum(t.type == "image" for t in fig.data) == 3
    # windows of neighbouring tokens: plain patches touch, CvT windows overlap (7 px, stride 4)
    cvt_custom = _arr(heat[2].customdata)
    assert list(cvt_custom[0, 1]) == [0, 1, -2, 4, 2, 8]
    plain_custom = _arr(heat[0].customdata)
    assert list(plain_custom[0, 1]) == [0, 1, 0, 15, 16, 31]
    texts = [a.text for a in fig.layout.annotations]
    assert "196 tokens" in texts[0] and "3,136 tokens" in texts[2]
    assert {t.xaxis for t in fig.data} == {"x", "x2", "x3"}


def test_figure_payloads_stay_small(lesson):
    figs = [
        pf.fig_patch_grid(lesson["image"], 16),
        pf.fig_patch_sequence(lesson["patches"], 16, lesson["grid"]),
        pf.fig_patch_matrix(lesson["patches"], 16),
        pf.fig_projection(lesson["tokens"]),
        pf.fig_token_counts(lesson["counts"], 16),
        pf.fig_tokenizations(lesson["image"], lesson["summary"]),
    ]
    sizes = [len(f.to_json()) for f in figs]
    assert max(sizes) < 400_000, sizes
    assert sum(sizes) < 1_200_000, sizes


def test_worst_case_payload_is_bounded():
    img = Image.fromarray(np.random.default_rng(2).integers(0, 256, (512, 512, 3), dtype=np.uint8))
    L = pt.patch_lesson(img, 512, 4, 768)  # 16,384 patches
    figs = [
        pf.fig_patch_grid(L["image"], 4),
        pf.fig_patch_sequence(L["patches"], 4, L["grid"]),
        pf.fig_patch_matrix(L["patches"], 4),
        pf.fig_projection(L["tokens"]),
        pf.fig_tokenizations(L["image"], L["summary"]),
    ]
    sizes = [len(f.to_json()) for f in figs]
    assert max(sizes) < 2_000_000, sizes
