"""Figures of the positional-encoding lesson: trace shapes, hover templates, layout."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import torch

from mmviz import pos_embed as pe
from mmviz.lessons import positional_encoding as lesson
from mmviz.models.layers import Attention
from mmviz.figures import positional_encoding as figs
from mmviz.figures.common import LAYOUT


def _z(trace) -> np.ndarray:
    return np.asarray(trace.z)


def _hover(fig: go.Figure):
    """A matrix figure is a picture (trace 0) under its hover heatmap (trace 1)."""
    assert [t.type for t in fig.data] == ["image", "heatmap"]
    assert fig.data[0].source.startswith("data:image/")
    return fig.data[1]


SHARED = go.Layout(LAYOUT).to_plotly_json()  # the shared look as plotly writes it: margin, font, hoverlabel


def _has_shared_layout(fig: go.Figure) -> bool:
    """The figure carries ``mmviz.figures.common.LAYOUT`` (margins, font, hover label)."""
    layout = fig.layout.to_plotly_json()
    return all(layout.get(key) == value for key, value in SHARED.items())


def test_sinusoid_heatmap_and_lines():
    table = pe.sinusoidal_1d(40, 32).numpy()
    fig = figs.sinusoid_heatmap(table, title="t")
    hm = _hover(fig)
    assert _z(hm).shape == (40, 32)
    np.testing.assert_allclose(_z(hm), table, atol=1e-7)
    ht = hm.hovertemplate
    assert "position %{y}" in ht and "dimension %{x}" in ht and "%{z:" in ht
    assert fig.layout.yaxis.range == (39.5, -0.5) and fig.layout.title.text == "t" and _has_shared_layout(fig)
    lines = figs.sinusoid_lines(table, [0, 1, 31, 99])
    assert [t.name for t in lines.data] == ["dim 0 (sin)", "dim 1 (cos)", "dim 31 (cos)"]
    assert np.asarray(lines.data[1].y).shape == (40,) and "%{y:" in lines.data[0].hovertemplate


def test_similarity_figures():
    sim = pe.cosine_similarity_matrix(pe.sinusoidal_1d(30, 16)).numpy()
    fig = figs.similarity_heatmap(sim)
    hm = _hover(fig)
    assert _z(hm).shape == (30, 30)
    assert "position i %{y}" in hm.hovertemplate and "cos %{z" in hm.hovertemplate
    # square cells: the plot hugs its colour bar (on the right), it is not stranded at the far edge
    assert fig.layout.xaxis.scaleanchor == "y" and fig.layout.xaxis.constraintoward == "right" and hm.showscale
    dist = figs.similarity_vs_distance(sim, [0, 10, 29, 40], spread=3e-7)
    assert len(dist.data) == 3  # 40 is out of range
    np.testing.assert_array_equal(np.asarray(dist.data[1].x), np.arange(30) - 10)
    np.testing.assert_allclose(np.asarray(dist.data[1].y), sim[10], atol=1e-7)
    assert "3.00e-07" in dist.layout.title.text
    assert "j - i=%{x}" in dist.data[0].hovertemplate


def test_permutation_figure():
    N, D = 9, 16
    tokens = torch.randn(N, D, generator=torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    perm = torch.randperm(N)
    res = lesson.permutation_demo(tokens, Attention(D, 2).eval(), perm, positions=pe.sinusoidal_1d(N, D))
    fig = figs.permutation_figure(res["with_pos"], res["perm"], label="With positions", diff_max=0.5)
    assert len(fig.data) == 5
    assert all(_z(t).shape == (N, D) for t in fig.data)
    np.testing.assert_allclose(_z(fig.data[3]), res["with_pos"]["out_perm"], atol=1e-4)  # rounded to 4 decimals
    diff = np.abs(res["with_pos"]["out_then_perm"] - res["with_pos"]["out_perm"])
    np.testing.assert_allclose(_z(fig.data[4]), diff, atol=1e-4)
    assert _z(fig.data[4]).max() == pytest.approx(res["with_pos"]["max_diff"], abs=1e-4)
    assert fig.data[4].coloraxis == "coloraxis3" and fig.layout.coloraxis3.cmax == 0.5
    # hover of a shuffled panel names the token sitting in each slot
    np.testing.assert_array_equal(np.asarray(fig.data[1].customdata)[:, 0], perm.numpy())
    assert "token %{customdata}" in fig.data[1].hovertemplate and "%{z:" in fig.data[1].hovertemplate
    assert f"{res['with_pos']['max_diff']:.2e}" in fig.layout.title.text
    assert [t.xaxis for t in fig.data] == ["x", "x2", "x3", "x4", "x5"]
    assert len(fig.layout.annotations) == 5


def test_grid_similarity_tiles_layout():
    gh, gw = 3, 4
    sim = np.arange((gh * gw) ** 2, dtype=np.float64).reshape(gh * gw, gh * gw)
    z, custom = figs.grid_similarity_tiles(sim, gh, gw)
    assert z.shape == (gh * gh + gh - 1, gw * gw + gw - 1) == (11, 19)
    assert custom.shape == z.shape + (4,)
    # tile (R, C) = (1, 2) starts at row 1 * (gh + 1), column 2 * (gw + 1)
    R, C, r, c = 1, 2, 2, 3
    y, x = R * (gh + 1) + r, C * (gw + 1) + c
    assert z[y, x] == sim[R * gw + C, r * gw + c]
    np.testing.assert_array_equal(custom[y, x], [R, C, r, c])
    assert np.isnan(z[gh, :]).all() and np.isnan(z[:, gw]).all()  # gaps between tiles
    assert (custom[gh, :] == -1).all()
    assert np.isfinite(z).sum() == (gh * gw) ** 2


def test_patch_similarity_grid_one_heatmap():
    g = 5
    sim = pe.cosine_similarity_matrix(pe.sincos_2d(g, g, 64)).numpy()
    fig = figs.patch_similarity_grid(sim, g, g)
    assert len(fig.data) == 1 and fig.data[0].type == "heatmap"
    assert _z(fig.data[0]).shape == (g * g + g - 1, g * g + g - 1) and _z(fig.data[0]).dtype != object
    assert np.asarray(fig.data[0].customdata).shape == (29, 29, 4)
    ht = fig.data[0].hovertemplate
    assert "reference patch (row %{customdata[0]}, col %{customdata[1]})" in ht
    assert "compared patch (row %{customdata[2]}, col %{customdata[3]})" in ht
    # each tile peaks (cos = 1) at its own patch
    z = _z(fig.data[0])
    assert z[2 * (g + 1) + 2, 3 * (g + 1) + 2] == pytest.approx(sim[2 * g + 3, 2 * g + 2], abs=1e-4)
    assert z[2 * (g + 1) + 2, 3 * (g + 1) + 3] == pytest.approx(1.0, abs=1e-4)


def test_rope_figures():
    q, k = torch.randn(2, 16, generator=torch.Generator().manual_seed(0))
    scores = pe.rope_score_matrix(q, k, 24).numpy()
    fig = figs.rope_score_heatmap(scores)
    assert _z(_hover(fig)).shape == (24, 24) and "query position m %{y}" in fig.data[1].hovertemplate
    K, P = 6, 3
    pts = pe.rope_pair_trajectory(q, torch.arange(K), P).numpy()
    theta = pe.rope_angles(torch.tensor([1]), 16)[0, :P].numpy()
    rot = figs.rope_rotation_figure(pts, theta)
    markers = rot.data[2]
    assert np.asarray(markers.x).shape == (K * P,)
    custom = np.asarray(markers.customdata)
    assert custom.shape == (K * P, 5)
    # hover shows pair, position and the angle m * theta_i in degrees
    row = custom[(K - 1) * P + 2]  # position K-1, pair 2
    assert row[0] == 2 and row[1] == K - 1
    assert row[2] == pytest.approx(np.degrees((K - 1) * theta[2]))
    assert "angle m·θ=%{customdata[2]" in markers.hovertemplate
    assert len(rot.layout.annotations) == P
    assert markers.marker.showscale and markers.marker.colorbar.title.text == "position m"


def test_rope_circle_labels_do_not_pile_up():
    theta = np.array([1.0, 0.05])  # a fast pair and a slow one
    m = np.arange(16)[:, None]
    labels = figs._circle_labels(np.degrees(m * theta[None, :]))
    assert labels[:, 0].tolist()[:3] == ["0", "1", "2"]  # 57° apart: every position is labelled
    slow = [x for x in labels[:, 1] if x]
    assert 1 <= len(slow) <= 2  # 3° apart: the labels would sit on each other, only the first ones are written
    full = figs._circle_labels(np.degrees(np.arange(9)[:, None] * np.array([[np.pi / 2]])))
    assert full[:, 0].tolist() == ["0", "1", "2", "3", "", "", "", "", ""]  # after a full turn: the same places


def test_interpolation_figure():
    old = [np.random.rand(14, 14), np.random.rand(14, 14)]
    new = [np.random.rand(24, 24), np.random.rand(24, 24)]
    fig = figs.interpolation_figure(old, new, ["dimension 2", "cos"])
    assert [_z(t).shape for t in fig.data] == [(14, 14), (24, 24)] * 2
    assert fig.data[1].xaxis == "x2" and fig.data[3].coloraxis == "coloraxis2"
    assert "dimension 2 on 24×24" in fig.data[1].hovertemplate and "%{z:" in fig.data[1].hovertemplate
    assert fig.layout.height == 660


def test_relative_index_heatmap():
    M = 3
    idx = pe.relative_position_index(M).numpy()
    fig = figs.relative_index_heatmap(idx, M)
    z = _z(fig.data[0])
    assert z.shape == (9, 9)
    np.testing.assert_array_equal(z, idx)
    custom = np.asarray(fig.data[0].customdata)
    assert custom.shape == (9, 9, 6)
    np.testing.assert_array_equal(custom[1, 5], [0, 1, 1, 2, -1, -1])  # token 1 = (0,1), token 5 = (1,2)
    assert "bias index=%{z}" in fig.data[0].hovertemplate


def test_figures_serialise():
    sim = pe.cosine_similarity_matrix(pe.sincos_2d(4, 4, 32)).numpy()
    spec = json.loads(pio.to_json(figs.patch_similarity_grid(sim, 4, 4), validate=False))
    assert spec["data"][0]["type"] == "heatmap"
    assert {key: spec["layout"][key] for key in SHARED} == SHARED and spec["layout"]["height"] == 560
