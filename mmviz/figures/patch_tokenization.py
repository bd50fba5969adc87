"""Figures of the patch tokenization lesson: NumPy arrays in, ``go.Figure`` out.

Every figure carries hover values. Images are downsampled for display (at most ``max_px``
pixels a side) but all coordinates stay in the pixels of the tensor the model sees. Grid lines
are one scatter trace with ``None`` separators and hover comes from one invisible heatmap, so a
figure stays light however many patches there are.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import downsample, figure, grid_lines, image_uri, matrix_traces

__all__ = [
    "fig_patch_grid",
    "fig_patch_sequence",
    "fig_patch_matrix",
    "fig_projection",
    "fig_token_counts",
    "fig_tokenizations",
    "subsample_indices",
]

CHANNELS = "RGB"
CLS_COLOR = (255, 140, 0)
BOX_COLORS = ((255, 127, 14), (23, 190, 207))  # a token's window and its right neighbour's


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
def subsample_indices(n_rows: int, n_cols: int, max_cells: int, max_cols: int = 3072) -> tuple[np.ndarray, np.ndarray]:
    """Evenly spaced row / column indices so that a heatmap has at most ``max_cells`` cells.

    Returns:
        ``(rows, cols)`` integer index arrays (all indices when the matrix is small enough).
    """
    col_step = max(1, math.ceil(n_cols / max_cols))
    cols = np.arange(0, n_cols, col_step)
    max_rows = max(1, max_cells // len(cols))
    row_step = max(1, math.ceil(n_rows / max_rows))
    rows = np.arange(0, n_rows, row_step)
    return rows, cols


def _image(small: np.ndarray, f: int) -> go.Image:
    """``go.Image`` of a downsampled image placed in full-resolution pixel coordinates."""
    return go.Image(source=image_uri(small), x0=(f - 1) / 2, dx=f, y0=(f - 1) / 2, dy=f, hoverinfo="skip",
                    name="image")


def _boundaries(n: int, start: float, jump: int) -> list[float]:
    """Borders between neighbouring token cells along one axis (token ``i`` centred at ``start + i*jump``)."""
    return [start + (i + 0.5) * jump for i in range(n - 1)]


def _lines(xb: list[float], yb: list[float], W: int, H: int, color="rgba(255,255,255,0.85)", width=1.0,
           name="grid") -> go.Scatter:
    """Vertical lines at ``xb`` and horizontal lines at ``yb`` plus the image border, ONE trace."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    lo_x, hi_x, lo_y, hi_y = -0.5, W - 0.5, -0.5, H - 0.5
    for x in [lo_x, *xb, hi_x]:
        xs += [x, x, None]
        ys += [lo_y, hi_y, None]
    for y in [lo_y, *yb, hi_y]:
        xs += [lo_x, hi_x, None]
        ys += [y, y, None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=width), hoverinfo="skip",
                      showlegend=False, name=name)


def _box(y0: float, y1: float, x0: float, x1: float, rgb: tuple[int, int, int], name: str) -> go.Scatter:
    """A rectangle (pixel edges) as a scatter trace: solid outline, translucent fill."""
    a, b, c, d = x0 - 0.5, x1 + 0.5, y0 - 0.5, y1 + 0.5
    r, g, bl = rgb
    return go.Scatter(x=[a, b, b, a, a], y=[c, c, d, d, c], mode="lines", line=dict(color=f"rgb({r},{g},{bl})", width=2),
                      fill="toself", fillcolor=f"rgba({r},{g},{bl},0.35)", hoverinfo="skip", showlegend=False, name=name)


def _image_axes(H: int, W: int) -> dict:
    """Layout of pixel axes: row 0 at the top, square pixels, the view fitted to the image."""
    return {"xaxis": dict(range=[-0.5, W - 0.5], showgrid=False, zeroline=False, constrain="domain"),
            "yaxis": dict(range=[H - 0.5, -0.5], showgrid=False, zeroline=False, constrain="domain",
                          scaleanchor="x")}


