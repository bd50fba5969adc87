"""Figures of the positional-encoding lesson: NumPy arrays in, ``go.Figure`` out.

Every figure has hover values. Big grids are ONE heatmap trace with ``customdata`` (never one
trace or shape per cell), and every figure is built in one step by ``common.figure`` (shared
layout, no ``update_*`` calls), so a re-render stays fast.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import figure, matrix_traces

__all__ = [
    "sinusoid_heatmap",
    "sinusoid_lines",
    "similarity_heatmap",
    "similarity_vs_distance",
    "permutation_figure",
    "patch_similarity_grid",
    "grid_similarity_tiles",
    "rope_score_heatmap",
    "rope_rotation_figure",
    "interpolation_figure",
    "relative_index_heatmap",
]


def _panels(rows: int, cols: int, titles: Sequence[str], *, hspace: float = 0.03,
            vspace: float = 0.1) -> tuple[dict, list[tuple[str, str]]]:
    """Layout of a rows x cols grid of axes (what make_subplots does, several times faster).

    Returns:
        layout: dict with xaxis, xaxis2, ... / yaxis, ... domains and one title annotation per
            panel (row-major).
        refs: per panel, the (xaxis, yaxis) names to give a trace, e.g. ("x2", "y2").
    """
    w = (1 - hspace * (cols - 1)) / cols
    h = (1 - vspace * (rows - 1)) / rows
    layout: dict = {"annotations": []}
    refs = []
    for k in range(rows * cols):
        r, c = divmod(k, cols)
        n = "" if k == 0 else str(k + 1)
        x0, y1 = c * (w + hspace), 1 - r * (h + vspace)
        layout[f"xaxis{n}"] = dict(domain=[max(0.0, x0), min(1.0, x0 + w)], anchor=f"y{n}")
        layout[f"yaxis{n}"] = dict(domain=[max(0.0, y1 - h), min(1.0, y1)], anchor=f"x{n}")
        layout["annotations"].append(dict(
            text=titles[k], x=x0 + w / 2, y=y1, xref="paper", yref="paper", xanchor="center",
            yanchor="bottom", showarrow=False, font=dict(size=13)))
        refs.append((f"x{n}", f"y{n}"))
    return layout, refs


def _f32(z: np.ndarray) -> np.ndarray:
    """float32 copy: half the payload of float64 once plotly encodes it as a typed array."""
    return np.asarray(z, dtype=np.float32)


def _matrix_axes(xtitle: str, ytitle: str, square: bool = True, shape: tuple[int, int] | None = None) -> dict:
    """Axes of a matrix heatmap: row 0 at the top, optionally square cells (the plot then hugs the colour bar
    on its right, instead of leaving it stranded at the figure's edge); ``shape`` fixes the ranges to the cells."""
    x = dict(title=dict(text=xtitle), constrain="domain", showgrid=False, zeroline=False)
    y = dict(title=dict(text=ytitle), autorange="reversed", constrain="domain", showgrid=False, zeroline=False)
    if square:
        x.update(scaleanchor="y", constraintoward="right")
    if shape is not None:
        y.pop("autorange")
        y["range"], x["range"] = [shape[0] - 0.5, -0.5], [-0.5, shape[1] - 0.5]
    return {"xaxis": x, "yaxis": y}


def _matrix(z: np.ndarray, *, colorscale: str, what: str, rows: str, cols: str, zmid: float | None = None,
            fmt: str = ".4f", zmin: float | None = None, zmax: float | None = None) -> list:
    """A matrix as a picture and a hover grid (exact up to 8192 cells) with a colour bar."""
    return matrix_traces(z, colorscale=colorscale, zmid=zmid, zmin=zmin, zmax=zmax, what=what, fmt=fmt, rows=rows,
                         cols=cols, max_hover=8192, colorbar=dict(title=dict(text=what), thickness=14))


def sinusoid_heatmap(pe: np.ndarray, *, title: str | None = None) -> go.Figure:
    """Position x dimension heatmap of a position table.

    Args:
        pe: (N, D) table, row = position, column = dimension.
    """
    traces = _matrix(pe, colorscale="RdBu_r", zmid=0, what="PE", rows="position", cols="dimension")
    return figure(traces, _matrix_axes("dimension", "position", square=False, shape=pe.shape), title=title, height=420)


def sinusoid_lines(pe: np.ndarray, dims: Sequence[int], *, title: str | None = None) -> go.Figure:
    """A few columns of a position table plotted against position.

    Args:
        pe: (N, D) table.
        dims: dimensions to draw (out-of-range ones are skipped).
    """
    N, D = pe.shape
    pos = np.arange(N)
    traces = [
        go.Scatter(
            x=pos, y=_f32(pe[:, d]), mode="lines", name=f"dim {d} ({'sin' if d % 2 == 0 else 'cos'})",
            hovertemplate=f"dim {d}<br>pos=%{{x}}<br>PE=%{{y:.4f}}<extra></extra>",
        )
        for d in dims
        if 0 <= d < D
    ]
    layout = {"xaxis": dict(title=dict(text="position")),
              "yaxis": dict(title=dict(text="PE value"), range=[-1.1, 1.1])}
    return figure(traces, layout, title=title, height=320)


def similarity_heatmap(sim: np.ndarray, *, title: str | None = None, label: str = "cos") -> go.Figure:
    """Position-to-position similarity matrix.

    Args:
        sim: (N, N), [i, j] similarity of positions i and j.
        label: name of the value in the hover ("cos", "dot", ...).
    """
    traces = _matrix(sim, colorscale="RdBu_r", zmid=0, what=label, rows="position i", cols="position j")
    return figure(traces, _matrix_axes("position j", "position i", shape=sim.shape), title=title, height=420)


def similarity_vs_distance(
    sim: np.ndarray, refs: Sequence[int], *, spread: float | None = None, title: str | None = None
) -> go.Figure:
    """Rows of the similarity matrix plotted against the offset j - i: the curves coincide
    when similarity depends on the distance only.

    Args:
        sim: (N, N) similarity.
        refs: reference positions i (out-of-range ones are skipped).
        spread: measured max spread along diagonals, shown in the title if given.
    """
    N = sim.shape[0]
    refs = [i for i in refs if 0 <= i < N]
    widths = np.linspace(7, 1.5, len(refs)) if len(refs) > 1 else [2]  # wide first: overlaps stay visible
    traces = [
        go.Scatter(
            x=np.arange(N) - i, y=_f32(sim[i]), mode="lines", name=f"i = {i}", customdata=np.arange(N),
            line=dict(width=float(w)), opacity=0.8,
            hovertemplate=f"i={i}<br>j=%{{customdata}}<br>j - i=%{{x}}<br>cos=%{{y:.4f}}<extra></extra>",
        )
        for i, w in zip(refs, widths)
    ]
    if title is None and spread is not None:
        title = f"Similarity vs offset j − i (max spread along a diagonal: {spread:.2e})"
    layout = {"xaxis": dict(title=dict(text="offset j − i")),
              "yaxis": dict(title=dict(text="cosine similarity"))}
    return figure(traces, layout, title=title, height=340)


def permutation_figure(case: dict, perm: np.ndarray, *, label: str, diff_max: float | None = None) -> go.Figure:
    """Inputs and outputs of attention before and after shuffling, side by side.

    Panels: x, x[perm] (shuffled), attn(x)[perm] (shuffled afterwards), attn(x[perm]), and
    |difference| of the last two. They are equal when attention is permutation-equivariant; the title shows the
    measured max difference.

    Args:
        case: one case of ``mmviz.pos_embed.permutation_demo`` ("x", "x_perm", "out",
            "out_perm", "out_then_perm" as (N, D) arrays and "max_diff").
        perm: (N,) permutation; slot k of the shuffled sequence holds token perm[k].
        label: name of the case, e.g. "no positions".
        diff_max: top of the |difference| colour scale (pass the same value to both cases so
            they compare); defaults to this case's max difference.
    """
    panels = [
        ("x", case["x"], False),
        ("x[perm]", case["x_perm"], True),
        ("attn(x)[perm]", case["out_then_perm"], True),
        ("attn(x[perm])", case["out_perm"], True),
        ("|difference|", np.abs(case["out_then_perm"] - case["out_perm"]), True),
    ]
    N, D = case["x"].shape
    perm = np.asarray(perm)
    layout, refs = _panels(1, 5, [p[0] for p in panels])
    lim_in = float(np.abs(case["x"]).max()) or 1.0
    lim_out = float(np.abs(case["out"]).max()) or 1.0
    traces = []
    for k, (name, z, shuffled) in enumerate(panels):
        token = np.broadcast_to((perm if shuffled else np.arange(N)).astype(np.int16)[:, None], (N, D))  # (N, D)
        traces.append(go.Heatmap(
            z=np.round(_f32(z), 4), customdata=token, coloraxis=["coloraxis", "coloraxis2", "coloraxis3"][min(k // 2, 2)],
            xaxis=refs[k][0], yaxis=refs[k][1],
            hovertemplate=(f"{name}<br>slot=%{{y}} (token %{{customdata}})<br>dim=%{{x}}"
                           "<br>value=%{z:.4f}<extra></extra>"),
        ))
        xa, ya = refs[k][0].replace("x", "xaxis"), refs[k][1].replace("y", "yaxis")
        layout[xa]["title"] = dict(text="dim")
        layout[ya].update(autorange="reversed", showticklabels=k == 0)
    layout["yaxis"]["title"] = dict(text="slot")
    layout["coloraxis"] = dict(colorscale="RdBu_r", cmin=-lim_in, cmax=lim_in, showscale=False)
    layout["coloraxis2"] = dict(colorscale="PuOr", cmin=-lim_out, cmax=lim_out, showscale=False)
    top = diff_max if diff_max is not None else case["max_diff"]
    layout["coloraxis3"] = dict(colorscale="Greys", cmin=0, cmax=max(float(top), 1e-12), showscale=False)
    title = f"{label}: max |attn(x)[perm] − attn(x[perm])| = {case['max_diff']:.2e}"
    return figure(traces, layout, title=title, height=360)


def grid_similarity_tiles(sim: np.ndarray, gh: int, gw: int) -> tuple[np.ndarray, np.ndarray]:
    """Lay out per-patch similarity maps as the ViT paper's grid of tiles (Fig. 7, centre).

    Tile (R, C) is the (gh, gw) map of similarities of patch (R, C) with every patch (r, c);
    tiles are separated by one row / column of NaN.

    Args:
        sim: (gh*gw, gh*gw) similarity between patches in row-major order.

    Returns:
        z: (gh*gh + gh-1, gw*gw + gw-1) values with NaN gaps.
        custom: same shape + (4,) holding (R, C, r, c) for each cell (-1 in the gaps).
    """
    t = sim.reshape(gh, gw, gh, gw).astype(np.float32)  # [R, C, r, c]
    R, C, r, c = np.meshgrid(np.arange(gh), np.arange(gw), np.arange(gh), np.arange(gw), indexing="ij")
    labels = np.stack([R, C, r, c], axis=-1)  # (gh, gw, gh, gw, 4)

    def tile(a: np.ndarray, fill: float) -> np.ndarray:  # (gh, gw, gh, gw, ...) -> 2D grid of tiles
        pad = [(0, 0), (0, 0), (0, 1), (0, 1)] + [(0, 0)] * (a.ndim - 4)
        a = np.pad(a, pad, constant_values=fill)  # (gh, gw, gh+1, gw+1, ...) one gap after each tile
        a = a.transpose(0, 2, 1, 3, *range(4, a.ndim))  # (gh, gh+1, gw, gw+1, ...) [R, r, C, c]
        a = a.reshape(gh * (gh + 1), gw * (gw + 1), *a.shape[4:])
        return a[:-1, :-1]  # drop the gap after the last tile

    return tile(t, np.nan), tile(labels, -1)


def patch_similarity_grid(sim: np.ndarray, gh: int, gw: int, *, title: str | None = None) -> go.Figure:
    """ViT Fig. 7 style: for every patch, its cosine similarity with all patches, as one heatmap.

    The colour scale runs from the smallest similarity shown to 1, as in the paper's figure.

    Args:
        sim: (gh*gw, gh*gw) cosine similarity between patch position embeddings.
        gh, gw: patch grid.
    """
    z, custom = grid_similarity_tiles(sim, gh, gw)
    trace = go.Heatmap(
        z=np.round(z, 4), customdata=custom.astype(np.int8), colorscale="Viridis", zmin=float(np.nanmin(z)), zmax=1,
        hoverongaps=False, colorbar=dict(title=dict(text="cos"), thickness=14),
        hovertemplate=("reference patch (row %{customdata[0]}, col %{customdata[1]})"
                       "<br>compared patch (row %{customdata[2]}, col %{customdata[3]})"
                       "<br>cos=%{z:.3f}<extra></extra>"),
    )
    layout = _matrix_axes("patch column (tile) → column inside tile", "patch row (tile) → row inside tile")
    layout["xaxis"]["showticklabels"] = layout["yaxis"]["showticklabels"] = False
    return figure([trace], layout, title=title, height=560)


def rope_score_heatmap(scores: np.ndarray, *, title: str | None = None) -> go.Figure:
    """RoPE score of a fixed query at position m against a fixed key at position n.

    Args:
        scores: (N, N), [m, n] = <R(m) q, R(n) k>.
    """
    traces = _matrix(scores, colorscale="RdBu_r", zmid=0, what="q·k", rows="query position m", cols="key position n")
    return figure(traces, _matrix_axes("key position n", "query position m", shape=scores.shape), title=title,
                  height=420)


def rope_rotation_figure(points: np.ndarray, theta: np.ndarray, *, title: str | None = None) -> go.Figure:
    """The first 2D pairs of a vector rotated by RoPE for positions 0..K-1, one circle per pair.

    The circles sit side by side on one pair of axes (pair i centred at x = i * spacing), drawn
    with three traces in all: circles, arrows from each centre, and the hoverable points.

    Args:
        points: (K, P, 2) pair i of the vector at position m (``rope_pair_trajectory``).
        theta: (P,) angle per position step of each pair, in radians.
    """
    K, P, _ = points.shape
    radius = np.linalg.norm(points[0], axis=-1)  # (P,) RoPE keeps every pair's length
    r_max = float(radius.max()) or 1.0
    spacing = 2.6 * r_max
    centre = np.arange(P) * spacing  # (P,) x of each circle's centre
    t = np.linspace(0, 2 * np.pi, 73)
    nan = np.full((P, 1), np.nan)
    circ_x = np.concatenate([centre[:, None] + radius[:, None] * np.cos(t), nan], axis=1).ravel()
    circ_y = np.concatenate([radius[:, None] * np.sin(t), nan], axis=1).ravel()
    px = points[..., 0] + centre  # (K, P) shifted to its circle
    py = points[..., 1]  # (K, P)
    gap = np.full((K, P), np.nan)
    arrow_x = np.stack([np.broadcast_to(centre, (K, P)), px, gap], axis=-1).ravel()
    arrow_y = np.stack([np.zeros((K, P)), py, gap], axis=-1).ravel()
    m, i = np.meshgrid(np.arange(K), np.arange(P), indexing="ij")  # (K, P) position, pair
    angle = np.degrees(m * theta[None, :P])  # (K, P)
    custom = np.stack([i, m, angle, points[..., 0], points[..., 1]], axis=-1).reshape(-1, 5)
    traces = [
        go.Scatter(x=circ_x, y=circ_y, mode="lines", line=dict(color="lightgrey"), hoverinfo="skip",
                   showlegend=False),
        go.Scatter(x=arrow_x, y=arrow_y, mode="lines", line=dict(color="rgba(76,110,245,0.35)"),
                   hoverinfo="skip", showlegend=False),
        go.Scatter(
            x=px.ravel(), y=py.ravel(), mode="markers+text", text=_circle_labels(angle).ravel(),
            textposition="top center", textfont=dict(size=13),
            marker=dict(size=9, color=m.ravel(), colorscale="Viridis", showscale=True,
                        colorbar=dict(title=dict(text="position m"), thickness=12, len=0.8)),
            customdata=custom, showlegend=False,
            hovertemplate=("pair %{customdata[0]}<br>position m=%{customdata[1]}"
                           "<br>angle m·θ=%{customdata[2]:.1f}°"
                           "<br>(x, y)=(%{customdata[3]:.3f}, %{customdata[4]:.3f})<extra></extra>"),
        ),
    ]
    layout = {
        "annotations": [dict(x=centre[k], y=1.3 * r_max, showarrow=False,
                             text=f"pair {k}: θ{k} = {theta[k]:.3g} rad") for k in range(P)],
        "xaxis": dict(visible=False, range=[-spacing / 2, centre[-1] + spacing / 2]),
        "yaxis": dict(visible=False, scaleanchor="x", range=[-1.45 * r_max, 1.45 * r_max]),
    }
    return figure(traces, layout, title=title, height=300)


def _circle_labels(angle_deg: np.ndarray, min_gap: float = 24.0) -> np.ndarray:
    """(K, P) position labels for the points on the RoPE circles, "" where a point would sit within
    ``min_gap`` degrees of a point already labelled on its circle (slow pairs and full turns pile up)."""
    K, P = angle_deg.shape
    out = np.full((K, P), "", dtype=object)
    for i in range(P):
        kept: list[float] = []
        for m in range(K):
            a = angle_deg[m, i] % 360.0
            if all(min(abs(a - b), 360.0 - abs(a - b)) >= min_gap for b in kept):
                kept.append(a)
                out[m, i] = str(m)
    return out


def interpolation_figure(
    old_maps: Sequence[np.ndarray],
    new_maps: Sequence[np.ndarray],
    row_labels: Sequence[str],
    *,
    title: str | None = None,
) -> go.Figure:
    """Maps over the patch grid before (old grid) and after interpolation (new grid), side by side.

    Args:
        old_maps: list of (oh, ow) maps on the old grid.
        new_maps: list of (nh, nw) maps on the new grid, same length.
        row_labels: one label per map pair (hover and panel titles).
    """
    n = len(old_maps)
    (oh, ow), (nh, nw) = old_maps[0].shape, new_maps[0].shape
    titles = []
    for lab in row_labels:
        titles += [f"{lab} — {oh}×{ow} (original)", f"{lab} — {nh}×{nw} (interpolated)"]
    layout, refs = _panels(n, 2, titles, hspace=0.08, vspace=0.12)
    traces = []
    for k, (old, new, lab) in enumerate(zip(old_maps, new_maps, row_labels)):
        ca = "coloraxis" if k == 0 else f"coloraxis{k + 1}"
        lo = float(min(np.nanmin(old), np.nanmin(new)))
        hi = float(max(np.nanmax(old), np.nanmax(new)))
        layout[ca] = dict(colorscale="RdBu_r", cmin=lo, cmax=max(hi, lo + 1e-6), showscale=False)
        for j, (z, grid) in enumerate([(old, f"{oh}×{ow}"), (new, f"{nh}×{nw}")]):
            xa, ya = refs[2 * k + j]
            traces.append(go.Heatmap(
                z=_f32(z), coloraxis=ca, xaxis=xa, yaxis=ya,
                hovertemplate=(f"{lab} on {grid}<br>row=%{{y}}<br>col=%{{x}}"
                               "<br>value=%{z:.4f}<extra></extra>")))
            layout[xa.replace("x", "xaxis")].update(constrain="domain")
            layout[ya.replace("y", "yaxis")].update(autorange="reversed", scaleanchor=xa, constrain="domain")
    return figure(traces, layout, title=title, height=330 * n)


def relative_index_heatmap(idx: np.ndarray, M: int, *, title: str | None = None) -> go.Figure:
    """Swin's relative position index: which learned bias each (query, key) pair of a window uses.

    Args:
        idx: (M*M, M*M) integer index, [i, j] for query token i and key token j.
        M: window side.
    """
    T = M * M
    i, j = np.meshgrid(np.arange(T), np.arange(T), indexing="ij")  # (T, T) each
    qi, qj = np.divmod(i, M)  # query row, column
    ki, kj = np.divmod(j, M)  # key row, column
    custom = np.stack([qi, qj, ki, kj, qi - ki, qj - kj], axis=-1).astype(np.int16)  # (T, T, 6)
    trace = go.Heatmap(
        z=np.asarray(idx, dtype=np.int16), customdata=custom, colorscale="Turbo",
        colorbar=dict(title=dict(text="index")),
        hovertemplate=("query token %{y} (row %{customdata[0]}, col %{customdata[1]})"
                       "<br>key token %{x} (row %{customdata[2]}, col %{customdata[3]})"
                       "<br>offset (dy, dx)=(%{customdata[4]}, %{customdata[5]})"
                       "<br>bias index=%{z}<extra></extra>"),
    )
    return figure([trace], _matrix_axes("key token j", "query token i"), title=title, height=420)
