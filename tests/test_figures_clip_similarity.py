"""Tests of mmviz.figures.clip_similarity: shapes of the traces, hover text, the outlined pairs."""

from __future__ import annotations

import numpy as np
import pytest

from mmviz.figures import clip_similarity as cfig


def _heat(fig):
    return [t for t in fig.data if t.type == "heatmap"]


def test_short_label_and_crisp():
    assert cfig.short_label("a red circle") == "a red circle"
    long = cfig.short_label("a very long prompt that goes on and on", 12)
    assert len(long) == 12 and long.endswith("…")
    img = np.arange(64 * 64 * 3, dtype=np.uint8).reshape(64, 64, 3)
    big, k = cfig.crisp(img, 256)
    assert k == 4 and big.shape == (256, 256, 3) and (big[4:8, 8:12] == img[1, 2]).all()
    assert cfig.tick_labels(["a photo of a cat", "a photo of a dog"]) == ["… cat", "… dog"]
    assert cfig.tick_labels(["a cat", "a dog"]) == ["a cat", "a dog"]  # one shared word is kept
    assert cfig.tick_labels(["a cat", "the dog", "a cat"]) == ["a cat", "the dog", "a cat"]
    assert cfig.tick_labels(["a red circle", "a red circle"]) == ["… circle", "… circle"]  # one word always left
    assert cfig.tick_labels(["only"]) == ["only"]
    same, k1 = cfig.crisp(np.zeros((300, 400, 3), np.uint8))
    assert k1 == 1 and same.shape == (300, 400, 3)


def test_fig_similarity_keeps_duplicate_prompts_and_outlines_pairs():
    z = np.array([[0.3, 0.1, 0.1], [0.0, 0.2, 0.2]])
    fig = cfig.fig_similarity(z, ["#0 a", "#1 b"], ["a cat", "a dog", "a dog"], title="cos", K=2,
                              extra={"logit": z * 10})
    (heat,) = _heat(fig)
    assert np.asarray(heat.z).shape == (2, 3)
    assert list(fig.layout.xaxis.tickvals) == [0, 1, 2] and list(fig.layout.xaxis.ticktext)[1:] == ["a dog", "a dog"]
    assert "customdata[1]" in heat.hovertemplate and "logit" in heat.hovertemplate and "cos" in heat.hovertemplate
    assert np.asarray(heat.customdata).shape == (2, 3, 3)
    assert heat.texttemplate == "%{z:.2f}"
    boxes = [t for t in fig.data if t.type == "scatter"]
    assert len(boxes) == 1 and sum(v is None for v in boxes[0].x) == 2  # two outlined cells
    assert fig.layout.yaxis.autorange == "reversed"
    big = cfig.fig_similarity(np.zeros((13, 12)), [str(i) for i in range(13)], [str(j) for j in range(12)], title="t")
    assert not _heat(big)[0].texttemplate and len(big.data) == 1  # no cell text above 144 cells, no pairs


def test_fig_sharpen():
    scales = np.geomspace(1, 100, 10)
    probs = np.full((10, 3), 1 / 3)
    fig = cfig.fig_sharpen(scales, probs, ["a", "b", "c"], 20.0, image_label="#0", learned=14.3, pair=1)
    lines = [t for t in fig.data if t.type == "scatter"]
    assert len(lines) == 5  # 3 prompts + chosen + learned
    assert lines[1].line.width == 4 and lines[0].line.width == 2
    assert list(lines[3].x) == [20.0, 20.0] and fig.layout.xaxis.type == "log"
    assert all(t.hovertemplate for t in lines)


def test_fig_zero_shot_orders_best_on_top():
    probs = np.array([0.1, 0.6, 0.3])
    fig = cfig.fig_zero_shot(probs, np.array([0.1, 0.3, 0.2]), ["a cat", "a dog", "a car"], title="t", true_index=0,
                             colors=["red", "green", "blue"])
    (bar,) = fig.data
    assert list(bar.x) == [0.1, 0.3, 0.6]  # plotly draws the last category on top
    assert bar.y[-1].startswith("a dog") and "◀ pair" in bar.y[0]
    assert list(bar.marker.color) == ["red", "blue", "green"]
    assert "cos" in bar.hovertemplate and np.asarray(bar.customdata).shape == (3, 2)


def test_fig_pca_links_pairs():
    fig = cfig.fig_pca(np.zeros((3, 2)), np.ones((2, 2)), ["i0", "i1", "i2"], ["t0", "t1"], K=2,
                       explained=np.array([0.5, 0.2]), pair_cos=np.array([0.9, 0.8]))
    links, imgs, txts = fig.data
    assert len(links.x) == 6 and links.x[2] is None
    assert len(imgs.x) == 3 and len(txts.x) == 2 and "cos" in imgs.hovertemplate
    assert "50%" in fig.layout.xaxis.title.text


def test_fig_prompt_maps_shares_one_colour_range():
    img = np.zeros((64, 64, 3), np.uint8)
    maps = np.stack([np.full((8, 8), v, np.float32) for v in (-0.2, 0.1, 0.4)])
    maps[1, 2, 3] = 0.3
    fig = cfig.fig_prompt_maps(img, maps, 8, ["a", "b", "c"], cls_cos=np.array([0.1, 0.2, 0.3]))
    heats = _heat(fig)
    assert len(heats) == 3 and len([t for t in fig.data if t.type == "image"]) == 4
    assert [(h.zmin, h.zmax) for h in heats] == [(pytest.approx(-0.2), pytest.approx(0.4))] * 3
    assert np.asarray(heats[1].z).shape == (8, 8) and heats[1].z[2][3] == pytest.approx(0.3)
    assert heats[0].dx == 32  # a 64 px image drawn 4x larger: 8 px patches become 32 px cells
    assert "cos" in heats[0].hovertemplate and [h.showscale for h in heats] == [True, False, False]
    assert "the image" in fig.layout.annotations[0].text and "0.20" in fig.layout.annotations[2].text


def test_fig_training_curve():
    fig = cfig.fig_training_curve([1, 2, 3], [3.0, 2.5, 2.0], [0, 3], [2.1, 1.5], [0.1, 0.6], total=10, chance=3.4)
    names = [t.name for t in fig.data]
    assert names[:3] == ["batch loss", "held-out loss", "held-out top-1 (right axis)"]
    assert fig.data[2].yaxis == "y2" and list(fig.layout.xaxis.range) == [0, 10]
    assert all(t.hovertemplate for t in fig.data)
