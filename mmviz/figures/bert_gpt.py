"""Plotly builders for the BERT and GPT lesson (NumPy in, go.Figure out; hover values everywhere).

The head view, the token matrix and the head thumbnails are shared with the encoder-decoder lesson and
live in `mmviz.figures.common`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import fig_head_grid, fig_head_view, fig_token_matrix, figure, token_label

__all__ = ["fig_embeddings", "fig_mask", "fig_fillers", "fig_recipe", "fig_next_token", "fig_step_row",
           "fig_teacher_forcing", "fig_cache_costs", "fig_coreference", "fig_pronoun",
           "fig_head_view", "fig_token_matrix", "fig_head_grid"]

BERT_RGB, GPT_RGB = "rgb(31,119,180)", "rgb(214,39,40)"
#: colours of what BERT's recipe did to a token: not chosen, [MASK], random, kept
HOW_COLOURS = ("rgb(230,230,230)", "rgb(255,127,14)", "rgb(148,103,189)", "rgb(44,160,44)")


def fig_embeddings(parts: Sequence[tuple[str, np.ndarray]], tokens: Sequence[str], *, max_dims: int = 64) -> go.Figure:
    """The embedding lookup as a sum of (T, D) matrices side by side: token rows + positions (+ segment) = x.

    Args:
        parts: (name, (T, D) array) in order, the last being the result (e.g. "x₀ = LayerNorm(sum)").
        tokens: (T,) row labels.
        max_dims: the first dimensions drawn (all D in the hover of the title).

    Returns:
        Figure with one heatmap per part (z (T, min(D, max_dims))), each with its own symmetric colour range
        (written above it), hover: token, dimension, value.
    """
    n = len(parts)
    T, D = parts[0][1].shape
    d = min(D, max_dims)
    labels = [f"{i}: {token_label(t)}" for i, t in enumerate(tokens)]
    gap = 0.05
    w = (1 - gap * (n - 1)) / n
    traces, layout, ann = [], {"margin": dict(l=10, r=10, t=70, b=30)}, []
    for k, (name, arr) in enumerate(parts):
        ax = "" if k == 0 else str(k + 1)
        lim = float(np.abs(arr[:, :d]).max()) or 1.0  # each its own range: the sum after LayerNorm is ~100x larger
        traces.append(go.Heatmap(z=np.round(arr[:, :d], 4), x=np.arange(d), y=labels, xaxis=f"x{ax}", yaxis=f"y{ax}",
                                 colorscale="RdBu_r", zmid=0, zmin=-lim, zmax=lim, showscale=False, name=name,
                                 hovertemplate=f"{name}<br>token %{{y}}<br>dim %{{x}}<br>value %{{z:.4f}}<extra></extra>"))
        x0 = k * (w + gap)
        layout[f"xaxis{ax}"] = dict(domain=[x0, x0 + w], anchor=f"y{ax}", title=dict(text=f"dim (first {d} of {D})"))
        layout[f"yaxis{ax}"] = dict(anchor=f"x{ax}", autorange="reversed", showticklabels=k == 0, type="category",
                                    tickfont=dict(size=13))
        ann.append(dict(text=f"<b>{name}</b><br>colours ±{lim:.3g}", x=x0 + w / 2, y=1.0, xref="paper", yref="paper",
                        yanchor="bottom", showarrow=False, font=dict(size=14)))
        if k < n - 1:
            ann.append(dict(text="<b>=</b>" if k == n - 2 else "<b>+</b>", x=x0 + w + gap / 2, y=0.5, xref="paper",
                            yref="paper", showarrow=False, font=dict(size=26)))
    layout["annotations"] = ann
    return figure(traces, layout, height=int(min(720, 160 + 20 * T)))


def fig_mask(mask: np.ndarray, tokens: Sequence[str], *, title: str) -> go.Figure:
    """A (T, T) mask: blue = may attend, grey = hidden (-inf before the softmax)."""
    m = np.asarray(mask, dtype=bool)
    T = m.shape[0]
    labels = [token_label(t) for t in tokens]
    text = [[f"{labels[i]} → {labels[j]}: {'sees' if m[i, j] else 'hidden'}" for j in range(T)] for i in range(T)]
    trace = go.Heatmap(z=m.astype(np.int8), x=np.arange(T), y=np.arange(T), text=text, zmin=0, zmax=1, showscale=False,
                       colorscale=[[0, "rgb(225,225,225)"], [0.5, "rgb(225,225,225)"], [0.5, "rgb(70,130,200)"],
                                   [1, "rgb(70,130,200)"]], xgap=1, ygap=1, name="mask",
                       hovertemplate="%{text}<extra></extra>")
    tick = dict(size=14 if T <= 24 else 12 if T <= 40 else 9, color="#31333F")
    layout = {"xaxis": dict(title=dict(text="key (may be looked at)"), tickmode="array", tickvals=list(range(T)),
                            ticktext=labels, tickangle=-60, tickfont=tick, constrain="domain"),
              "yaxis": dict(title=dict(text="query"), tickmode="array", tickvals=list(range(T)), ticktext=labels,
                            autorange="reversed", tickfont=tick, scaleanchor="x", constrain="domain"),
              "plot_bgcolor": "white"}
    return figure([trace], layout, title=title, height=int(min(620, 170 + 20 * T)))


def _hbars(names: Sequence[str], series: Sequence[tuple[str, np.ndarray, str]], *, title: str, xtitle: str,
           hover: str = "%{y}: %{x:.4f}", height: int | None = None) -> go.Figure:
    """Horizontal bars, one trace per series (name, values, colour), best first."""
    traces = [go.Bar(x=np.asarray(v, dtype=np.float32), y=list(names), orientation="h", name=n, marker_color=c,
                     text=[f"{x:.3f}" for x in v], textposition="outside", cliponaxis=False,
                     hovertemplate=f"{n}<br>{hover}<extra></extra>") for n, v, c in series]
    layout = {"xaxis": dict(title=dict(text=xtitle), rangemode="tozero"),
              "yaxis": dict(autorange="reversed", type="category", tickfont=dict(size=15)),
              "barmode": "group", "legend": dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
              "margin": dict(l=10, r=50, t=60, b=10)}
    return figure(traces, layout, title=title, height=height or int(110 + 30 * len(names) * max(1, len(series) - 0.4)))


def fig_fillers(tokens: Sequence[str], probs: np.ndarray, *, original: str, title: str) -> go.Figure:
    """BERT's best fillers of one [MASK] (the original token in green)."""
    names = [f"{token_label(t)} ✓" if t == original else token_label(t) for t in tokens]
    fig = _hbars(names, [("p(token | both sides)", probs, BERT_RGB)], title=title, xtitle="probability")
    fig.data[0].marker.color = ["rgb(44,160,44)" if t == original else BERT_RGB for t in tokens]
    return fig


