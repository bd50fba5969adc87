"""Figures of the encoder-decoder lesson: the Transformer diagram with one attention kind highlighted, a
decoding step, the per-head alignment shares (the head view and the matrix: test_figures_bert_gpt.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mmviz.figures import encoder_decoder as F


@pytest.mark.parametrize("kind", list(F.KIND_BOXES))
def test_diagram_highlights_one_kind(kind):
    hover = {k: f"about {k}" for k in F.KIND_BOXES}
    fig = F.fig_transformer(kind, enc_depth=3, dec_depth=4, hover=hover)
    filled = [s for s in fig.layout.shapes if s.fillcolor == F.HIGHLIGHT]
    assert len(filled) == 1
    x0, y0, x1, y1, _ = F.KIND_BOXES[kind]
    assert (filled[0].x0, filled[0].y0, filled[0].x1, filled[0].y1) == (x0, y0, x1, y1)
    texts = [a.text for a in fig.layout.annotations]
    assert "<b>Encoder</b> ×3" in texts and "<b>Decoder</b> ×4" in texts
    assert list(fig.data[0].hovertext) == [f"about {k}" for k in F.KIND_BOXES]
    arrow = next(a for a in fig.layout.annotations if a.showarrow and a.ax == 4.5)  # encoder output -> cross
    assert (arrow.arrowcolor == F.HIGHLIGHT) == (kind == "cross")


def test_step_figure_row_and_candidates():
    row = np.array([0.1, 0.7, 0.2], np.float32)
    fig = F.fig_step(row, ["a", "red", "circle"], ["빨간", "파란"], np.array([0.9, 0.05]), title="t", true_col=1)
    bars, cands = fig.data
    assert list(bars.y) == pytest.approx(list(row)) and bars.marker.color[1] == "rgb(44,160,44)"
    assert list(cands.y) == ["빨간", "파란"] and cands.marker.color[0] == "rgb(214,39,40)"
    assert "weight %{y:.4f}" in bars.hovertemplate and "p = %{x:.4f}" in cands.hovertemplate
    assert list(fig.layout.xaxis.ticktext) == ["a", "red", "circle"]


def test_alignment_heads_grid():
    z = np.array([[0.0, 0.5], [1.0, 0.25]], np.float32)
    fig = F.fig_alignment_heads(z, mean_last=0.5, n=8)
    assert [list(r) for r in fig.data[0].text] == [["0%", "50%"], ["100%", "25%"]] and "50%" in fig.layout.title.text
    assert "of 8 words" in fig.data[0].hovertemplate and list(fig.layout.yaxis.ticktext) == ["layer 0", "layer 1"]
