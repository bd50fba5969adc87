"""The shared figure helpers: one-step ``figure`` gives the same figure as the update_* path."""

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import LAYOUT, apply_layout, figure, heatmap


def test_figure_equals_update_path():
    z = np.arange(12, dtype=np.float32).reshape(3, 4)
    trace = go.Heatmap(z=z, hovertemplate="r=%{y}<br>c=%{x}<br>v=%{z:.2f}<extra></extra>")
    slow = go.Figure(trace)
    slow.update_xaxes(title=dict(text="column"))
    slow.update_yaxes(title=dict(text="row"), autorange="reversed")
    apply_layout(slow, title="t", height=300)
    fast = figure([trace], {"xaxis": dict(title=dict(text="column")),
                            "yaxis": dict(title=dict(text="row"), autorange="reversed")}, title="t", height=300)
    assert fast.to_plotly_json() == slow.to_plotly_json()


def test_figure_layout_overrides_shared_keys_and_keeps_the_rest():
    fig = figure([go.Scatter(x=[0, 1], y=[1, 2])], {"margin": dict(l=0, r=0, t=80, b=0)})
    assert fig.layout.margin.t == 80 and fig.layout.font.size == LAYOUT["font"]["size"]
    assert fig.layout.title.text is None and fig.layout.height is None
    assert LAYOUT["margin"]["t"] == 40  # the shared dict is not mutated


def test_heatmap_hover_and_axes():
    fig = heatmap(np.eye(3), xtitle="key", ytitle="query", ztitle="w", title="A", height=250)
    assert fig.data[0].hovertemplate == "query=%{y}<br>key=%{x}<br>w=%{z:.3f}<extra></extra>"
    assert fig.layout.xaxis.title.text == "key" and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.title.text == "A" and fig.layout.height == 250 and fig.layout.margin.l == 10