def fig_recipe(tokens: Sequence[str], how: np.ndarray, read: Sequence[str], pred: Sequence[str], p_true: np.ndarray,
               how_names: Sequence[str]) -> go.Figure:
    """BERT's recipe on the sentence: one cell per token, coloured by what became of it, showing what BERT
    reads; the hover adds the model's guess and its probability of the original."""
    T = len(tokens)
    how = np.asarray(how, dtype=int)
    traces = []
    for c, name in enumerate(how_names):
        idx = [i for i in range(T) if how[i] == c]
        if not idx:
            continue
        traces.append(go.Bar(
            x=idx, y=[1] * len(idx), marker_color=HOW_COLOURS[c], name=name, width=0.92,
            text=[f"<b>{token_label(read[i], 10)}</b>" for i in idx], textposition="inside", insidetextanchor="middle",
            textfont=dict(size=15), textangle=0,
            customdata=[[token_label(tokens[i]), token_label(read[i]), token_label(pred[i]), float(p_true[i])] for i in idx],
            hovertemplate=(f"{name}<br>original %{{customdata[0]}}<br>BERT reads %{{customdata[1]}}<br>its guess "
                           "%{customdata[2]}<br>p(original) %{customdata[3]:.3f}<extra></extra>")))
    layout = {"xaxis": dict(tickmode="array", tickvals=list(range(T)), ticktext=[token_label(t, 10) for t in tokens],
                            tickangle=-45 if T > 16 else 0, tickfont=dict(size=15), title=dict(text="original token"),
                            range=[-0.5, T - 0.5]),
              "yaxis": dict(visible=False, range=[0, 1]), "barmode": "overlay", "bargap": 0.05,
              "legend": dict(orientation="h", y=1.05, yanchor="bottom"), "margin": dict(l=10, r=10, t=60, b=10)}
    return figure(traces, layout, title="What BERT reads after the recipe (colour: what became of the token)",
                  height=250)


