"""Tests of mmviz.figures.attention_maps: z shapes, hover templates with real values, light payloads."""

from __future__ import annotations

import numpy as np
import pytest

from mmviz.figures import attention_maps as afig

RNG = np.random.default_rng(0)
GRID = (4, 6)
P = 8
IMG = RNG.integers(0, 256, (32, 48, 3), dtype=np.uint8)


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


ATTN = _softmax(RNG.normal(size=(25, 25))).astype(np.float32)  # (T, T)
MAPS = _softmax(RNG.normal(size=(4, 24))).reshape(4, *GRID).astype(np.float32)  # (h, gh, gw)


def _heatmaps(fig):
    return [t for t in fig.data if t.type == "heatmap"]


def test_token_labels():
    labels = afig.token_labels(GRID)
    assert len(labels) == 25 and labels[0] == "[CLS]"
    assert labels[1] == "patch 0 (r0, c0)" and labels[8] == "patch 7 (r1, c1)"


def test_head_maps_one_overlay_per_head():
    fig = afig.fig_head_maps(IMG, MAPS, P, query=7)
    heat = _heatmaps(fig)
    assert len(heat) == 4
    for i, h in enumerate(heat):
        assert np.asarray(h.z).shape == GRID
        np.testing.assert_allclose(np.asarray(h.z), MAPS[i], atol=1e-5)
        assert h.zmax == pytest.approx(float(MAPS[i].max()))
        assert np.asarray(h.customdata).shape == (*GRID, 3)
        assert f"head {i}" in h.hovertemplate and "weight %{z:.4f}" in h.hovertemplate
        assert (h.x0, h.dx) == (P / 2 - 0.5, P)
    assert sum(t.type == "image" for t in fig.data) == 4
    assert all(t.source.startswith("data:image/jpeg;base64,") for t in fig.data if t.type == "image")
    # the query outline sits on patch 7 = row 1, col 1
    boxes = [t for t in fig.data if t.name == "query"]
    assert len(boxes) == 4 and min(boxes[0].x) == 8 - 0.5 and min(boxes[0].y) == 8 - 0.5
    # 4 heads in one row of 4 panels
    assert fig.layout.xaxis4.domain[1] == pytest.approx(1.0)


def test_head_maps_wrap_into_rows():
    maps = np.repeat(MAPS, 3, axis=0)  # 12 heads
    fig = afig.fig_head_maps(IMG, maps, P, cols=4)
    assert len(_heatmaps(fig)) == 12
    assert fig.layout.yaxis5.domain[1] < fig.layout.yaxis1.domain[0]  # second row below the first


def test_masks_figure():
    masks = np.zeros((4, *GRID), bool)
    masks[:, 0, :2] = True
    fig = afig.fig_masks(IMG, masks, MAPS, P, 0.6)
    heat = _heatmaps(fig)
    assert len(heat) == 4
    z = np.asarray(heat[0].z)
    assert z.shape == GRID and z.sum() == 2
    assert np.asarray(heat[0].customdata).shape == (*GRID, 4)
    assert "60% mask" in heat[0].hovertemplate and "customdata[3]" in heat[0].hovertemplate
    assert "2/24 patches" in fig.layout.annotations[0].text


def test_query_picker_has_one_point_per_patch():
    fig = afig.fig_query_picker(IMG, GRID, P, 9)
    pts = fig.data[1]
    assert pts.type == "scatter" and len(pts.x) == 24
    assert (pts.x[9], pts.y[9]) == (3 * P + P / 2 - 0.5, 1 * P + P / 2 - 0.5)  # patch 9 = row 1, col 3
    assert "patch %{customdata[0]}" in pts.hovertemplate
    assert "patch 9 (row 1, col 3)" in fig.layout.title.text


def test_attention_matrix():
    fig = afig.fig_attention_matrix(ATTN, GRID, query=3, title="t")
    assert fig.data[0].type == "image" and fig.data[0].source.startswith("data:image/")  # every weight, as a picture
    h = _heatmaps(fig)[0]
    assert np.asarray(h.z).shape == (25, 25)  # a small matrix: the hover grid holds every weight
    np.testing.assert_allclose(np.asarray(h.z), ATTN, atol=1e-6)
    assert "query token %{y}" in h.hovertemplate and "key token %{x}" in h.hovertemplate
    assert h.zmax == pytest.approx(float(np.quantile(ATTN, 0.99)), rel=1e-5)
    assert list(fig.data[2].y) == [3, 3] and fig.data[2].name == "query row"
    # tick numbers on both axes (token indices), the colour bar beside the square plot
    assert fig.layout.xaxis.showticklabels is not False and fig.layout.yaxis.range == (24.5, -0.5)
    assert fig.layout.xaxis.constraintoward == "right" and h.showscale


def test_attention_distance_scatter():
    dist = RNG.uniform(5, 40, (3, 4)).astype(np.float32)
    ent = RNG.uniform(1, 3, (3, 4)).astype(np.float32)
    other = {"name": "untrained", "distance": dist + 1, "entropy": ent}
    fig = afig.fig_attention_distance(dist, ent, uniform_distance=20.0, layer=1, head=2, other=other)
    assert [t.name for t in fig.data] == ["untrained", "this model", "uniform attention"]
    main = fig.data[1]
    assert len(main.y) == 12
    np.testing.assert_allclose(main.y, dist.ravel())
    np.testing.assert_allclose(np.round(main.x), np.repeat([0, 1, 2], 4))
    assert np.asarray(main.customdata).shape == (12, 3)
    assert list(main.marker.size).count(15) == 1 and list(main.marker.size).index(15) == 1 * 4 + 2
    assert "mean distance %{y:.1f} px" in main.hovertemplate
    assert list(fig.data[2].y) == [20.0, 20.0]


def test_worked_example_bars():
    scores = RNG.normal(size=25).astype(np.float32)
    scaled = scores / np.sqrt(8)
    w = _softmax(scaled)
    top = np.argsort(-w)[:5]
    ex = dict(scores=scores, scaled=scaled, weights=w, top=top, v_norms=np.ones(25, np.float32))
    fig = afig.fig_worked_example(ex, afig.token_labels(GRID))
    bar = fig.data[0]
    np.testing.assert_allclose(bar.x, w[top], rtol=1e-6)
    assert list(bar.y) == [afig.token_labels(GRID)[j] for j in top]
    assert np.asarray(bar.customdata).shape == (5, 3)
    assert "q·k = %{customdata[0]:.3f}" in bar.hovertemplate and "q·k/√d" in bar.hovertemplate


def test_payload_stays_small():
    img = RNG.integers(0, 256, (224, 336, 3), dtype=np.uint8)
    maps = RNG.random((12, 14, 21)).astype(np.float32)
    fig = afig.fig_head_maps(img, maps, 16)
    assert len(fig.to_json()) < 1_200_000  # 12 noisy-image JPEGs + 12 small heatmaps