# ---------------------------------------------------------------------------------------------
# 1. The patch grid over the image
# ---------------------------------------------------------------------------------------------
def fig_patch_grid(img: np.ndarray, patch_size: int, *, max_px: int = 448, title: str | None = None) -> go.Figure:
    """The image with its ``P x P`` patch grid; hover shows patch index, (row, col), pixel range.

    Args:
        img: ``(H, W, 3)`` uint8, the image the model sees (H, W divisible by ``patch_size``).
        patch_size: ``P``.
        max_px: longest displayed side; larger images are block-averaged for display only.

    Returns:
        Figure with 3 traces: the image, the grid lines (one trace), the invisible hover heatmap
        ``z`` of patch indices, shape ``(H/P, W/P)``.
    """
    H, W = img.shape[:2]
    P = patch_size
    gh, gw = H // P, W // P
    small, f = downsample(img, max_px)
    index = np.arange(gh * gw, dtype=np.int32).reshape(gh, gw)  # raster order
    r, c = np.divmod(index, gw)
    custom = np.stack([r, c, r * P, r * P + P - 1, c * P, c * P + P - 1], axis=-1).astype(np.int16)  # (gh, gw, 6)
    hover = go.Heatmap(
        z=index, x0=(P - 1) / 2, dx=P, y0=(P - 1) / 2, dy=P, opacity=0, showscale=False,
        customdata=custom, name="patches",
        hovertemplate=("patch %{z}<br>grid row %{customdata[0]}, col %{customdata[1]}"
                       "<br>pixels y %{customdata[2]}–%{customdata[3]}, x %{customdata[4]}–%{customdata[5]}"
                       "<extra></extra>"),
    )
    width = 1.0 if gw <= 64 else 0.5
    grid = grid_lines(gh, gw, P, P, color="rgba(255,255,255,0.85)", width=width)
    title = title or f"{gh}×{gw} = {gh * gw} patches of {P}×{P} px"
    return figure([_image(small, f), grid, hover], _image_axes(H, W), title=title, height=460)


