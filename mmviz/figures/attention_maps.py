"""Figures of the attention maps lesson: NumPy arrays in, ``go.Figure`` out.

Overlays are one JPEG data-URI image plus one semi-transparent heatmap per panel (hover from the
heatmap's ``customdata``), so a figure of twelve heads stays a few tens of kB. Panels are laid out
with explicit axis domains (no ``make_subplots``) and built in one step with ``figure()``.
"""

from __future__ import annotations

import math

import numpy as np
from plotly.colors import hex_to_rgb
from plotly.colors import sequential as _seq
import plotly.graph_objects as go

from mmviz.figures.common import TEXT_PX, downsample, figure, image_uri, matrix_traces

__all__ = [
    "token_labels",
    "fig_head_maps",
    "fig_masks",
    "fig_query_picker",
    "fig_attention_matrix",
    "fig_attention_distance",
    "fig_worked_example",
]

# Inferno spelled as rgb() stops: Streamlit's chart theme rewrites the hex "#000004" (Inferno's
# minimum) into its own pink, so the named scale drew zero attention pink.
MAP_COLORSCALE = [[i / (len(_seq.Inferno) - 1), "rgb({},{},{})".format(*hex_to_rgb(c))]
                  for i, c in enumerate(_seq.Inferno)]
QUERY_RGB = "rgb(0,229,255)"


def token_labels(grid: tuple[int, int]) -> list[str]:
    """Names of the T = 1 + gh*gw tokens: "[CLS]", then "patch k (r, c)" in raster order."""
    gh, gw = grid
    return ["[CLS]"] + [f"patch {k} (r{k // gw}, c{k % gw})" for k in range(gh * gw)]