def fig_next_token(tokens: Sequence[str], plain: np.ndarray, probs: np.ndarray, *, title: str) -> go.Figure:
    """The next-token candidates: the plain softmax and the distribution after temperature / top-k / top-p."""
    names = [token_label(t) for t in tokens]
    return _hbars(names, [("softmax(logits)", plain, "rgb(180,180,180)"),
                          ("after temperature, top-k, top-p", probs, GPT_RGB)], title=title, xtitle="probability")


def fig_step_row(weights: np.ndarray, tokens: Sequence[str], *, title: str, new_from: int | None = None) -> go.Figure:
    """One query's attention over the tokens so far (what decided the next token); the generated ones in red.

    Args:
        weights: (T,) one row (rows sum to 1).
        tokens: (T,) labels.
        new_from: index of the first generated token (drawn red; the prompt blue).
    """
    w = np.asarray(weights, dtype=np.float32)
    T = len(w)
    colours = [GPT_RGB if new_from is not None and i >= new_from else BERT_RGB for i in range(T)]
    bar = go.Bar(x=np.arange(T), y=w, marker_color=colours, name="weight", customdata=[token_label(t) for t in tokens],
                 hovertemplate="key %{x}: %{customdata}<br>weight %{y:.4f}<extra></extra>")
    layout = {"xaxis": dict(tickmode="array", tickvals=list(range(T)), ticktext=[token_label(t, 10) for t in tokens],
                            tickangle=-60, tickfont=dict(size=13 if T <= 32 else 10)),
              "yaxis": dict(title=dict(text="attention weight"), rangemode="tozero")}
    return figure([bar], layout, title=title, height=330)


def fig_teacher_forcing(tokens: Sequence[str], loss: np.ndarray, guess: Sequence[str], guess_p: np.ndarray, *,
                        mean: float) -> go.Figure:
    """The loss at every position of one pass: bar t is -log p(token t+1 | tokens 0..t)."""
    loss = np.asarray(loss, dtype=np.float32)
    n = len(loss)
    labels = [f"{token_label(tokens[t], 9)}→{token_label(tokens[t + 1], 9)}" for t in range(n)]
    custom = [[token_label(tokens[t + 1]), float(np.exp(-loss[t])), token_label(guess[t]), float(guess_p[t])]
              for t in range(n)]
    bar = go.Bar(x=np.arange(n), y=loss, marker_color=GPT_RGB, customdata=custom, name="loss",
                 hovertemplate=("position %{x}: the truth is %{customdata[0]}<br>p(truth) %{customdata[1]:.3f}, "
                                "loss −log p = %{y:.3f}<br>its best guess %{customdata[2]} (%{customdata[3]:.3f})"
                                "<extra></extra>"))
    line = go.Scatter(x=[-0.5, n - 0.5], y=[mean, mean], mode="lines", line=dict(dash="dash", color="black"),
                      name="mean", hovertemplate=f"mean loss {mean:.3f}<extra></extra>")
    layout = {"xaxis": dict(tickmode="array", tickvals=list(range(n)), ticktext=labels, tickangle=-60,
                            tickfont=dict(size=14 if n <= 24 else 11)),
              "yaxis": dict(title=dict(text="−log p(next token)"), rangemode="tozero"), "showlegend": False}
    return figure([bar, line], layout, title=f"Teacher forcing: {n} losses from one pass (mean {mean:.3f})", height=380)


