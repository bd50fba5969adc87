"""Tests of mmviz.figures.fusion: what each figure draws, hover on every trace that shows data, light payloads."""

from __future__ import annotations

import numpy as np
import pytest

from mmviz.figures import fusion as ff

RNG = np.random.default_rng(0)
IMG = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)
L, N = 3, 64
T = L + N


def _hover(trace) -> bool:
    """A trace the student can hover (or one deliberately drawn only as decoration)."""
    return bool(trace.hovertemplate or (trace.hovertext is not None and trace.hoverinfo == "text")
                or trace.hoverinfo == "skip")


def _block(stage, kind, tq, tk):
    return {"stage": stage, "kind": kind, "what": kind, "shape": (4, tq, tk), "scores": 4 * tq * tk, "params": 1000}


DESIGNS = {
    "a": [_block(f"joint {i}", "joint", N, N) for i in range(4)],
    "c": [_block(f"apart {i}", k, n, n) for i in range(2) for k, n in (("text", L), ("image", N))]
    + [_block(f"joint {i}", "joint", T, T) for i in range(2)],
    "e": [_block(f"cross {i}", k, q, kk) for i in range(4) for k, q, kk in (("text<-image", L, N), ("image<-text", N, L))],
}


def test_image_grid_names_every_patch():
    fig = ff.fig_image_grid(IMG)
    heat = [t for t in fig.data if t.type == "heatmap"][0]
    assert np.asarray(heat.z).shape == (8, 8)
    assert heat.text[1][2].startswith("patch 10 (row 1, col 2)")
    assert all(_hover(t) for t in fig.data if t.type != "image")


def test_answers_one_panel_per_model_truth_green():
    panels = [{"title": f"({k})<br>untrained", "answers": ["red", "blue", "2"], "probs": [0.5, 0.3, 0.2],
               "truth": "blue", "trained": k != "a"} for k in "abcdef"]
    fig = ff.fig_answers(panels)
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 6 and list(bars[0].x) == pytest.approx([50, 30, 20])
    assert bars[1].marker.color[1] == ff.TRUE_RGB and bars[1].marker.color[0] != ff.TRUE_RGB
    assert bars[0].marker.color[0] == "rgb(150,150,150)"  # an untrained model's answer is grey
    assert all("%{customdata}" in b.hovertemplate for b in bars)
    assert len(fig.layout.annotations) == 6


def test_designs_draw_one_box_per_block_and_arrows_into_cross_blocks():
    designs = [{"letter": k, "title": f"({k})", "L": L, "N": N, "blocks": b} for k, b in DESIGNS.items()]
    fig = ff.fig_designs(designs, chosen="e")
    labels = [t for t in fig.data if t.mode == "text"]
    assert len(labels) == 3
    # inputs (2) + blocks + the answer box; hover names the attention shape of each block
    assert [len(t.text) for t in labels] == [2 + len(b) + 1 for b in DESIGNS.values()]
    assert any(f"4×{L}×{N} = {4 * L * N:,} scores" in h for h in labels[2].hovertext)
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) == 8  # one into each cross block of (e)
    assert any(t.text == ("+",) for t in fig.data if t.mode == "markers+text")  # the sum of (a)
    assert len(fig.layout.shapes) == 1  # the chosen design is framed
    assert all(_hover(t) for t in fig.data)


def test_masks_grey_where_blocked_and_hover_on_the_weights():
    weights = np.full((2, T, T), np.nan, np.float32)
    weights[0][:L, L:] = 1 / N
    weights[0][L:, :L] = 1 / L
    weights[1] = 1 / T
    shown = weights / np.nanmax(weights, axis=(1, 2), keepdims=True)
    names = [f"w{i} x" for i in range(L)] + [f"p{k}" for k in range(N)]
    fig = ff.fig_masks(weights, shown, ["cross 0", "joint 0"], names, L=L, what="weight")
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert len(heat) == 3  # the joint stage blocks nothing: no grey layer
    z, blocked = np.asarray(heat[0].z, dtype=float), np.asarray(heat[1].z, dtype=float)
    assert z.shape == (T, T) and np.isnan(z[:L, :L]).all() and np.isfinite(blocked[:L, :L]).all()
    assert np.isnan(blocked[:L, L:]).all()
    np.testing.assert_allclose(np.asarray(heat[0].customdata, dtype=float)[:L, L:], 1 / N, rtol=1e-6)
    assert "%{customdata:.4f}" in heat[0].hovertemplate and "blocked" in heat[1].hovertemplate
    assert list(heat[0].x) == names
    assert len(fig.layout.shapes) == 4  # the word / patch dividers of both panels
    assert len(fig.to_json()) < 200_000


def test_costs_one_segment_per_block_and_totals():
    rows = [{"name": k, "blocks": b} for k, b in DESIGNS.items()]
    fig = ff.fig_costs(rows)
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == sum(len(b) for b in DESIGNS.values())
    totals = [t.text[0].strip() for t in fig.data if t.type == "scatter"]
    assert totals == [f"{sum(b['scores'] for b in blocks):,}" for blocks in DESIGNS.values()]
    assert all("scores" in b.hovertemplate for b in bars)


def test_word_maps_one_overlay_per_head():
    maps = RNG.random((4, 8, 8)).astype(np.float32)
    fig = ff.fig_word_maps(IMG, maps, [f"head {i}" for i in range(4)], what="“red” reads patch")
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert len(heat) == 4 and np.asarray(heat[2].z).shape == (8, 8)
    assert heat[2].zmax == pytest.approx(maps[2].max(), rel=1e-3)
    assert "“red” reads patch" in heat[0].hovertemplate
    assert len([t for t in fig.data if t.type == "image"]) == 4


def test_accuracy_bars_and_chance():
    acc = np.array([[0.9, 0.8, np.nan], [0.5, 0.4, 0.3]])
    fig = ff.fig_accuracy(["colour", "kind", "count"], acc, np.array([0.2, 0.3, 0.5]), ["m1", "m2"])
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 2 and list(bars[0].y) == pytest.approx([90, 80, 0])
    assert bars[0].customdata[2] == "not trained"
    chance = [t for t in fig.data if t.type == "scatter"][0]
    assert list(chance.y) == pytest.approx([20, 30, 50]) and "blind guess" in chance.hovertemplate


def test_clip_bars():
    fig = ff.fig_clip(["a red star", "a blue star"], [0.7, 0.3], title="t", percent=True, highlight="a blue star")
    bar = fig.data[0]
    assert list(bar.x) == pytest.approx([70, 30]) and bar.marker.color[1] == ff.TRUE_RGB
    assert "%" in bar.hovertemplate
