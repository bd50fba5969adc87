"""Figures of the CLIP similarity lesson: NumPy arrays in, ``go.Figure`` out, hover values everywhere.

Matrices put images on the rows and prompts on the columns with numeric axes and tick labels (a
categorical axis would merge two equal prompts into one column); the pairs of the InfoNCE loss
(image i, prompt i) are outlined. Small scenes (64 px) are enlarged by pixel repetition before
they are sent as a JPEG, so they stay crisp in the browser.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import crisp, downsample, figure, image_uri, place_labels

__all__ = ["short_label", "tick_labels", "fig_similarity", "fig_sharpen", "fig_zero_shot", "fig_pca", "fig_prompt_maps",
           "fig_training_curve", "fig_live", "crisp"]

IMAGE_RGB = "#1f77b4"
TEXT_RGB = "#d62728"
PAIR_RGB = "rgb(0,229,255)"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")


def short_label(text: str, n: int = 22) -> str:
    """``text`` cut to ``n`` characters with an ellipsis (tick labels; the hover shows it whole)."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def tick_labels(texts: Sequence[str], n: int = 22) -> list[str]:
    """Short tick labels: two or more words every text starts with (a template such as "a photo of a")
    become "…", then each label is cut to ``n`` characters."""
    words = [t.split() for t in texts]
    common = 0
    if len(words) > 1:
        while all(len(w) > common + 1 and w[common] == words[0][common] for w in words):
            common += 1
    common = common if common >= 2 else 0
    return [short_label(("… " if common else "") + " ".join(w[common:]), n) for w in words]


