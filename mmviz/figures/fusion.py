"""Figures of the multimodal fusion lesson: NumPy arrays and plain lists in, ``go.Figure`` out.

The six designs are drawn from the blocks the models run (``FusionVQA.plan``): one lane for the
question's tokens, one for the image's, a box per block; a joint block spans both lanes, a cross block
gets an arrow from the lane it reads. Colours: question blue, image orange, one joint stream purple.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import crisp, figure, image_uri

__all__ = ["KIND_RGB", "fig_image_grid", "fig_answers", "fig_designs", "fig_masks", "fig_costs", "fig_word_maps",
           "fig_accuracy", "fig_clip"]

TEXT_RGB, IMAGE_RGB, JOINT_RGB, TRUE_RGB = "rgb(31,119,180)", "rgb(255,127,14)", "rgb(148,103,189)", "rgb(44,160,44)"
#: colour of each kind of block (FusionVQA.plan)
KIND_RGB = {"joint": JOINT_RGB, "text": TEXT_RGB, "image": IMAGE_RGB, "text<-image": TEXT_RGB,
            "image<-text": IMAGE_RGB}
#: white -> dark blue, spelt as rgb() (Streamlit's chart theme rewrites some hex colours)
BLUES = [[0.0, "rgb(247,251,255)"], [0.25, "rgb(198,219,239)"], [0.5, "rgb(107,174,214)"],
         [0.75, "rgb(33,113,181)"], [1.0, "rgb(8,48,107)"]]
#: transparent-looking dark -> bright yellow for weights laid over an image
HOT = [[0.0, "rgb(0,0,4)"], [0.25, "rgb(87,16,110)"], [0.5, "rgb(188,55,84)"], [0.75, "rgb(249,142,9)"],
       [1.0, "rgb(252,255,164)"]]
BLOCKED_RGB = "rgb(215,215,215)"
INK = "rgb(38,39,48)"


def _axis(domain, **kw) -> dict:
    return dict(domain=domain, showgrid=False, zeroline=False, fixedrange=True, **{"ticks": "", **kw})


def _grid_domains(n: int, cols: int, gap_x: float = 0.04, gap_y: float = 0.12) -> list[tuple[list, list]]:
    """(x domain, y domain) of n panels in rows of ``cols``, row 0 at the top."""
    rows = math.ceil(n / cols)
    wd, ht = (1 - gap_x * (cols - 1)) / cols, (1 - gap_y * (rows - 1)) / rows
    out = []
    for i in range(n):
        r, c = divmod(i, cols)
        xd, yd = [c * (wd + gap_x), c * (wd + gap_x) + wd], [1 - (r + 1) * ht - r * gap_y, 1 - r * (ht + gap_y)]
        out.append(([max(0.0, xd[0]), min(1.0, xd[1])], [max(0.0, yd[0]), min(1.0, yd[1])]))
    return out


def _title(text: str, xd, yd, size: int = 15) -> dict:
    return dict(text=text, x=(xd[0] + xd[1]) / 2, y=yd[1], xref="paper", yref="paper", xanchor="center",
                yanchor="bottom", showarrow=False, font=dict(size=size))


def _image(img: np.ndarray, xa: str = "x", ya: str = "y") -> go.Image:
    """The (S, S, 3) image as one light JPEG, enlarged without blur, placed on pixel coordinates."""
    big, k = crisp(img, 256)
    return go.Image(source=image_uri(big, quality=90), x0=(1 / k - 1) / 2, dx=1 / k, y0=(1 / k - 1) / 2, dy=1 / k,
                    xaxis=xa, yaxis=ya, hoverinfo="skip", name="image")


def _patch_lines(S: int, P: int, xa: str = "x", ya: str = "y") -> go.Scatter:
    xs, ys = [], []
    for i in range(0, S + 1, P):
        xs += [i - 0.5, i - 0.5, None, -0.5, S - 0.5, None]
        ys += [-0.5, S - 0.5, None, i - 0.5, i - 0.5, None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(255,255,255,0.55)", width=1), xaxis=xa,
                      yaxis=ya, hoverinfo="skip", showlegend=False, name="patches")


def fig_image_grid(img: np.ndarray, patch_size: int = 8, *, title: str = "") -> go.Figure:
    """The image the models read with its patch grid; hover names the patch (index, row, column) and its colour.

    Args:
        img: (S, S, 3) uint8.
        patch_size: P.
    """
    S = img.shape[0]
    g = S // patch_size
    idx = np.arange(g * g).reshape(g, g)
    mean = img.reshape(g, patch_size, g, patch_size, 3).mean((1, 3)).round().astype(int)  # (g, g, 3)
    text = [[f"patch {idx[r, c]} (row {r}, col {c})<br>mean RGB {tuple(mean[r, c])}" for c in range(g)]
            for r in range(g)]
    hover = go.Heatmap(z=np.zeros((g, g)), x0=(patch_size - 1) / 2, dx=patch_size, y0=(patch_size - 1) / 2,
                       dy=patch_size, opacity=0, showscale=False, text=text, hovertemplate="%{text}<extra></extra>",
                       colorscale=[[0, "rgb(0,0,0)"], [1, "rgb(0,0,0)"]], name="patches")
    layout = {"xaxis": _axis([0, 1], range=[-0.5, S - 0.5], showticklabels=False),
              "yaxis": _axis([0, 1], range=[S - 0.5, -0.5], showticklabels=False, scaleanchor="x"),
              "margin": dict(l=5, r=5, t=40 if title else 5, b=5)}
    return figure([_image(img), _patch_lines(S, patch_size), hover], layout, title=title or None, height=330)


def fig_answers(panels: Sequence[dict], *, cols: int = 3) -> go.Figure:
    """Each model's top answers as horizontal bars, one panel per model.

    Args:
        panels: dicts with ``title`` (may hold a ``<br>``), ``answers`` (k,) and ``probs`` (k,) (best first), ``truth`` (the true
            answer or None) and ``trained`` (bool; an untrained model's bars are grey).

    Returns:
        Figure: one bar trace per panel, the model's answer (first bar) in its colour, the true answer green;
        hover: model, answer, probability.
    """
    doms = _grid_domains(len(panels), cols, gap_x=0.08, gap_y=0.24)
    traces, layout, ann = [], {"showlegend": False, "margin": dict(l=10, r=20, t=60, b=10), "bargap": 0.25}, []
    for i, (p, (xd, yd)) in enumerate(zip(panels, doms)):
        ax = "" if i == 0 else str(i + 1)
        k = len(p["answers"])
        base = "rgb(150,150,150)" if not p.get("trained", True) else JOINT_RGB
        colors = [TRUE_RGB if a == p.get("truth") else base if j == 0 else "rgb(190,190,210)"
                  for j, a in enumerate(p["answers"])]
        traces.append(go.Bar(x=np.asarray(p["probs"]) * 100, y=list(range(k)), orientation="h", marker_color=colors,
                             text=[f"{a}  {v:.0%}" for a, v in zip(p["answers"], p["probs"])], textposition="auto",
                             insidetextanchor="start", textfont=dict(size=15, color=INK), xaxis=f"x{ax}", yaxis=f"y{ax}",
                             name=p["title"], customdata=list(p["answers"]),
                             hovertemplate=p["title"] + "<br>%{customdata}: %{x:.1f}%<extra></extra>"))
        layout[f"xaxis{ax}"] = _axis(xd, range=[0, 100], anchor=f"y{ax}", ticksuffix="%", tickfont=dict(size=12))
        layout[f"yaxis{ax}"] = _axis(yd, range=[k - 0.5, -0.5], anchor=f"x{ax}", visible=False)
        ann.append(_title(p["title"], xd, yd))
    layout["annotations"] = ann
    rows = math.ceil(len(panels) / cols)
    return figure(traces, layout, height=80 + 220 * rows)


def _box(x: float, y0: float, y1: float, w: float = 0.4) -> tuple[list, list]:
    return [x - w, x + w, x + w, x - w, x - w, None], [y0, y0, y1, y1, y0, None]


def _light(rgb: str, a: float = 0.2) -> str:
    """An opaque tint of ``rgb(...)`` on white (lines behind it stay hidden)."""
    r, g, b = (int(v) for v in rgb[4:-1].split(","))
    return f"rgb({round(255 - a * (255 - r))},{round(255 - a * (255 - g))},{round(255 - a * (255 - b))})"


def fig_designs(designs: Sequence[dict], *, cols: int = 3, chosen: str | None = None) -> go.Figure:
    """The fusion designs side by side: lanes of tokens, a box per block, where the streams meet.

    Args:
        designs: one dict per model: ``letter``, ``title`` (may hold a ``<br>``), ``L``, ``N`` and ``blocks``, a
            list of dicts with ``stage``, ``kind`` (FusionVQA.plan), ``what`` (the kind in words), ``shape``
            (h, Tq, Tk), ``scores`` and ``params``.
        cols: panels per row.
        chosen: a letter whose panel is framed.

    Returns:
        Figure: per panel the question lane (top, blue) and the image lane (bottom, orange), input boxes,
        one box per block at its stage (joint: both lanes, purple), arrows into cross blocks from the lane
        they read, a sum node for early summation; hover on every box.
    """
    doms = _grid_domains(len(designs), cols, gap_x=0.05, gap_y=0.1)
    height = 60 + 260 * math.ceil(len(designs) / cols)
    traces, ann, shapes = [], [], []
    layout: dict = {"showlegend": False, "margin": dict(l=5, r=5, t=55, b=5)}
    for i, (d, (xd, yd)) in enumerate(zip(designs, doms)):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        stages = list(dict.fromkeys(b["stage"] for b in d["blocks"]))
        S, L, N = len(stages), d["L"], d["N"]
        summed = d["letter"] == "a"
        fills: dict[str, tuple[list, list]] = {}
        cx, cy, labels, hovers = [], [], [], []

        def add(colour, x, y0, y1, label, hover, w=0.4):
            xs, ys = _box(x, y0, y1, w)
            f = fills.setdefault(colour, ([], []))
            f[0].extend(xs)
            f[1].extend(ys)
            cx.append(x)
            cy.append((y0 + y1) / 2)
            labels.append(label)
            hovers.append(hover)

        x_in = -0.3
        add("text", x_in, 0.72, 1.28, f"L={L}<br>words", f"question: {L} tokens (word embedding + position + "
                                                         "modality)", w=0.45)
        add("image", x_in, -0.28, 0.28, f"N={N}<br>patches", f"image: {N} tokens (8 px patches + frozen CNN "
                                                               "features + position + modality)", w=0.45)
        for b in d["blocks"]:
            x = 1 + stages.index(b["stage"])
            h, tq, tk = b["shape"]
            hover = (f"<b>{b['stage']}</b> · {b.get('what', b['kind'])}<br>attention {h}×{tq}×{tk} = "
                     f"{b['scores']:,} scores<br>{b['params']:,} parameters")
            kind = b["kind"]
            if kind == "joint":
                add("joint", x, -0.28, 1.28, f"joint<br>{tq}", hover)
            elif kind in ("text", "text<-image"):
                add("text", x, 0.72, 1.28, "self" if kind == "text" else "cross", hover)
            else:
                add("image", x, -0.28, 0.28, "self" if kind == "image" else "cross", hover)
            if "<-" in kind:
                up = kind == "text<-image"
                xo = x - 0.14 if up else x + 0.14
                ann.append(dict(x=xo, y=0.7 if up else 0.3, ax=xo, ay=0.3 if up else 0.7, xref=xa, yref=ya, axref=xa,
                                ayref=ya, showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=2.4, text="",
                                arrowcolor=IMAGE_RGB if up else TEXT_RGB))
        add("joint", S + 1.05, 0.22, 0.78, "answer", "mean of the final tokens → LayerNorm → linear → 19 answers",
            w=0.5)
        for lane, rgb in ((1.0, TEXT_RGB), (0.0, IMAGE_RGB)):
            traces.append(go.Scatter(x=[x_in, 0.35 if summed else S + 0.6], y=[lane, lane], mode="lines", xaxis=xa,
                                     yaxis=ya, line=dict(color=rgb, width=3), hoverinfo="skip"))
        if summed:
            traces.append(go.Scatter(x=[0.35], y=[0.5], mode="markers+text", text=["+"], xaxis=xa, yaxis=ya,
                                     marker=dict(size=24, color="white", line=dict(color=JOINT_RGB, width=2.5)),
                                     textfont=dict(size=20, color=JOINT_RGB), textposition="middle center",
                                     hovertext=[f"token-wise sum: word k is added to patch k (k < {L})"],
                                     hoverinfo="text"))
            traces.append(go.Scatter(x=[0.35, 0.35, None, 0.35, 0.35], y=[1, 0.64, None, 0, 0.36], mode="lines",
                                     xaxis=xa, yaxis=ya, line=dict(color=JOINT_RGB, width=2), hoverinfo="skip"))
        for kind, (xs, ys) in fills.items():
            rgb = KIND_RGB[kind]
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", xaxis=xa, yaxis=ya,
                                     fillcolor=_light(rgb), line=dict(color=rgb, width=2), hoverinfo="skip"))
        traces.append(go.Scatter(x=cx, y=cy, mode="text", text=labels, hovertext=hovers, hoverinfo="text",
                                 textfont=dict(size=14, color=INK), xaxis=xa, yaxis=ya, name=d["title"]))
        layout[f"xaxis{ax}"] = _axis(xd, range=[-0.75, S + 1.6], visible=False, anchor=ya)
        layout[f"yaxis{ax}"] = _axis(yd, range=[-0.35, 1.35], visible=False, anchor=xa)
        ann.append(_title(d["title"], xd, yd))
        if d["letter"] == chosen:  # the frame reaches up over the two lines of the panel's title (44 px)
            shapes.append(dict(type="rect", xref="paper", yref="paper", x0=xd[0], x1=xd[1], y0=yd[0],
                               y1=min(1.0 + 50 / (height - 60), yd[1] + 44 / (height - 60)),
                               line=dict(color=JOINT_RGB, width=3)))
    layout["annotations"], layout["shapes"] = ann, shapes
    return figure(traces, layout, height=height)


def fig_masks(weights: np.ndarray, shown: np.ndarray, titles: Sequence[str], names: Sequence[str], *, L: int,
              cols: int = 2, what: str = "weight") -> go.Figure:
    """Every stage's attention as a matrix over [question ; image]: a query (row) reads a key (column).

    Args:
        weights: (S, T, T) the attention weights, NaN where the mask forbids the pair (the hover).
        shown: (S, T, T) what the colour shows in [0, 1] (each block's weights over its max), NaN where blocked.
        titles: (S,) panel titles.
        names: (T,) unique token names: the categories of both axes (the hover names the pair).
        L: question tokens first in the frame (0: early summation, one stream of patches).
        what: what the weight is ("mean weight of 4 heads").

    Returns:
        Figure: per stage a heatmap (``z`` = shown, ``customdata`` = weights) and a grey heatmap of the forbidden
        pairs (hover: "blocked"), dotted lines between the words and the patches.
    """
    S, T, _ = weights.shape
    ncols = min(cols, S)
    doms = _grid_domains(S, ncols, gap_x=0.1, gap_y=0.14)
    names = list(names)
    traces, shapes = [], []
    layout: dict = {"showlegend": False, "margin": dict(l=10, r=10, t=50, b=10), "plot_bgcolor": "white"}
    if L:
        tickvals, ticktext = [names[L // 2], names[L + (T - L) // 2]], ["words", "patches"]
    else:
        tickvals, ticktext = [names[T // 2]], ["patches (+ words)"]
    for i in range(S):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        blocked = np.where(np.isnan(shown[i]), np.float32(1), np.float32(np.nan))
        traces.append(go.Heatmap(z=np.round(shown[i], 3).astype(np.float32), customdata=weights[i], x=names, y=names,
                                 xaxis=xa, yaxis=ya, colorscale=BLUES, zmin=0, zmax=1, showscale=False,
                                 hoverongaps=False, name=titles[i],
                                 hovertemplate=f"{titles[i]}<br>%{{y}} reads %{{x}}<br>{what} %{{customdata:.4f}}"
                                               "<extra></extra>"))
        if np.isfinite(blocked).any():
            traces.append(go.Heatmap(z=blocked, x=names, y=names, xaxis=xa, yaxis=ya, showscale=False,
                                     hoverongaps=False, colorscale=[[0, BLOCKED_RGB], [1, BLOCKED_RGB]], name="blocked",
                                     hovertemplate=f"{titles[i]}<br>%{{y}} → %{{x}}: blocked (−∞ before the softmax)"
                                                   "<extra></extra>"))
        if L:
            line = dict(color="rgb(40,40,40)", width=1.5, dash="dot")
            shapes += [dict(type="line", xref=xa, yref=ya, x0=L - 0.5, x1=L - 0.5, y0=-0.5, y1=T - 0.5, line=line),
                       dict(type="line", xref=xa, yref=ya, x0=-0.5, x1=T - 0.5, y0=L - 0.5, y1=L - 0.5, line=line)]
        xd, yd = doms[i]
        ticks = dict(type="category", tickmode="array", tickvals=tickvals, ticktext=ticktext, tickfont=dict(size=13),
                     constrain="domain")  # the square plot shrinks inside its domain; labels and title follow it
        layout[f"xaxis{ax}"] = _axis(xd, anchor=ya, side="top", title=dict(text=f"<b>{titles[i]}</b>",
                                                                           font=dict(size=15), standoff=6), **ticks)
        layout[f"yaxis{ax}"] = _axis(yd, anchor=xa, scaleanchor=xa, autorange="reversed", **ticks)
    layout["shapes"] = shapes
    rows = math.ceil(S / ncols)
    return figure(traces, layout, height=40 + 420 * rows)


def fig_costs(rows: Sequence[dict]) -> go.Figure:
    """Attention scores of one forward pass, block by block, one bar per model.

    Args:
        rows: dicts with ``name`` (the bar) and ``blocks``: dicts with ``stage``, ``kind``, ``shape`` (h, Tq, Tk)
            and ``scores``; a block's kind picks its colour ("caption" / "image tower" for CLIP's towers too).

    Returns:
        Figure: stacked horizontal bars, a segment per block; hover: block, h×Tq×Tk = scores.
    """
    traces = []
    names = [r["name"] for r in rows]
    colour = {**KIND_RGB, "image tower": IMAGE_RGB, "text tower": TEXT_RGB}
    for r in rows:
        for b in r["blocks"]:
            h, tq, tk = b["shape"]
            rgb = colour.get(b["kind"], "rgb(120,120,120)")
            traces.append(go.Bar(x=[b["scores"]], y=[r["name"]], orientation="h", marker=dict(
                color=rgb.replace("rgb", "rgba").replace(")", ",0.55)"), line=dict(color="white", width=1.5)),
                name=b["kind"], hovertemplate=f"{r['name']}<br>{b['stage']} · {b['kind']}<br>{h}×{tq}×{tk} = "
                                              f"{b['scores']:,} scores<extra></extra>"))
        total = sum(b["scores"] for b in r["blocks"])
        traces.append(go.Scatter(x=[total], y=[r["name"]], mode="text", text=[f"  {total:,}"], textposition="middle right",
                                 textfont=dict(size=14), hoverinfo="skip"))
    top = max(sum(b["scores"] for b in r["blocks"]) for r in rows)
    layout = {"barmode": "stack", "showlegend": False, "xaxis": dict(title=dict(text="attention scores q·k computed "
                                                                                      "(h × Tq × Tk, summed over blocks)"),
                                                                     range=[0, top * 1.22], tickfont=dict(size=13)),
              "yaxis": dict(autorange="reversed", tickfont=dict(size=14), categoryorder="array", categoryarray=names),
              "margin": dict(l=10, r=10, t=20, b=10)}
    return figure(traces, layout, height=80 + 42 * len(rows))


def fig_word_maps(img: np.ndarray, maps: np.ndarray, titles: Sequence[str], *, what: str,
                  patch_size: int = 8) -> go.Figure:
    """One word and the image patches, per head: the weights over the 8 x 8 grid laid on the image.

    Args:
        img: (S, S, 3) uint8.
        maps: (h, g, g) weights, one map per head (each with its own colour range, 0 .. its max).
        titles: (h,) panel titles.
        what: the hover's description ("“star” reads patch").

    Returns:
        Figure: per head the image and a semi-transparent heatmap (``z`` (g, g)); hover: head, patch, row,
        column, weight.
    """
    h, g, _ = maps.shape
    S = img.shape[0]
    doms = _grid_domains(h, h, gap_x=0.02)
    idx = np.arange(g * g).reshape(g, g)
    custom = np.stack([idx, idx // g, idx % g], -1)
    traces, ann, layout = [], [], {"showlegend": False, "margin": dict(l=5, r=5, t=40, b=5)}
    for i, (xd, yd) in enumerate(doms):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        traces.append(_image(img, xa, ya))
        traces.append(go.Heatmap(z=np.round(maps[i], 5), x0=(patch_size - 1) / 2, dx=patch_size, y0=(patch_size - 1) / 2,
                                 dy=patch_size, zmin=0, zmax=max(float(maps[i].max()), 1e-9), colorscale=HOT, opacity=0.62,
                                 showscale=False, customdata=custom, xaxis=xa, yaxis=ya, name=titles[i],
                                 hovertemplate=f"head {i}<br>{what} %{{customdata[0]}} (row %{{customdata[1]}}, "
                                               "col %{customdata[2]})<br>weight %{z:.4f}<extra></extra>"))
        layout[f"xaxis{ax}"] = _axis(xd, range=[-0.5, S - 0.5], showticklabels=False, anchor=ya)
        layout[f"yaxis{ax}"] = _axis(yd, range=[S - 0.5, -0.5], showticklabels=False, anchor=xa, scaleanchor=xa)
        ann.append(_title(titles[i], xd, yd, size=14))
    layout["annotations"] = ann
    return figure(traces, layout, height=290)


def fig_accuracy(types: Sequence[str], acc: np.ndarray, chance: np.ndarray, names: Sequence[str]) -> go.Figure:
    """Held-out accuracy per question type, a bar per model, and the blind-guess level of each type.

    Args:
        types: (Q,) question types.
        acc: (M, Q) accuracies in [0, 1] (NaN: not trained).
        chance: (Q,) what reading the question alone reaches (the most frequent answer of the type).
        names: (M,) model names (the legend).

    Returns:
        Figure: grouped bars (one trace per model) and one black dash per type for the chance level.
    """
    palette = ["rgb(31,119,180)", "rgb(255,127,14)", "rgb(44,160,44)", "rgb(214,39,40)", "rgb(148,103,189)",
               "rgb(140,86,75)"]
    traces = [go.Bar(x=list(types), y=np.nan_to_num(acc[m]) * 100, name=names[m], marker_color=palette[m % 6],
                     customdata=[("not trained" if np.isnan(v) else f"{v:.1%}") for v in acc[m]],
                     hovertemplate=f"{names[m]}<br>%{{x}}: %{{customdata}}<extra></extra>") for m in range(len(names))]
    traces.append(go.Scatter(x=list(types), y=np.asarray(chance) * 100, mode="markers", name="blind guess",
                             marker=dict(symbol="line-ew", size=70, line=dict(width=3, color="black")),
                             hovertemplate="%{x}: a blind guess (the most frequent answer) reaches %{y:.1f}%"
                                           "<extra></extra>"))
    layout = {"barmode": "group", "yaxis": dict(title=dict(text="held-out accuracy (%)"), range=[0, 105]),
              "xaxis": dict(tickfont=dict(size=15)), "legend": dict(orientation="h", y=1.02, yanchor="bottom", x=0,
                                                                    font=dict(size=14)),
              "margin": dict(l=10, r=10, t=30, b=10)}
    return figure(traces, layout, height=430)


def fig_clip(captions: Sequence[str], values: Sequence[float], *, title: str, percent: bool,
             highlight: str | None = None) -> go.Figure:
    """CLIP's captions against the image: one bar per caption (cosine, or probability in %).

    Args:
        captions: (C,) captions, best first.
        values: (C,) cosine similarities, or probabilities in [0, 1] when ``percent``.
        title: figure title.
        highlight: a caption drawn green (e.g. the one the question asks about).
    """
    vals = np.asarray(values, dtype=np.float64) * (100 if percent else 1)
    colors = [TRUE_RGB if c == highlight else JOINT_RGB for c in captions]
    fmt = "%{x:.1f}%" if percent else "cos %{x:.3f}"
    trace = go.Bar(x=vals, y=list(captions), orientation="h", marker_color=colors, textposition="auto",
                   text=[f"{v:.0f}%" if percent else f"{v:.3f}" for v in vals], textfont=dict(size=14),
                   hovertemplate="%{y}: " + fmt + "<extra></extra>")
    layout = {"yaxis": dict(autorange="reversed", tickfont=dict(size=14)), "margin": dict(l=10, r=10, t=40, b=10),
              "xaxis": dict(title=dict(text="probability (%)" if percent else "cosine similarity"))}
    return figure([trace], layout, title=title, height=90 + 34 * len(captions))