def _patch_custom(grid: tuple[int, int]) -> np.ndarray:
    """(gh, gw, 3) int16: patch index, row, column of every cell (for hover)."""
    gh, gw = grid
    idx = np.arange(gh * gw, dtype=np.int16).reshape(gh, gw)
    return np.stack([idx, idx // gw, idx % gw], axis=-1)


def _query_box(query: int, grid: tuple[int, int], P: int, xa: str, ya: str) -> go.Scatter:
    """Outline of patch ``query`` (patch index, not token index) in pixel coordinates."""
    gw = grid[1]
    r, c = divmod(query, gw)
    x0, x1, y0, y1 = c * P - 0.5, (c + 1) * P - 0.5, r * P - 0.5, (r + 1) * P - 0.5
    return go.Scatter(x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines", xaxis=xa, yaxis=ya,
                      line=dict(color=QUERY_RGB, width=3), hoverinfo="skip", showlegend=False, name="query")


def _panels(img: np.ndarray, zs: list[np.ndarray], P: int, titles: list[str], hovers: list[str], *,
            cols: int, colorscale, opacity: float, zmaxes: list[float], customs: list[np.ndarray],
            query: int | None = None, max_px: int = 224, panel_px: int = 230) -> go.Figure:
    """A grid of image panels, each with one heatmap overlay of shape (gh, gw)."""
    H, W = img.shape[:2]
    small, f = downsample(img, max_px)
    src = image_uri(small, quality=85)
    gh, gw = zs[0].shape
    n = len(zs)
    cols = max(1, min(cols, n))
    rows = math.ceil(n / cols)
    # every panel's title gets its own band of pixels above the panel (it overlapped the images above)
    title_px, top, bottom = TEXT_PX + 14, 14, 5
    panel_h = int(panel_px * min(1.6, H / W))
    plot_h = rows * panel_h + rows * title_px
    height = plot_h + top + bottom
    gap_x, band = 0.02, title_px / plot_h
    wd, ht = (1 - gap_x * (cols - 1)) / cols, panel_h / plot_h
    traces: list = []
    layout: dict = {"margin": dict(l=5, r=5, t=top, b=bottom), "showlegend": False, "annotations": []}
    for i, (z, title) in enumerate(zip(zs, titles)):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        r, c = divmod(i, cols)
        traces.append(go.Image(source=src, x0=(f - 1) / 2, dx=f, y0=(f - 1) / 2, dy=f, hoverinfo="skip",
                               xaxis=xa, yaxis=ya, name="image"))
        traces.append(go.Heatmap(
            z=np.round(z, 5).astype(np.float32), x0=P / 2 - 0.5, dx=P, y0=P / 2 - 0.5, dy=P, zmin=0,
            zmax=max(zmaxes[i], 1e-9), colorscale=colorscale, opacity=opacity, showscale=False,
            customdata=customs[i], xaxis=xa, yaxis=ya, name=title, hovertemplate=hovers[i], zsmooth=False))
        if query is not None:
            traces.append(_query_box(query, (gh, gw), P, xa, ya))
        xd = [c * (wd + gap_x), c * (wd + gap_x) + wd]
        y1 = 1 - r * (ht + band) - band
        yd = [max(0.0, y1 - ht), y1]
        layout[f"xaxis{ax}"] = dict(domain=xd, range=[-0.5, W - 0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, anchor=ya)
        layout[f"yaxis{ax}"] = dict(domain=yd, range=[H - 0.5, -0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, anchor=xa, scaleanchor=xa)
        layout["annotations"].append(dict(text=title, x=(xd[0] + xd[1]) / 2, y=yd[1], xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", yshift=2, showarrow=False,
                                          font=dict(size=TEXT_PX - 1)))
    return figure(traces, layout, height=height)


def fig_head_maps(img: np.ndarray, maps: np.ndarray, patch_size: int, *, what: str = "[CLS] →",
                  query: int | None = None, cols: int = 4, titles: list[str] | None = None,
                  opacity: float = 0.6) -> go.Figure:
    """Attention of one query to every patch, one overlay panel per head.

    Args:
        img: (H, W, 3) uint8, the image the model saw.
        maps: (h, gh, gw) attention weights, one map per head.
        patch_size: P (H = gh*P, W = gw*P).
        what: text naming the query, used in the hover ("[CLS] →", "patch 12 →").
        query: patch index to outline in every panel (None: no outline).
        cols: panels per row.
        titles: panel titles (default "head i · max w").
        opacity: of the colour overlay.

    Returns:
        Figure with, per head, an image trace and a heatmap whose ``z`` is (gh, gw); each head has
        its own colour range (0 .. its max) and the hover gives head, patch, row, column and weight.
    """
    maps = np.asarray(maps, dtype=np.float32)
    h, gh, gw = maps.shape
    custom = _patch_custom((gh, gw))
    titles = titles or [f"head {i} · max {maps[i].max():.3f}" for i in range(h)]
    hovers = [f"head {i}<br>{what} patch %{{customdata[0]}} (row %{{customdata[1]}}, col %{{customdata[2]}})"
              f"<br>weight %{{z:.4f}}<extra></extra>" for i in range(h)]
    return _panels(img, list(maps), patch_size, titles, hovers, cols=cols, colorscale=MAP_COLORSCALE,
                   opacity=opacity, zmaxes=[float(m.max()) for m in maps], customs=[custom] * h, query=query)


def fig_masks(img: np.ndarray, masks: np.ndarray, maps: np.ndarray, patch_size: int, keep: float, *,
              cols: int = 4, titles: list[str] | None = None) -> go.Figure:
    """DINO-style thresholded masks: the patches outside each head's mask are darkened.

    Args:
        img: (H, W, 3) uint8.
        masks: (h, gh, gw) bool, True = kept (see `mmviz.lessons.attention_maps.dino_mask`).
        maps: (h, gh, gw) the weights the masks were made from (shown on hover).
        patch_size: P.
        keep: the kept fraction of the mass (for titles and hover).

    Returns:
        Figure with per head an image and a heatmap whose ``z`` (gh, gw) is 1 inside the mask, 0 outside.
    """
    masks = np.asarray(masks, dtype=bool)
    maps = np.asarray(maps, dtype=np.float32)
    h, gh, gw = masks.shape
    base = _patch_custom((gh, gw)).astype(np.float32)
    customs, hovers = [], []
    tot = maps.reshape(h, -1).sum(1)
    for i in range(h):
        customs.append(np.concatenate([base, np.round(maps[i], 5)[..., None]], axis=-1))
        hovers.append(f"head {i}<br>patch %{{customdata[0]}} (row %{{customdata[1]}}, col %{{customdata[2]}})"
                      f"<br>weight %{{customdata[3]:.4f}}<br>in the {keep:.0%} mask: %{{z}}<extra></extra>")
    titles = titles or [f"head {i} · {int(masks[i].sum())}/{gh * gw} patches hold "
                        f"{maps[i][masks[i]].sum() / max(tot[i], 1e-12):.0%}" for i in range(h)]
    scale = [[0.0, "rgba(0,0,0,0.75)"], [1.0, "rgba(0,0,0,0)"]]
    return _panels(img, [m.astype(np.uint8) for m in masks], patch_size, titles, hovers, cols=cols,
                   colorscale=scale, opacity=1.0, zmaxes=[1.0] * h, customs=customs)


def fig_query_picker(img: np.ndarray, grid: tuple[int, int], patch_size: int, query: int) -> go.Figure:
    """The image with one clickable marker per patch; the chosen query patch is outlined.

    Args:
        img: (H, W, 3) uint8.
        grid: (gh, gw).
        patch_size: P.
        query: chosen patch index.

    Returns:
        Figure: image, a scatter of gh*gw transparent square markers at the patch centres (trace 1;
        ``point_index`` = patch index, for ``on_select``) and the query outline.
    """
    H, W = img.shape[:2]
    gh, gw = grid
    P = patch_size
    small, f = downsample(img, 448)
    k = np.arange(gh * gw)
    r, c = k // gw, k % gw
    marker_px = max(4, int(300 / max(gh, gw)))
    pts = go.Scatter(
        x=(c * P + P / 2 - 0.5).astype(np.float32), y=(r * P + P / 2 - 0.5).astype(np.float32), mode="markers",
        marker=dict(symbol="square", size=marker_px, color="rgba(255,255,255,0.01)",
                    line=dict(width=0.5, color="rgba(255,255,255,0.35)")),
        customdata=np.stack([k, r, c], -1).astype(np.int16), name="patches",
        hovertemplate="patch %{customdata[0]} (row %{customdata[1]}, col %{customdata[2]})<br>click to make it the query<extra></extra>",
    )
    img_tr = go.Image(source=image_uri(small, quality=85), x0=(f - 1) / 2, dx=f, y0=(f - 1) / 2, dy=f,
                      hoverinfo="skip", name="image")
    layout = {"xaxis": dict(range=[-0.5, W - 0.5], showgrid=False, zeroline=False, showticklabels=False),
              "yaxis": dict(range=[H - 0.5, -0.5], showgrid=False, zeroline=False, showticklabels=False,
                            scaleanchor="x"),
              "showlegend": False, "clickmode": "event+select", "dragmode": False,
              "margin": dict(l=5, r=5, t=40, b=5)}
    return figure([img_tr, pts, _query_box(query, grid, P, "x", "y")], layout,
                  title=f"query: patch {query} (row {query // gw}, col {query % gw})", height=int(80 + 300 * H / W))


def fig_attention_matrix(attn: np.ndarray, grid: tuple[int, int], *, title: str = "", query: int | None = None) -> go.Figure:
    """The full T×T attention matrix of one head: row = query token, column = key token.

    Args:
        attn: (T, T) post-softmax, rows sum to 1.
        grid: (gh, gw), T = 1 + gh*gw.
        title: figure title.
        query: token index whose row is outlined.

    Returns:
        Figure with one heatmap, ``z`` (T, T); the colour range stops at the 99th percentile so
        that structure stays visible, the hover gives the exact weight.
    """
    a = np.asarray(attn, dtype=np.float32)
    T = a.shape[0]
    zmax = float(np.quantile(a, 0.99)) or float(a.max())
    traces = matrix_traces(a, colorscale="Viridis", zmin=0, zmax=zmax, what="weight", fmt=".4f", rows="query token",
                           cols="key token", max_hover=16_384, name="attention",
                           colorbar=dict(title=dict(text="weight"), thickness=14))
    if query is not None:
        traces.append(go.Scatter(x=[-0.5, T - 0.5], y=[query, query], mode="lines",
                                 line=dict(color=QUERY_RGB, width=1.5), hoverinfo="skip", name="query row"))
    gh, gw = grid
    layout = {"xaxis": dict(title=dict(text=f"key token (T = {T}; 0 = [CLS], k+1 = patch k)"), range=[-0.5, T - 0.5],
                            showgrid=False, zeroline=False, constrain="domain", constraintoward="right"),
              "yaxis": dict(title=dict(text="query token"), range=[T - 0.5, -0.5], showgrid=False, zeroline=False,
                            scaleanchor="x", constrain="domain"),
              "showlegend": False}
    return figure(traces, layout, title=title, height=560)


def fig_attention_distance(distance: np.ndarray, entropy: np.ndarray, *, uniform_distance: float | None = None,
                           layer: int | None = None, head: int | None = None, other: dict | None = None) -> go.Figure:
    """Mean attention distance of every head against depth (ViT paper, Fig. 7 right).

    Args:
        distance: (L, h) pixels.
        entropy: (L, h) nats (hover).
        uniform_distance: distance under uniform attention (dashed line).
        layer, head: the selected head, drawn larger.
        other: optional second model ``{"name", "distance" (L, h), "entropy" (L, h)}`` drawn in grey.

    Returns:
        Figure with one scatter point per head (x = layer index from 0, slightly spread by head), hover gives
        layer, head, distance and entropy.
    """
    def points(dist, ent, name, color, sel):
        L, h = dist.shape
        li, hi = np.meshgrid(np.arange(L), np.arange(h), indexing="ij")
        x = li + (hi - (h - 1) / 2) * min(0.5 / max(h, 1), 0.06)
        size = np.where((li == layer) & (hi == head), 15, 8) if sel else 7
        return go.Scatter(
            x=x.ravel().astype(np.float32), y=np.asarray(dist, np.float32).ravel(), mode="markers", name=name,
            marker=dict(size=size if np.isscalar(size) else size.ravel(), color=color, opacity=0.85,
                        line=dict(width=0.5, color="white")),
            customdata=np.stack([li.ravel(), hi.ravel(), np.asarray(ent, np.float32).ravel()], -1).astype(np.float32),
            hovertemplate=(f"{name}<br>layer %{{customdata[0]:.0f}}, head %{{customdata[1]:.0f}}"
                           "<br>mean distance %{y:.1f} px<br>entropy %{customdata[2]:.2f} nats<extra></extra>"))

    traces = []
    if other is not None:
        traces.append(points(other["distance"], other["entropy"], other["name"], "rgba(150,150,150,0.8)", False))
    traces.append(points(distance, entropy, "this model", "#1f77b4", True))
    L = distance.shape[0]
    if uniform_distance is not None:
        traces.append(go.Scatter(x=[-0.5, L - 0.5], y=[uniform_distance] * 2, mode="lines", name="uniform attention",
                                 line=dict(dash="dash", color="#d62728"),
                                 hovertemplate=f"uniform attention: {uniform_distance:.1f} px<extra></extra>"))
    layout = {"xaxis": dict(title=dict(text="network depth (layer, 0 = first block)"), tickmode="linear", tick0=0,
                            dtick=1, range=[-0.5, L - 0.5]),
              "yaxis": dict(title=dict(text="mean attention distance (pixels)"), rangemode="tozero"),
              "legend": dict(orientation="h", y=-0.2)}
    return figure(traces, layout, title="Mean attention distance of every head", height=380)


def fig_worked_example(ex: dict, labels: list[str]) -> go.Figure:
    """The heaviest keys of one attention row: the weights that multiply V.

    Args:
        ex: output of `mmviz.lessons.attention_maps.worked_example` (``scores``, ``scaled``, ``weights``,
            ``top``, ``v_norms``).
        labels: token names (see :func:`token_labels`).

    Returns:
        Horizontal bar chart of the top-k softmax weights; hover gives q·k, q·k/√d, the weight and ‖v‖.
    """
    top = np.asarray(ex["top"])
    w = ex["weights"][top]
    custom = np.stack([ex["scores"][top], ex["scaled"][top], ex["v_norms"][top]], -1).astype(np.float32)
    names = [labels[j] for j in top]
    bar = go.Bar(x=w.astype(np.float32), y=names, orientation="h", customdata=custom, marker_color="#ff7f0e",
                 text=[f"{v:.3f}" for v in w], textposition="outside", cliponaxis=False, name="weights",
                 textfont=dict(size=TEXT_PX - 1),
                 hovertemplate=("key %{y}<br>q·k = %{customdata[0]:.3f}<br>q·k/√d = %{customdata[1]:.3f}"
                                "<br>softmax weight %{x:.4f}<br>‖v‖ = %{customdata[2]:.3f}<extra></extra>"))
    layout = {"xaxis": dict(title=dict(text="softmax weight (multiplies v_j)"), rangemode="tozero"),
              "yaxis": dict(autorange="reversed"), "margin": dict(l=10, r=40, t=40, b=10)}
    return figure([bar], layout, title=f"Top {len(top)} keys: {w.sum():.0%} of the weight",
                  height=max(240, 60 + 28 * len(top)))