def _pair_boxes(K: int, *, color: str = PAIR_RGB, width: float = 2.5) -> go.Scatter:
    """Outlines of the cells (i, i), i < K, as one scatter trace."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for i in range(K):
        xs += [i - 0.5, i + 0.5, i + 0.5, i - 0.5, i - 0.5, None]
        ys += [i - 0.5, i - 0.5, i + 0.5, i + 0.5, i - 0.5, None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=width), hoverinfo="skip",
                      showlegend=False, name="pairs (the loss's positives)")


def fig_similarity(z: np.ndarray, image_labels: Sequence[str], prompts: Sequence[str], *, title: str,
                   ztitle: str = "cos", zmin: float | None = None, zmax: float | None = None,
                   colorscale="Viridis", K: int = 0, fmt: str = ".3f", extra: dict[str, np.ndarray] | None = None,
                   height: int | None = None, annotate: bool = True) -> go.Figure:
    """An images x prompts matrix (cosine similarity, probability, ...).

    Args:
        z: (I, T) values.
        image_labels: I row names ("#0 red circle scene").
        prompts: T prompts (the hover shows them whole, the ticks shortened).
        title: figure title.
        ztitle: name of the value (colour bar and hover).
        zmin, zmax: colour range (default: the matrix's own).
        colorscale: Plotly colour scale.
        K: outline the cells (i, i) for i < K (the InfoNCE pairs).
        fmt: d3 format of the value in the hover and the cell text.
        extra: more (I, T) values for the hover, {name: array}.
        annotate: write the value in every cell when the matrix has at most 144 cells.

    Returns:
        Figure with one heatmap ``z`` (I, T) and, when K > 0, one outline trace.
    """
    z = np.asarray(z, dtype=np.float64)
    I, T = z.shape
    names = list(extra or {})
    rows = np.broadcast_to(np.asarray(image_labels, dtype=object)[:, None], (I, T))
    cols = np.broadcast_to(np.asarray(prompts, dtype=object)[None, :], (I, T))
    cd = np.stack([rows, cols] + [np.round(np.asarray(extra[n], np.float64), 4).astype(object) for n in names], -1)
    hover = "image %{y}: %{customdata[0]}<br>prompt %{x}: %{customdata[1]}" + "".join(
        f"<br>{n} = %{{customdata[{2 + k}]:{fmt}}}" for k, n in enumerate(names)) + \
        f"<br><b>{ztitle} = %{{z:{fmt}}}</b><extra></extra>"
    heat = go.Heatmap(z=np.round(z, 4), x=np.arange(T), y=np.arange(I), zmin=zmin, zmax=zmax, colorscale=colorscale,
                      customdata=cd, hovertemplate=hover, colorbar=dict(title=dict(text=ztitle)), name=ztitle,
                      xgap=1, ygap=1)
    if annotate and I * T <= 144:
        heat.update(texttemplate="%{z:.2f}", textfont=dict(size=12))
    traces = [heat] + ([_pair_boxes(min(K, I, T))] if K else [])
    layout = {
        "xaxis": dict(tickvals=list(range(T)), ticktext=tick_labels(prompts), tickangle=-35,
                      title=dict(text="prompt (text embedding)"), range=[-0.5, T - 0.5], constrain="domain"),
        "yaxis": dict(tickvals=list(range(I)), ticktext=[short_label(n, 26) for n in image_labels],
                      autorange="reversed", title=dict(text="image (image embedding)"), constrain="domain"),
        "showlegend": False,
    }
    return figure(traces, layout, title=title, height=height or int(170 + 34 * I + 6 * max(map(len, [*layout[
        "xaxis"]["ticktext"], ""]))))


def fig_sharpen(scales: np.ndarray, probs: np.ndarray, prompts: Sequence[str], current: float, *,
                image_label: str, learned: float | None = None, pair: int | None = None) -> go.Figure:
    """How one image's softmax over the prompts sharpens as the logit scale grows.

    Args:
        scales: (n,) logit scales s (log x axis).
        probs: (n, T) softmax(s * cos) for each s (``mmviz.lessons.clip_similarity.sharpening``).
        prompts: T prompts.
        current: the scale chosen on the page (vertical line).
        image_label: names the image in the title.
        learned: the model's learned scale (dotted line), if any.
        pair: index of the image's own prompt (drawn thicker), if any.

    Returns:
        Figure with one line per prompt (``y`` = probability), and the marker lines.
    """
    traces = []
    for j, p in enumerate(prompts):
        traces.append(go.Scatter(
            x=scales, y=np.round(probs[:, j], 5), mode="lines", name=short_label(p, 30),
            line=dict(width=4 if j == pair else 2, color=PALETTE[j % len(PALETTE)]),
            hovertemplate=f"{p}<br>s = %{{x:.1f}} (τ = 1/s)<br>p = %{{y:.3f}}<extra></extra>"))
    for x, dash, label in ((current, "solid", f"chosen s = {current:.1f}"),
                           (learned, "dot", f"learned s = {learned:.1f}" if learned else "")):
        if x is None:
            continue
        traces.append(go.Scatter(x=[x, x], y=[0, 1], mode="lines", line=dict(color="black", dash=dash, width=1.5),
                                 name=label, hovertemplate=f"{label}<extra></extra>", showlegend=False))
    layout = {"xaxis": dict(type="log", tickvals=[1, 2, 5, 10, 20, 50, 100], title=dict(text="logit scale s = 1/τ (log axis)")),
              "yaxis": dict(range=[0, 1.02], title=dict(text="p(prompt | image)")),
              "legend": dict(orientation="h", y=-0.28), "hovermode": "x unified"}
    return figure(traces, layout, title=f"{image_label}: the softmax over the prompts sharpens as s grows",
                  height=400)


def fig_zero_shot(probs: np.ndarray, cos: np.ndarray, labels: Sequence[str], *, title: str,
                  true_index: int | None = None, colors: Sequence[str] | None = None, max_bars: int = 15) -> go.Figure:
    """Zero-shot classification of one image: the candidate prompts as horizontal bars, best on top.

    Args:
        probs: (C,) softmax over the candidates.
        cos: (C,) the cosine similarities the probabilities come from.
        labels: C prompts.
        title: figure title.
        true_index: the image's own prompt (its label gets "◀ pair"), if any.
        colors: one colour per candidate, or "palette" (the prompts' colours of the other figures); default all blue.
        max_bars: show at most this many (the most probable).

    Returns:
        Figure with one bar trace, ``x`` = probability (in the order drawn).
    """
    order = np.argsort(-np.asarray(probs))[:max_bars][::-1]  # best at the top
    if isinstance(colors, str) and colors == "palette":
        colors = [PALETTE[j % len(PALETTE)] for j in range(len(labels))]
    colors = [colors[i] if colors is not None else IMAGE_RGB for i in order]
    names = [f"{short_label(labels[i], 30)}{' ◀ pair' if i == true_index else ''} " for i in order]
    bar = go.Bar(x=np.round(np.asarray(probs)[order], 5), y=names,
                 orientation="h", marker=dict(color=colors), customdata=np.stack(
                     [np.round(np.asarray(cos)[order], 4), order], -1),
                 text=[f"{p:.1%}" for p in np.asarray(probs)[order]], textposition="auto",
                 hovertemplate="%{y}<br>p = %{x:.4f}<br>cos = %{customdata[0]:.4f}<br>prompt #%{customdata[1]}"
                               "<extra></extra>", name="p")
    layout = {"xaxis": dict(range=[0, 1], title=dict(text="probability (softmax over the candidates)")),
              "yaxis": dict(type="category"), "showlegend": False}
    return figure([bar], layout, title=title, height=int(120 + 30 * len(order)))


def fig_pca(image_xy: np.ndarray, text_xy: np.ndarray, image_labels: Sequence[str], prompts: Sequence[str], *,
            K: int, explained: np.ndarray, pair_cos: np.ndarray | None = None, title: str | None = None) -> go.Figure:
    """Image and text embeddings on their two principal components, each pair (i, i) linked.

    Args:
        image_xy: (I, 2).
        text_xy: (T, 2).
        image_labels: I names; prompts: T prompts.
        K: pairs to link (image i - prompt i, i < K).
        explained: (2,) variance share of each axis (axis titles).
        pair_cos: (K,) cosine of each pair (hover of the links).
        title: figure title.

    Returns:
        Figure with traces: images (markers), prompts (markers), pair links (one trace).
    """
    xs: list[float | None] = []
    ys: list[float | None] = []
    for i in range(K):
        xs += [float(image_xy[i, 0]), float(text_xy[i, 0]), None]
        ys += [float(image_xy[i, 1]), float(text_xy[i, 1]), None]
    links = go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(120,120,120,0.7)", width=1.5, dash="dot"),
                       name="pair (image i, prompt i)", hoverinfo="skip")
    cos = np.full(max(len(image_xy), len(text_xy)), np.nan) if pair_cos is None else np.concatenate(
        [np.asarray(pair_cos, float), np.full(max(len(image_xy), len(text_xy)) - len(pair_cos), np.nan)])
    n_img = len(image_xy)
    # labels placed where they collide with no other label or marker ("#4" and "#0" sat on each other)
    places = place_labels(np.concatenate([image_xy[:, 0], text_xy[:, 0]]), np.concatenate([image_xy[:, 1],
                          text_xy[:, 1]]), [f"#{i}" for i in range(n_img)] + [f"#{j}" for j in range(len(text_xy))],
                          height_px=400, equal=True)
    imgs = go.Scatter(x=image_xy[:, 0], y=image_xy[:, 1], mode="markers+text", name="images",
                      marker=dict(symbol="square", size=13, color=IMAGE_RGB, line=dict(color="white", width=1)),
                      text=[f"#{i}" for i in range(n_img)], textposition=places[:n_img],
                      textfont=dict(color=IMAGE_RGB, size=14),
                      customdata=np.stack([np.asarray(image_labels, dtype=object),
                                           np.round(cos[:n_img], 4).astype(object)], -1),
                      hovertemplate="image %{text}: %{customdata[0]}<br>cos with prompt %{text}: "
                                    "%{customdata[1]:.3f}<extra></extra>")
    txts = go.Scatter(x=text_xy[:, 0], y=text_xy[:, 1], mode="markers+text", name="prompts",
                      marker=dict(symbol="diamond", size=13, color=TEXT_RGB, line=dict(color="white", width=1)),
                      text=[f"#{j}" for j in range(len(text_xy))], textposition=places[n_img:],
                      textfont=dict(color=TEXT_RGB, size=14),
                      customdata=np.stack([np.asarray(prompts, dtype=object),
                                           np.round(cos[: len(text_xy)], 4).astype(object)], -1),
                      hovertemplate="prompt %{text}: %{customdata[0]}<br>cos with image %{text}: "
                                    "%{customdata[1]:.3f}<extra></extra>")
    layout = {"xaxis": dict(title=dict(text=f"PC 1 ({explained[0]:.0%} of the variance)"), zeroline=False),
              "yaxis": dict(title=dict(text=f"PC 2 ({explained[1]:.0%})"), zeroline=False, scaleanchor="x"),
              "legend": dict(orientation="h", y=-0.15)}
    return figure([links, imgs, txts], layout, title=title, height=480)


def fig_prompt_maps(img: np.ndarray, maps: np.ndarray, patch_size: int, prompts: Sequence[str], *,
                    cls_cos: np.ndarray, cols: int = 5, opacity: float = 0.5, panel_px: int = 165) -> go.Figure:
    """"Where does the prompt look": cos(prompt, patch) over the image, one panel per prompt.

    The first panel is the image alone. All map panels share one colour range (the smallest to the
    largest value of all maps), so the prompts can be compared with each other.

    Args:
        img: (S, S, 3) uint8, the crop the model saw (S = gh * P).
        maps: (T, gh, gw) cosine similarity of each prompt with each patch embedding.
        patch_size: P.
        prompts: T prompts (panel titles).
        cls_cos: (T,) the whole image's ([CLS]) cosine with each prompt (in the titles).
        cols: panels per row.
        opacity: of the overlay.

    Returns:
        Figure: panel 0 the image; then per prompt an image and a heatmap ``z`` (gh, gw) with hover
        patch, row, column, cos.
    """
    maps = np.asarray(maps, np.float32)
    T, gh, gw = maps.shape
    big, k = crisp(img)
    small, f = downsample(big, 448)
    src = image_uri(small, quality=90)
    H, W = big.shape[:2]
    P = patch_size * k
    lo, hi = float(maps.min()), float(maps.max())
    if hi - lo < 1e-6:
        hi = lo + 1e-6
    n = T + 1
    cols = max(1, min(cols, n))
    rows = math.ceil(n / cols)
    gx, gy = 0.02, 0.12 / rows
    wd, ht = (1 - gx * (cols - 1)) / cols, (1 - gy * (rows - 1)) / rows
    idx = np.arange(gh * gw).reshape(gh, gw)
    cd = np.stack([idx, idx // gw, idx % gw], -1).astype(np.int16)
    traces, layout = [], {"showlegend": False, "annotations": [], "margin": dict(l=5, r=5, t=50, b=5)}
    for t in range(-1, T):
        i = t + 1
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        r, c = divmod(i, cols)
        traces.append(go.Image(source=src, x0=(f - 1) / 2, dx=f, y0=(f - 1) / 2, dy=f, hoverinfo="skip",
                               xaxis=xa, yaxis=ya, name="image"))
        if t >= 0:
            traces.append(go.Heatmap(
                z=np.round(maps[t], 4), x0=P / 2 - 0.5, dx=P, y0=P / 2 - 0.5, dy=P, zmin=lo, zmax=hi,
                colorscale="Viridis", opacity=opacity, zsmooth=False, customdata=cd, xaxis=xa, yaxis=ya,
                showscale=t == 0, colorbar=dict(title=dict(text="cos"), lenmode="pixels", len=panel_px, y=1,
                                                yanchor="top"),
                name=prompts[t], hovertemplate=f"{prompts[t]}<br>patch %{{customdata[0]}} (row %{{customdata[1]}}, "
                                               f"col %{{customdata[2]}})<br>cos = %{{z:.4f}}<extra></extra>"))
        xd = [c * (wd + gx), c * (wd + gx) + wd]
        yd = [1 - (r + 1) * ht - r * gy, 1 - r * (ht + gy)]
        layout[f"xaxis{ax}"] = dict(domain=xd, range=[-0.5, W - 0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, ticks="", anchor=ya, constrain="domain")
        layout[f"yaxis{ax}"] = dict(domain=yd, range=[H - 0.5, -0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, ticks="", anchor=xa, scaleanchor=xa, constrain="domain",
                                    constraintoward="top")
        text = "the image<br>(what the model sees)" if t < 0 else (
            f"{short_label(prompts[t], 24)}<br>image {cls_cos[t]:.2f} · patches {maps[t].min():.2f} to {maps[t].max():.2f}")
        layout["annotations"].append(dict(text=text, x=(xd[0] + xd[1]) / 2, y=yd[1], xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=12)))
    return figure(traces, layout, height=int(55 + rows * (panel_px + 40)))


def fig_training_curve(steps: Sequence[int], loss: Sequence[float], eval_steps: Sequence[int],
                       heldout_loss: Sequence[float], heldout_acc: Sequence[float], *, total: int,
                       chance: float | None = None) -> go.Figure:
    """Loss of the live training run: every step's batch loss, the held-out loss and top-1 accuracy.

    Args:
        steps, loss: per training step.
        eval_steps, heldout_loss, heldout_acc: per evaluation of the fixed held-out batch.
        total: planned steps (x range).
        chance: log(B) of the training batch (dashed), the loss of a model that sees no difference.

    Returns:
        Figure: traces "batch loss", "held-out loss" (left axis) and "held-out top-1" (right axis, 0..1).
    """
    traces = [go.Scatter(x=list(steps), y=np.round(np.asarray(loss, float), 4), mode="lines", name="batch loss",
                         line=dict(color="rgba(31,119,180,0.55)", width=1.5),
                         hovertemplate="step %{x}<br>batch loss %{y:.3f}<extra></extra>"),
              go.Scatter(x=list(eval_steps), y=np.round(np.asarray(heldout_loss, float), 4), mode="lines+markers",
                         name="held-out loss", line=dict(color=TEXT_RGB, width=2.5),
                         hovertemplate="step %{x}<br>held-out loss %{y:.3f}<extra></extra>"),
              go.Scatter(x=list(eval_steps), y=np.round(np.asarray(heldout_acc, float), 4), mode="lines+markers",
                         name="held-out top-1 (right axis)", yaxis="y2", line=dict(color="#2ca02c", width=2, dash="dot"),
                         hovertemplate="step %{x}<br>held-out top-1 %{y:.0%}<extra></extra>")]
    if chance is not None:
        traces.append(go.Scatter(x=[0, total], y=[chance, chance], mode="lines", name=f"log B = {chance:.2f}",
                                 line=dict(color="grey", dash="dash", width=1),
                                 hovertemplate=f"chance level log B = {chance:.3f}<extra></extra>"))
    layout = {"xaxis": dict(range=[0, total], title=dict(text="training step")),
              "yaxis": dict(title=dict(text="InfoNCE loss"), rangemode="tozero"),
              "yaxis2": dict(overlaying="y", side="right", range=[0, 1.05], tickformat=".0%", showgrid=False, dtick=0.25,
                             title=dict(text="held-out top-1")),
              "legend": dict(orientation="h", y=-0.25)}
    return figure(traces, layout, title="Loss while training", height=380)


def fig_live(hist: dict, captions: Sequence[str]) -> tuple[go.Figure, go.Figure]:
    """A live training run so far: the held-out batch's cosine matrix and the loss curves.

    Args:
        hist: ``mmviz.lessons.clip_similarity.live.history``'s dict (``cos`` (n, n), ``eval_steps``, ``steps``,
            ``loss``, ``heldout_loss``, ``heldout_acc``, ``total``, ``chance``).
        captions: the n held-out captions.
    """
    done = hist["eval_steps"][-1] if hist["eval_steps"] else 0
    n = len(captions)
    matrix = fig_similarity(hist["cos"], [f"#{i}" for i in range(n)], captions, K=n, annotate=False,
                            title=f"Held-out batch after {done} steps: cos(image i, caption j)", ztitle="cos",
                            zmin=-1.0, zmax=1.0, colorscale="RdBu_r", height=430)
    curve = fig_training_curve(hist["steps"], hist["loss"], hist["eval_steps"], hist["heldout_loss"],
                               hist["heldout_acc"], total=hist["total"], chance=hist["chance"])
    return matrix, curve
