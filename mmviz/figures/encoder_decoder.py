"""Plotly builders for the encoder-decoder lesson (NumPy in, go.Figure out; hover values everywhere).

The head view (lines from target to source tokens), the token matrix and the head thumbnails are shared
with the BERT and GPT lesson and live in `mmviz.figures.common`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import fig_head_grid, fig_head_view, fig_token_matrix, figure, token_label

__all__ = ["fig_transformer", "fig_step", "fig_alignment_heads", "fig_head_view", "fig_token_matrix",
           "fig_head_grid", "KIND_BOXES"]

HIGHLIGHT, ATTN, PLAIN = "rgb(255,127,14)", "rgb(198,219,239)", "rgb(235,235,235)"
#: the diagram's attention boxes: kind -> (x0, y0, x1, y1, label)
KIND_BOXES = {"encoder": (0.6, 2.6, 4.2, 3.8, "Self-attention<br>(no mask)"),
              "decoder": (5.8, 2.6, 9.4, 3.8, "Masked self-attention<br>(causal)"),
              "cross": (5.8, 4.6, 9.4, 5.8, "Cross-attention<br>Q target · K, V source")}
_OTHER = [(0.6, 4.6, 4.2, 5.8, "Feed-forward"), (5.8, 6.6, 9.4, 7.8, "Feed-forward"),
          (0.4, 0.3, 4.4, 1.5, "source tokens (English)<br>embedding + positions"),
          (5.6, 0.3, 9.6, 1.5, "target so far, shifted right<br>embedding + positions"),
          (5.6, 9.0, 9.6, 9.9, "Linear + softmax → next token")]


def _box(x0, y0, x1, y1, fill, line, width) -> dict:
    return dict(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, fillcolor=fill, line=dict(color=line, width=width),
                layer="below")


def _arrow(x0, y0, x1, y1, colour="rgb(90,90,90)", width=2, text="") -> dict:
    return dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=3,
                arrowsize=1.2, arrowwidth=width, arrowcolor=colour, text=text)


def fig_transformer(kind: str, *, enc_depth: int, dec_depth: int, hover: dict[str, str]) -> go.Figure:
    """The original Transformer as boxes, with one of the three attention kinds highlighted.

    Args:
        kind: "encoder", "decoder" or "cross" (a key of KIND_BOXES).
        enc_depth, dec_depth: blocks in each stack (written as ×N).
        hover: kind -> text shown when hovering its box (the formula and this sentence's shapes).

    Returns:
        Figure: boxes as layout shapes, one invisible marker per attention box (hover; trace 0), arrows.
    """
    shapes = [_box(0.3, 2.1, 4.5, 6.4, "rgba(0,0,0,0)", "rgb(120,120,120)", 1.5),
              _box(5.5, 2.1, 9.7, 8.3, "rgba(0,0,0,0)", "rgb(120,120,120)", 1.5)]
    ann = [dict(x=0.3, y=6.45, text=f"<b>Encoder</b> ×{enc_depth}", showarrow=False, xanchor="left",
                yanchor="bottom", font=dict(size=16)),
           dict(x=5.5, y=8.35, text=f"<b>Decoder</b> ×{dec_depth}", showarrow=False, xanchor="left",
                yanchor="bottom", font=dict(size=16))]
    for k, (x0, y0, x1, y1, label) in KIND_BOXES.items():
        on = k == kind
        shapes.append(_box(x0, y0, x1, y1, HIGHLIGHT if on else ATTN, "rgb(200,80,0)" if on else "rgb(90,120,160)",
                           3 if on else 1))
        ann.append(dict(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=f"<b>{label}</b>" if on else label, showarrow=False,
                        font=dict(size=15, color="white" if on else "black")))
    for x0, y0, x1, y1, label in _OTHER:
        shapes.append(_box(x0, y0, x1, y1, PLAIN, "rgb(150,150,150)", 1))
        ann.append(dict(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=label, showarrow=False, font=dict(size=14)))
    cross_on = kind == "cross"
    ann += [_arrow(2.4, 1.5, 2.4, 2.6), _arrow(2.4, 3.8, 2.4, 4.6), _arrow(7.6, 1.5, 7.6, 2.6),
            _arrow(7.6, 3.8, 7.6, 4.6), _arrow(7.6, 5.8, 7.6, 6.6), _arrow(7.6, 7.8, 7.6, 9.0),
            _arrow(4.5, 6.0, 5.8, 5.3, HIGHLIGHT if cross_on else "rgb(90,90,90)", 4 if cross_on else 2),
            dict(x=2.4, y=7.3, text="encoder output H → K, V<br>of every cross-attention", showarrow=False,
                 font=dict(size=13, color=HIGHLIGHT if cross_on else "rgb(90,90,90)"), xanchor="center")]
    xs = [(b[0] + b[2]) / 2 for b in KIND_BOXES.values()]
    ys = [(b[1] + b[3]) / 2 for b in KIND_BOXES.values()]
    marks = go.Scatter(x=xs, y=ys, mode="markers", marker=dict(size=60, symbol="square", color="rgba(0,0,0,0)"),
                       hovertext=[hover.get(k, k) for k in KIND_BOXES], hoverinfo="text", name="attention kinds",
                       showlegend=False)
    layout = {"xaxis": dict(range=[0, 10], visible=False, fixedrange=True),
              "yaxis": dict(range=[0, 10.2], visible=False, fixedrange=True), "shapes": shapes, "annotations": ann,
              "margin": dict(l=5, r=5, t=10, b=5), "plot_bgcolor": "white", "dragmode": False}
    return figure([marks], layout, height=540)


def fig_step(row: np.ndarray, src_tokens: Sequence[str], cand: Sequence[str], cand_p: np.ndarray, *,
             title: str, true_col: int | None = None) -> go.Figure:
    """One decoding step: the new word's cross-attention row over the source (left) and the decoder's best
    candidates (right).

    Args:
        row: (S,) weights of the query that writes the new word (rows sum to 1).
        src_tokens: (S,) source tokens.
        cand, cand_p: the step's best next tokens and their probabilities (the first is written: greedy).
        true_col: the source token the grammar aligns the new word with (green), if known.
    """
    w = np.asarray(row, dtype=np.float32)
    S = len(w)
    colours = ["rgb(44,160,44)" if j == true_col else "rgb(31,119,180)" for j in range(S)]
    bars = go.Bar(x=np.arange(S), y=w, marker_color=colours, name="cross-attention", xaxis="x", yaxis="y",
                  customdata=[token_label(t) for t in src_tokens],
                  hovertemplate="source %{x}: %{customdata}<br>weight %{y:.4f}<extra></extra>")
    names = [token_label(t) for t in cand]
    cands = go.Bar(x=np.asarray(cand_p, np.float32), y=names, orientation="h", xaxis="x2", yaxis="y2",
                   marker_color=["rgb(214,39,40)"] + ["rgb(200,200,200)"] * (len(names) - 1), name="next token",
                   text=[f"{p:.3f}" for p in cand_p], textposition="outside", cliponaxis=False,
                   hovertemplate="%{y}: p = %{x:.4f}<extra></extra>")
    layout = {"xaxis": dict(domain=[0, 0.62], tickmode="array", tickvals=list(range(S)),
                            ticktext=[token_label(t, 10) for t in src_tokens], tickangle=-50, tickfont=dict(size=14)),
              "yaxis": dict(title=dict(text="cross-attention weight"), rangemode="tozero"),
              "xaxis2": dict(domain=[0.72, 0.97], anchor="y2", title=dict(text="probability"), range=[0, 1.15]),
              "yaxis2": dict(anchor="x2", autorange="reversed", type="category", tickfont=dict(size=15)),
              "showlegend": False, "margin": dict(l=10, r=10, t=50, b=10)}
    return figure([bars, cands], layout, title=title, height=380)


def fig_alignment_heads(by_head: np.ndarray, *, mean_last: float, n: int) -> go.Figure:
    """Per layer and head: the share of this sentence's aligned words whose cross-attention peaks on their
    source word."""
    z = np.asarray(by_head, dtype=np.float32)
    L, h = z.shape
    trace = go.Heatmap(z=np.round(z, 3), x=np.arange(h), y=np.arange(L),
                       text=[[f"{v:.0%}" for v in r] for r in z], texttemplate="%{text}", textfont=dict(size=15),
                       colorscale="Greens", zmin=0, zmax=1, colorbar=dict(thickness=12), name="heads",
                       hovertemplate="layer %{y}, head %{x}<br>peaks on the right source word for %{z:.0%} of "
                                     f"{n} words<extra></extra>")
    layout = {"yaxis": dict(autorange="reversed", tickfont=dict(size=14), tickmode="array", tickvals=list(range(L)),
                            ticktext=[f"layer {i}" for i in range(L)]),
              "xaxis": dict(tickfont=dict(size=14), tickmode="array", tickvals=list(range(h)),
                            ticktext=[f"head {i}" for i in range(h)]),
              "margin": dict(l=10, r=10, t=50, b=10)}
    return figure([trace], layout, height=int(140 + 55 * L),
                  title=f"Right source word, per head (head average of the last layer: {mean_last:.0%})")
