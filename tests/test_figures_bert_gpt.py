"""Figures of the BERT and GPT lesson, and the text-attention builders it shares with the encoder-decoder
lesson (mmviz.figures.common: head view, token matrix, head thumbnails): what is drawn, from which
numbers, with hover values."""

from __future__ import annotations

import numpy as np
import pytest

from mmviz.figures import bert_gpt as F
from mmviz.figures.common import LINE_MIN, token_label

TOKS = ["[CLS]", "a", "red", "circle", ".", "it", "is", "red", ".", "[SEP]"]


def _attn(T: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).dirichlet(np.ones(T) * 0.3, size=T).astype(np.float32)


def _hover(fig) -> bool:
    return all(t.hovertemplate or t.hovertext is not None or t.hoverinfo == "skip" for t in fig.data) and any(
        t.hoverinfo != "skip" for t in fig.data)


# --------------------------------------------------------------------------- shared: head view
def test_head_view_lines_follow_the_weights():
    A = _attn(10)
    fig = F.fig_head_view(A, TOKS, selected=5, title="t")
    q, k = fig.data[0], fig.data[1]
    assert list(q.text)[5] == "<b>it</b>" and list(k.text) == TOKS and q.marker.size[5] == 16
    assert list(q.x) == [0] * 10 and list(k.x) == [1] * 10
    # every weight >= LINE_MIN of the other rows is a grey segment; the chosen row's lines are coloured
    lines = [t for t in fig.data if t.mode == "lines"]
    grey = sum(sum(v is None for v in t.x) for t in lines if t.name == "other queries")
    assert grey == int(sum((A[i] >= LINE_MIN).sum() for i in range(10) if i != 5))
    mine = [t for t in lines if t.name == "chosen query"]
    assert sum(sum(v is None for v in t.x) for t in mine) == int((A[5] >= LINE_MIN / 4).sum())
    widths = sorted((t.line.width, float(t.line.color.split(",")[-1][:-1])) for t in mine)
    assert all(a[1] <= b[1] for a, b in zip(widths, widths[1:]))  # thicker lines are more opaque
    hover = next(t for t in fig.data if t.name == "weights")
    assert any(f"{A[5].max():.4f}" in h for h in hover.hovertext) and "it → " in hover.hovertext[0]
    assert f"weight from it: {A[5, 3]:.4f}" in k.hovertext[3]


def test_head_view_cross_attention_and_true_pairs():
    A = _attn(4)[:, :3] / _attn(4)[:, :3].sum(1, keepdims=True)
    fig = F.fig_head_view(A, ["빨간", "원이", "있다", "."], ["a", "red", "circle"], true_pairs=[(0, 1), (1, 2)])
    true = next(t for t in fig.data if t.name == "true alignment")
    assert list(true.x) == [0, 1, None, 0, 1, None] and fig.layout.showlegend
    assert list(fig.data[0].text) == ["빨간", "원이", "있다", "."] and len(fig.data[1].y) == 3
    assert fig.data[1].y[-1] == fig.data[0].y[-1] == pytest.approx(-3.0)  # both columns span the same height
    assert fig.data[1].y[1] == pytest.approx(-1.5)  # the shorter key column is spread out


# --------------------------------------------------------------------------- shared: matrix and thumbnails
def test_token_matrix_positions_not_categories_and_masked_cells():
    A = np.tril(_attn(10))
    A /= A.sum(1, keepdims=True)
    mask = np.tril(np.ones((10, 10), bool))
    fig = F.fig_token_matrix(A, TOKS, mask=mask, selected=5)
    z = np.array(fig.data[0].z, dtype=object)
    assert z.shape == (10, 10) and z[0, 1] is None and z[5, 3] == pytest.approx(round(float(A[5, 3]), 4))
    assert list(fig.layout.xaxis.ticktext) == TOKS and list(fig.layout.xaxis.tickvals) == list(range(10))
    assert fig.data[0].text[5][3] == "it → circle"  # "red" and "." appear twice: the axes are positions
    masked = next(t for t in fig.data if t.name == "masked")
    assert "−∞" in masked.hovertemplate and np.isnan(masked.z[5][3]) and masked.z[3][5] == 1
    outline = next(t for t in fig.data if t.name == "chosen query")
    assert min(outline.y) == 4.5 and max(outline.y) == 5.5
    assert "weight %{z:.4f}" in fig.data[0].hovertemplate


