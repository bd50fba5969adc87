"""Home page figure: text, image and audio each turned into a token matrix (N, D)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mmviz.figures.common import apply_layout, grid_lines


def pipeline_figure(toks: dict[str, dict], *, height: int = 900) -> go.Figure:
    """Three rows (text, image, audio): the input cut into pieces -> the (N, D) token matrix.

    Args:
        toks: the output of :func:`mmviz.lessons.home.modality_tokens`.
    """
    names = list(toks)
    titles = []
    for name in names:
        t = toks[name]
        n, d = t["tokens"].shape
        titles += [f"{name}: the input cut into {n} pieces", f"{name}: tokens X, shape ({n}, {d})"]
    fig = make_subplots(rows=3, cols=2, column_widths=[0.45, 0.55], subplot_titles=titles,
                        horizontal_spacing=0.08, vertical_spacing=0.12)
    for row, name in enumerate(names, start=1):
        t = toks[name]
        if name == "Text":
            ids = t["view"][None, :]
            fig.add_trace(go.Heatmap(
                z=ids, text=[t["labels"]], texttemplate="%{text}", colorscale="Blues",
                showscale=False, zmin=0, zmax=400,
                customdata=np.arange(ids.shape[1])[None, :],
                hovertemplate="token %{customdata}: '%{text}'<br>byte id %{z}<extra></extra>",
            ), row=row, col=1)
            fig.update_yaxes(showticklabels=False, row=row, col=1)
        elif name == "Image":
            gh, gw, p = t["grid"]
            fig.add_trace(go.Image(z=t["view"], hovertemplate="x=%{x}, y=%{y}<br>RGB=%{z}<extra></extra>"),
                          row=row, col=1)
            fig.add_trace(grid_lines(gh, gw, p, p), row=row, col=1)
            fig.update_yaxes(autorange="reversed", scaleanchor=f"x{2 * row - 1}", row=row, col=1)
        else:
            S = t["view"]
            nf, nt, p = t["grid"]
            fig.add_trace(go.Heatmap(
                z=np.round(S, 1), colorscale="Viridis", showscale=False,  # Magma draws its minimum pink here
                hovertemplate="frame %{x}<br>mel bin %{y}<br>%{z:.1f} dB<extra></extra>",
            ), row=row, col=1)
            fig.add_trace(grid_lines(nf, nt, p, p, color="rgba(255,255,255,0.7)"), row=row, col=1)
            fig.update_yaxes(title="mel bin", row=row, col=1)
            fig.update_xaxes(title="frame (10 ms)", row=row, col=1)
        vmax = float(np.abs(t["tokens"]).max()) or 1.0  # each matrix on its own symmetric scale
        fig.add_trace(go.Heatmap(
            z=np.round(t["tokens"], 3), colorscale="RdBu_r", zmid=0, zmin=-vmax, zmax=vmax,
            showscale=False,
            hovertemplate="token %{y}<br>dim %{x}<br>%{z:.3f}<extra></extra>",
        ), row=row, col=2)
        fig.update_yaxes(autorange="reversed", title="token", row=row, col=2)
        fig.update_xaxes(title="dimension", row=row, col=2)
    fig.update_layout(showlegend=False)
    return apply_layout(fig, height=height)