# ---------------------------------------------------------------------------------------------
# 2. The patches as a sequence
# ---------------------------------------------------------------------------------------------
def fig_patch_sequence(patches: np.ndarray, patch_size: int, grid: tuple[int, int], *, channels: int = 3,
                       per_row: int = 20, max_tokens: int = 512, thumb_max: int = 16, gap: int = 2) -> go.Figure:
    """The patches laid out as the 1D sequence the transformer reads, [CLS] at position 0.

    Args:
        patches: ``(N, P*P*C)`` flattened patches in raster order, values in [0, 1]
            (the output of ``mmviz.patches.patchify`` for one image).
        patch_size: ``P``.
        grid: ``(gh, gw)`` patch grid (to say where each patch came from).
        per_row: sequence positions per displayed row (the sequence wraps like text).
        max_tokens: at most this many sequence positions are drawn (the rest are counted in the title).
        thumb_max: thumbnails larger than this are shown at a reduced size.

    Returns:
        Figure: the mosaic image, a "CLS" label, and an invisible hover heatmap whose ``z`` is
        the sequence position.
    """
    N = patches.shape[0]
    P, C = patch_size, channels
    gh, gw = grid
    shown = min(N + 1, max_tokens)  # sequence positions drawn, incl. [CLS]
    thumbs = patches[: shown - 1].reshape(-1, P, P, C)  # (n, P, P, C), the (P, P, C) flattening
    t = P if P <= thumb_max else P // math.ceil(P / thumb_max)
    idx = (np.arange(t) * P / t).astype(int)
    thumbs = thumbs[:, idx][:, :, idx]  # (n, t, t, C), nearest-neighbour thumbnails
    thumbs = np.round(np.clip(thumbs, 0, 1) * 255).astype(np.uint8)
    per_row = min(per_row, shown)
    n_rows = math.ceil(shown / per_row)
    pitch = t + gap
    mosaic = np.full((n_rows * pitch - gap, per_row * pitch - gap, 3), 255, dtype=np.uint8)
    pos = np.full((n_rows, per_row), np.nan)
    custom = np.full((n_rows, per_row, 7), -1, dtype=np.int32)  # position, patch, grid row, col, pixel y0/y1, x0
    for s in range(shown):
        rr, cc = divmod(s, per_row)
        y, x = rr * pitch, cc * pitch
        if s == 0:
            mosaic[y: y + t, x: x + t] = CLS_COLOR
            continue
        k = s - 1
        mosaic[y: y + t, x: x + t] = thumbs[k]
        pos[rr, cc] = s
        custom[rr, cc] = [s, k, k // gw, k % gw, k // gw * P, k // gw * P + P - 1, k % gw * P]
    hover = go.Heatmap(z=pos, x0=(t - 1) / 2, dx=pitch, y0=(t - 1) / 2, dy=pitch, opacity=0, showscale=False,
                       customdata=custom, hoverongaps=False, name="sequence",
                       hovertemplate=(f"position %{{z}}: patch %{{customdata[1]}}<br>from grid row %{{customdata[2]}}, "
                                      f"col %{{customdata[3]}}<br>pixels y %{{customdata[4]}}–%{{customdata[5]}}, x "
                                      f"%{{customdata[6]}}–…+{P - 1}<extra></extra>"))
    label = go.Scatter(x=[(t - 1) / 2], y=[(t - 1) / 2], mode="markers+text", text=["[CLS]"],
                       textposition="top right", marker=dict(size=max(6, t), color="rgba(0,0,0,0)"),
                       textfont=dict(size=13, color="#a04000"), showlegend=False, name="[CLS]",
                       hovertemplate="position 0: the [CLS] token<br>a learned vector, not cut from the image"
                                     "<extra></extra>")
    Hm, Wm = mosaic.shape[:2]
    axes = {"xaxis": dict(range=[-0.5, Wm - 0.5], visible=False, constrain="domain"),
            "yaxis": dict(range=[Hm - 0.5, -14], visible=False, scaleanchor="x", constrain="domain")}
    more = f" (first {shown} shown)" if shown < N + 1 else ""
    title = f"[CLS] + {N:,} patches = {N + 1:,} positions{more}"
    traces = [go.Image(source=image_uri(mosaic, 88), hoverinfo="skip", name="patches"), hover, label]
    return figure(traces, axes, title=title, height=max(220, min(520, 100 + n_rows * 30)))


# ---------------------------------------------------------------------------------------------
# 3. The matrices
# ---------------------------------------------------------------------------------------------
def _feature_labels(cols: np.ndarray, P: int, C: int) -> list[str]:
    """Names of flattened-patch features: index -> (y, x, channel) inside the patch."""
    out = []
    for f in cols:
        pix, ch = divmod(int(f), C)
        py, px = divmod(pix, P)
        out.append(f"{f} (y{py}, x{px}, {CHANNELS[ch] if C == 3 else ch})")
    return out


def fig_patch_matrix(patches: np.ndarray, patch_size: int, *, channels: int = 3, exact: bool = False) -> go.Figure:
    """The flattened patch matrix ``x_p`` of shape ``N x (P*P*C)`` as a picture with a hover grid.

    Args:
        patches: ``(N, P*P*C)`` values in [0, 1].
        patch_size: ``P`` (to name the features as (y, x, channel) inside the patch in the axis title).
        exact: hover every value (else a pooled grid of at most 4096 cells).

    Returns:
        Figure: the picture of every value (grey: 0 black, 1 white), the hover heatmap (value ×255), tick
        numbers on both axes (token index, feature index).
    """
    N, dim = patches.shape
    P, C = patch_size, channels
    z = np.round(np.clip(patches, 0, 1) * 255)
    traces = matrix_traces(z, colorscale="Greys_r", zmin=0, zmax=255, what="value×255", fmt=".0f", rows="token",
                           cols="feature", exact=exact, name="x_p",
                           colorbar=dict(title=dict(text="value×255"), thickness=14))
    axes = {"xaxis": dict(title=dict(text=f"feature f = (y·{P} + x)·{C} + channel  (P·P·C = {dim:,})"),
                          range=[-0.5, dim - 0.5], showgrid=False, zeroline=False),
            "yaxis": dict(title=dict(text=f"token (N = {N:,})"), range=[N - 0.5, -0.5], showgrid=False,
                          zeroline=False)}
    return figure(traces, axes, title=f"x_p: {N:,} × {dim:,} flattened patches", height=420)


def fig_projection(tokens: np.ndarray, *, has_cls: bool = True, exact: bool = False) -> go.Figure:
    """The projected tokens ``z_0`` (before positions) of shape ``(N + 1) x D`` as a picture with a hover grid.

    Args:
        tokens: ``(N + 1, D)`` with the [CLS] token in row 0 (or ``(N, D)`` with ``has_cls=False``).
        exact: hover every value (else a pooled grid of at most 4096 cells).

    Returns:
        Figure: the picture, the hover heatmap, a colour bar; row 0 is [CLS] (marked on the y axis).
    """
    T, D = tokens.shape
    lim = float(np.abs(tokens).max()) or 1.0
    traces = matrix_traces(tokens, colorscale="RdBu_r", zmin=-lim, zmax=lim, what="value", fmt=".3f",
                           rows="position", cols="feature", exact=exact, name="z0",
                           colorbar=dict(title=dict(text="value"), thickness=14))
    ytitle = f"sequence position ({T:,} = N + 1; 0 = [CLS])" if has_cls else f"token (N = {T:,})"
    axes = {"xaxis": dict(title=dict(text=f"embedding feature (D = {D})"), range=[-0.5, D - 0.5], showgrid=False,
                          zeroline=False),
            "yaxis": dict(title=dict(text=ytitle), range=[T - 0.5, -0.5], showgrid=False, zeroline=False)}
    return figure(traces, axes, title=f"[x_cls; x_p E]: {T:,} × {D} tokens (untrained E)", height=420)


# ---------------------------------------------------------------------------------------------
# 4. Cost versus patch size
# ---------------------------------------------------------------------------------------------
def fig_token_counts(rows: list[dict], current: int) -> go.Figure:
    """Token count N (bars) and attention cost N² (line, log axis) for each patch size.

    Args:
        rows: output of ``mmviz.patches.token_counts`` (``patch_size``, ``grid``, ``n_tokens``,
            ``seq_len``, ``attn_pairs``, ``patch_dim``).
        current: the chosen patch size, highlighted.

    Returns:
        Figure with a bar trace (N) and a line trace (N², on a log y axis on the right).
    """
    xs = [f"P={r['patch_size']}" for r in rows]
    n = [r["n_tokens"] for r in rows]
    pairs = [r["attn_pairs"] for r in rows]
    custom = [[r["grid"][0], r["grid"][1], r["seq_len"], r["patch_dim"]] for r in rows]
    colors = ["#d62728" if r["patch_size"] == current else "#9ecae1" for r in rows]
    bars = go.Bar(x=xs, y=n, marker_color=colors, name="tokens N", customdata=custom,
                  hovertemplate=("%{x}: grid %{customdata[0]}×%{customdata[1]}<br>N = %{y:,} tokens"
                                 "<br>with [CLS]: %{customdata[2]:,}<br>P²C = %{customdata[3]:,}<extra></extra>"))
    line = go.Scatter(x=xs, y=pairs, yaxis="y2", mode="lines+markers", name="attention pairs N² (right axis)",
                      line=dict(color="#2ca02c"), marker=dict(size=[12 if r["patch_size"] == current else 7 for r in rows]),
                      hovertemplate="%{x}<br>N² = %{y:,} pairs<extra></extra>")
    layout = dict(
        yaxis=dict(title=dict(text="tokens N"), rangemode="tozero"),
        yaxis2=dict(title=dict(text="attention pairs N² (log)"), type="log", overlaying="y", side="right",
                    showgrid=False, dtick=1, exponentformat="power"),
        # the counts sit under the bars, in the tick labels: nothing to collide with the line's markers
        xaxis=dict(title=dict(text="patch size P, and the tokens N it gives"), tickmode="array", tickvals=xs,
                   ticktext=[f"P={r['patch_size']}<br><b>{v:,}</b>" for r, v in zip(rows, n)]),
        legend=dict(orientation="h", y=-0.32),
        margin=dict(l=10, r=10, t=48, b=10),
    )
    title = f"Halving P multiplies N by 4 and N² by 16 (current: P={current})"
    return figure([bars, line], layout, title=title, height=380)


# ---------------------------------------------------------------------------------------------
# 5. Three tokenizations side by side
# ---------------------------------------------------------------------------------------------
def fig_tokenizations(img: np.ndarray, summary: list[dict], *, max_px: int = 224) -> go.Figure:
    """The three tokenizers on the same image: token cells, and the window two neighbours see.

    Args:
        img: ``(H, W, 3)`` uint8, the image the model sees.
        summary: output of ``mmviz.patches.tokenization_summary`` (3 dicts with ``name``,
            ``grid``, ``n_tokens``, ``token_dim``, ``receptive_field``, ``stride``, ``rf_start``).
        max_px: longest displayed side per panel.

    Returns:
        A 1 x 3 figure; per panel: image, cell borders (one trace), two receptive-field boxes
        (a token and its right neighbour: they touch for plain patches, overlap for the others),
        and an invisible hover heatmap with ``z`` of shape ``grid`` (token indices).
    """
    H, W = img.shape[:2]
    small, f = downsample(img, max_px)
    k = len(summary)
    gap = 0.035
    width = (1 - gap * (k - 1)) / k
    traces: list = []
    layout: dict = {"margin": dict(l=10, r=10, t=80, b=10), "showlegend": False, "annotations": []}
    for i, s in enumerate(summary):
        ax = "" if i == 0 else str(i + 1)
        xa, ya = f"x{ax}", f"y{ax}"
        gh, gw = s["grid"]
        rf, jump, start = s["receptive_field"], s["stride"], s["rf_start"]
        centers_y = start + jump * np.arange(gh)
        centers_x = start + jump * np.arange(gw)
        img_tr = _image(small, f)
        img_tr.update(xaxis=xa, yaxis=ya)
        lines = _lines(_boundaries(gw, start, jump), _boundaries(gh, start, jump), W, H,
                       width=0.5 if max(gh, gw) > 32 else 1.0)
        lines.update(xaxis=xa, yaxis=ya)
        index = np.arange(gh * gw, dtype=np.int32).reshape(gh, gw)
        r, c = np.divmod(index, gw)
        half = (rf - 1) / 2
        lo_y, lo_x = np.floor(centers_y - half).astype(int), np.floor(centers_x - half).astype(int)
        custom = np.stack([r, c, lo_y[r], lo_y[r] + rf - 1, lo_x[c], lo_x[c] + rf - 1], axis=-1).astype(np.int16)
        hover = go.Heatmap(
            z=index, x=centers_x, y=centers_y, opacity=0, showscale=False, customdata=custom, xaxis=xa, yaxis=ya,
            name=s["name"],
            hovertemplate=(f"{s['name']}<br>token %{{z}} of {gh * gw}<br>grid row %{{customdata[0]}}, col %{{customdata[1]}}"
                           "<br>sees pixels y %{customdata[2]}–%{customdata[3]}, x %{customdata[4]}–%{customdata[5]}"
                           f"<br>({rf}×{rf} window, stride {jump}; outside the image = zero padding)<extra></extra>"),
        )
        rr, cc = gh // 2, max(0, gw // 2 - 1)
        boxes = []
        for j, col in enumerate((cc, cc + 1)):
            if col >= gw:
                continue
            b = _box(lo_y[rr], lo_y[rr] + rf - 1, lo_x[col], lo_x[col] + rf - 1, BOX_COLORS[j], f"window {j}")
            b.update(xaxis=xa, yaxis=ya)
            boxes.append(b)
        traces += [img_tr, lines, hover, *boxes]
        dom = [i * (width + gap), i * (width + gap) + width]
        layout[f"xaxis{ax}"] = dict(domain=dom, range=[-0.5, W - 0.5], showgrid=False, zeroline=False, anchor=ya,
                                    showticklabels=False)
        layout[f"yaxis{ax}"] = dict(range=[H - 0.5, -0.5], showgrid=False, zeroline=False, anchor=xa,
                                    scaleanchor=xa, showticklabels=False)
        overlap = "overlapping" if s["overlap"] else "non-overlapping"
        layout["annotations"].append(dict(
            text=f"<b>{s['name']}</b><br>{gh}×{gw} = {s['n_tokens']:,} tokens, D={s['token_dim']}<br>{rf}×{rf} windows, stride {jump} ({overlap})",
            x=(dom[0] + dom[1]) / 2, y=1.0, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
            showarrow=False, font=dict(size=12)))
    return figure(traces, layout, height=400)
