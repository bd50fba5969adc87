"""Tests of mmviz.figures.swin_windows: traces, shapes and hover of the Swin windows page's figures."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from mmviz.figures import swin_windows as sfig
from mmviz.lessons import swin_windows as sl


@pytest.fixture(scope="module")
def image():
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (30, 50, 3), dtype=np.uint8))  # -> 64 x 104 px at size 64


def test_figures(image):
    W = sl.windows_lesson(image, size=64, M=4, s=2)
    f = sfig.fig_partition(W["padded_image"], W["window_of"], 4, title="t")
    heat = [t for t in f.data if t.type == "heatmap"][0]
    assert np.shape(heat.z) == W["padded"] and "window %{customdata[0]}" in heat.hovertemplate
    m = sfig.fig_matrix(W["masks"][-1], 4, title="mask", custom=np.zeros((16, 16, 1)), custom_hover="%{customdata[4]}")
    assert np.shape(m.data[0].z) == (16, 16) and np.shape(m.data[0].customdata) == (16, 16, 5)
    R = sl.receptive_field(W["grid"], 4, 2, 30, 4)
    r = sfig.fig_reach(W["image"], R["first"], 4, 30, 2)
    z = np.array(r.data[1].z, dtype=float)
    assert np.isnan(z[R["first"] > 2]).all() and np.nanmax(z) == 2
    rel = sl.relative_position_lesson(3)
    b = sfig.fig_bias_lookup(rel["table"][0], rel["bias"][0, 4].reshape(3, 3), 3, 4, 0)
    box = [t for t in b.data if t.name == "used by the query"][0]
    assert min(box.x) == 0.5 and max(box.x) == 3.5  # query (1, 1): table columns 1..3
    np.testing.assert_allclose(b.data[2].z, np.round(rel["bias"][0, 4].reshape(3, 3), 4))
    st = sfig.fig_stages(W["image"], [dict(grid=(16, 26), channels=32, px=4), dict(grid=(8, 13), channels=64, px=8)], 4)
    assert [np.shape(t.z) for t in st.data if t.type == "heatmap"] == [(16, 26), (8, 13)]
    maps = np.full((3, 4, 5), np.nan, dtype=np.float32)
    maps[:, 0, :2] = 0.5
    h = sfig.fig_window_heads(np.zeros((16, 20, 3), np.uint8), maps, 4, 1)
    assert len([t for t in h.data if t.type == "heatmap"]) == 3 and h.layout.yaxis3.domain[0] >= 0
    c = sfig.fig_cost(sl.cost_curve(96, 7, np.array([64, 128])), 100, 1e6, 1e5, C=96, M=7)
    assert len(c.data) == 3 and c.layout.yaxis.type == "log"


def test_window_labels_figure():
    f = sfig.fig_window_labels(np.arange(16).reshape(4, 4) % 3, 5)
    assert np.shape(f.data[0].z) == (4, 4) and f.layout.title.text == "Region labels inside window 5"
    assert "region label" in f.data[0].hovertemplate