def fig_cache_costs(steps: np.ndarray, full: np.ndarray, cached: np.ndarray, *, what: str = "multiply-adds") -> go.Figure:
    """Cost of each generation step with and without the KV cache (log scale)."""
    traces = [go.Scatter(x=steps, y=np.asarray(v, dtype=np.float64), mode="lines+markers", name=n,
                         line=dict(color=c), hovertemplate=f"{n}<br>step %{{x}}: %{{y:,.0f}} {what}<extra></extra>")
              for n, v, c in (("no cache: the whole sequence again", full, "rgb(150,150,150)"),
                              ("KV cache: the new token only", cached, GPT_RGB))]
    layout = {"xaxis": dict(title=dict(text="generation step"), tickformat="d"),
              "yaxis": dict(title=dict(text=f"{what} (log scale)"), type="log", dtick=1, exponentformat="SI"),
              "legend": dict(orientation="h", y=-0.25, yanchor="top", font=dict(size=14)),
              "margin": dict(l=10, r=10, t=40, b=10)}
    return figure(traces, layout, title=f"{what.capitalize()} per generated token", height=400)


def _share_grid(z: np.ndarray, text: Sequence[Sequence[str]], *, title: str, hover: str, zmid: float | None,
                colorscale: str = "RdBu") -> go.Figure:
    """One cell per (layer, head); ``hover`` follows the line "layer l, head h"."""
    L, h = z.shape
    trace = go.Heatmap(z=np.round(z, 3), x=np.arange(h), y=np.arange(L), text=text, texttemplate="%{text}",
                       textfont=dict(size=15), colorscale=colorscale, zmid=zmid, zmin=0, zmax=1,
                       colorbar=dict(thickness=12), hovertemplate="layer %{y}, head %{x}<br>" + hover, name="heads",
                       xgap=2, ygap=2)
    layout = {"yaxis": dict(autorange="reversed", tickfont=dict(size=14), tickmode="array", tickvals=list(range(L)),
                            ticktext=[f"layer {i}" for i in range(L)]),
              "xaxis": dict(tickfont=dict(size=14), tickmode="array", tickvals=list(range(h)),
                            ticktext=[f"head {i}" for i in range(h)]),
              "margin": dict(l=10, r=10, t=70, b=10)}
    return figure([trace], layout, title=title, height=int(150 + 55 * L))


def fig_coreference(by_head: np.ndarray, *, first_noun: float, nearest_noun: float, n: int) -> go.Figure:
    """The card's per-head share of pronouns whose attention peaks on the referent; blue = above the better
    baseline (always the first noun / the nearest noun), red = below."""
    z = np.asarray(by_head, dtype=np.float32)
    base = max(first_noun, nearest_noun)
    text = [[f"{v:.0%}" for v in r] for r in z]
    return _share_grid(z, text, zmid=base,
                       title=f"{n} held-out pronouns: share whose row peaks on the referent<br><span style='font-size:"
                             f"13px'>blue: above the better baseline (first noun {first_noun:.0%}, nearest noun "
                             f"{nearest_noun:.0%}); red: below</span>",
                       hover="peaks on the referent for %{z:.1%} of the pronouns<br>"
                             f"(better baseline {base:.1%})<extra></extra>")


def fig_pronoun(on_referent: np.ndarray | None, peaks: Sequence[Sequence[str]], *, pronoun: str,
                referent: str | None) -> go.Figure:
    """This sentence: for every head, the weight from the pronoun on its referent (colour) and the token its
    row peaks on (text)."""
    L, h = len(peaks), len(peaks[0])
    z = np.zeros((L, h), np.float32) if on_referent is None else np.asarray(on_referent, dtype=np.float32)
    what = f"weight on {referent!r}" if referent else "no known referent"
    return _share_grid(z, [[token_label(p, 10) for p in r] for r in peaks], zmid=None, colorscale="Blues",
                       title=f"Where {pronoun!r} looks<br><span style='font-size:13px'>colour: {what}; text: the token "
                             "its row peaks on</span>",
                       hover=f"peak: %{{text}}<br>{what}: %{{z:.3f}}<extra></extra>")