def test_head_grid_one_panel_per_head():
    A = np.stack([np.stack([_attn(6, s + 4 * li) for s in range(4)]) for li in range(3)])  # (3, 4, 6, 6)
    titles = [[f"L{li}H{hi}" for hi in range(4)] for li in range(3)]
    fig = F.fig_head_grid(A, titles, selected=(1, 2), q_tokens=TOKS[:6])
    assert len(fig.data) == 12 and fig.data[6].name == "L1 H2"
    np.testing.assert_allclose(np.array(fig.data[6].z, float), np.round(A[1, 2], 3))
    assert fig.data[6].zmax == pytest.approx(float(A[1, 2].max()))
    assert [a.text for a in fig.layout.annotations][:4] == ["L0H0", "L0H1", "L0H2", "L0H3"]
    assert len(fig.layout.shapes) == 1 and "layer 1, head 2" in fig.data[6].hovertemplate
    assert fig.data[0].text[0][1] == "[CLS] → a"


def test_token_label_makes_spaces_visible():
    assert token_label(" world") == "␣world" and token_label("") == "∅" and len(token_label("x" * 40)) == 14


# --------------------------------------------------------------------------- the lesson's own figures
def test_embeddings_panels_and_their_ranges():
    rng = np.random.default_rng(1)
    parts = [("token E[id]", rng.normal(0, 0.02, (5, 70))), ("position P[t]", rng.normal(0, 0.01, (5, 70))),
             ("x₀ = sum", rng.normal(0, 1, (5, 70)))]
    fig = F.fig_embeddings(parts, TOKS[:5], max_dims=64)
    assert len(fig.data) == 3 and np.shape(fig.data[0].z) == (5, 64)
    for tr, (_, arr) in zip(fig.data, parts):
        assert tr.zmax == pytest.approx(np.abs(arr[:, :64]).max()) and tr.zmid == 0
    texts = [a.text for a in fig.layout.annotations]
    assert "<b>+</b>" in texts and "<b>=</b>" in texts and "first 64 of 70" in fig.layout.xaxis.title.text


def test_mask_fill_recipe_and_next_token_figures():
    m = F.fig_mask(np.tril(np.ones((4, 4), bool)), TOKS[:4], title="GPT")
    assert np.array(m.data[0].z).tolist() == np.tril(np.ones((4, 4), int)).tolist()
    assert m.data[0].text[0][1] == "[CLS] → a: hidden" and m.data[0].text[1][0] == "a → [CLS]: sees"
    f = F.fig_fillers(["red", "blue", "it"], np.array([0.5, 0.3, 0.1]), original="blue", title="t")
    assert list(f.data[0].y) == ["red", "blue ✓", "it"] and f.data[0].marker.color[1] == "rgb(44,160,44)"
    r = F.fig_recipe(TOKS[:4], np.array([0, 1, 2, 3]), ["[CLS]", "[MASK]", "blue", "circle"], ["a", "a", "red", "x"],
                     np.array([0.9, 0.2, 0.1, 0.4]), ("not chosen", "[MASK]", "random token", "kept"))
    assert [t.name for t in r.data] == ["not chosen", "[MASK]", "random token", "kept"]
    assert r.data[2].customdata[0][:3] == ["red", "blue", "red"] and "p(original)" in r.data[2].hovertemplate
    n = F.fig_next_token(["a", "b"], np.array([0.6, 0.4]), np.array([1.0, 0.0]), title="t")
    assert [t.name for t in n.data] == ["softmax(logits)", "after temperature, top-k, top-p"]
    assert list(n.data[1].x) == [1.0, 0.0]


def test_step_teacher_forcing_cache_and_coreference_figures():
    s = F.fig_step_row(np.array([0.1, 0.6, 0.3]), ["<bos>", "a", "red"], title="t", new_from=2)
    assert s.data[0].marker.color[2] == F.GPT_RGB and s.data[0].marker.color[0] == F.BERT_RGB
    loss = np.array([1.0, 0.5])
    t = F.fig_teacher_forcing(["<bos>", "a", "red"], loss, ["a", "blue"], np.array([0.4, 0.3]), mean=0.75)
    assert list(t.layout.xaxis.ticktext) == ["<bos>→a", "a→red"]
    assert t.data[0].customdata[1][1] == pytest.approx(np.exp(-0.5)) and list(t.data[1].y) == [0.75, 0.75]
    c = F.fig_cache_costs(np.arange(1, 4), np.array([10, 20, 30]), np.array([10, 2, 2]))
    assert c.layout.yaxis.type == "log" and list(c.data[1].y) == [10, 2, 2]
    co = F.fig_coreference(np.array([[0.1, 0.7]]), first_noun=0.6, nearest_noun=0.5, n=10)
    assert co.data[0].zmid == 0.6 and co.data[0].text[0][1] == "70%"
    p = F.fig_pronoun(np.array([[0.2, 0.8]]), [["red", "circle"]], pronoun="it", referent="circle")
    assert p.data[0].text[0] == ["red", "circle"] and "weight on 'circle'" in p.data[0].hovertemplate
    assert _hover(s) and _hover(t) and _hover(c) and _hover(co) and _hover(p)
