"""Figures of the Swin windows lesson: NumPy arrays in, ``go.Figure`` out, hover values everywhere.

Partitions (windows, shifted windows, region labels) are one translucent categorical heatmap over
the image plus ONE scatter trace with the borders between cells of different ids, so a figure
stays light for any grid. Matrices (mask, attention, index, bias) share :func:`fig_matrix`, whose
hover names the query and key tokens by their (row, column) inside the window.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import TEXT_PX, downsample, figure, grid_lines, heatmap, image_uri

__all__ = ["PALETTE", "fig_partition", "fig_matrix", "fig_window_labels", "fig_reach", "fig_bias_lookup", "fig_stages",
           "fig_window_heads", "fig_cost"]

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
QUERY_RGB = "rgb(0,229,255)"


def _categorical(n: int = len(PALETTE)) -> list:
    """A step colour scale: integer z = k (0 <= k < n) gets PALETTE[k]."""
    scale = []
    for k in range(n):
        scale += [[k / n, PALETTE[k]], [(k + 1) / n, PALETTE[k]]]
    return scale


def _image(img: np.ndarray, xa: str = "x", ya: str = "y", max_px: int = 448) -> go.Image:
    small, f = downsample(img, max_px)
    return go.Image(source=image_uri(small, quality=85), x0=(f - 1) / 2, dx=f, y0=(f - 1) / 2, dy=f,
                    hoverinfo="skip", name="image", xaxis=xa, yaxis=ya)


def _edges(ids: np.ndarray, cell: float, xa: str = "x", ya: str = "y", color: str = "white",
           width: float = 2.5, name: str = "borders") -> go.Scatter:
    """Borders between neighbouring cells with different ids (plus the outer frame), one trace.

    Segments are separated by NaN (a gap in the line) in float arrays, which plotly validates fast."""
    H, W = ids.shape
    r, c = np.nonzero(ids[:, 1:] != ids[:, :-1])  # vertical segments right of (r, c)
    x = (c + 1) * cell - 0.5
    vx = np.stack([x, x, np.full_like(x, np.nan, dtype=float)], 1).ravel()
    vy = np.stack([r * cell - 0.5, (r + 1) * cell - 0.5, np.full(len(r), np.nan)], 1).ravel()
    r, c = np.nonzero(ids[1:, :] != ids[:-1, :])  # horizontal segments below (r, c)
    y = (r + 1) * cell - 0.5
    hx = np.stack([c * cell - 0.5, (c + 1) * cell - 0.5, np.full(len(c), np.nan)], 1).ravel()
    hy = np.stack([y, y, np.full_like(y, np.nan, dtype=float)], 1).ravel()
    X, Y = W * cell - 0.5, H * cell - 0.5
    xs = np.concatenate([vx, hx, [-0.5, X, X, -0.5, -0.5]]).astype(np.float32)
    ys = np.concatenate([vy, hy, [-0.5, -0.5, Y, Y, -0.5]]).astype(np.float32)
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=color, width=width), hoverinfo="skip",
                      showlegend=False, name=name, xaxis=xa, yaxis=ya, connectgaps=False)


def _axes(H: int, W: int, xa: str = "", domain: list | None = None) -> dict:
    x = dict(range=[-0.5, W - 0.5], showgrid=False, zeroline=False, showticklabels=False, ticks="",
             constrain="domain")
    y = dict(range=[H - 0.5, -0.5], showgrid=False, zeroline=False, showticklabels=False, ticks="",
             constrain="domain", scaleanchor=f"x{xa}")
    if domain is not None:
        x["domain"] = domain
        x["anchor"], y["anchor"] = f"y{xa}", f"x{xa}"
    return {f"xaxis{xa}": x, f"yaxis{xa}": y}


def fig_partition(img: np.ndarray, ids: np.ndarray, P: int, *, outline: np.ndarray | None = None,
                  real: np.ndarray | None = None, what: str = "window", custom: np.ndarray | None = None,
                  custom_hover: str = "", title: str | None = None, opacity: float = 0.35,
                  height: int = 430) -> go.Figure:
    """The image with each patch coloured by a categorical id (window, region label ...).

    Args:
        img: (Hp*P, Wp*P, 3) uint8, the (padded / rolled) image drawn underneath.
        ids: (Hp, Wp) int, the id of each patch; colour = id mod 9.
        P: patch side in pixels.
        outline: (Hp, Wp) ids whose borders are drawn white (default: ``ids``).
        real: (Hp, Wp) patch index shown in the hover (-1 = padding); default row-major.
        what: name of the id in the hover ("window", "region").
        custom: (Hp, Wp, k) extra hover values, referenced in ``custom_hover`` as %{customdata[2]} ...
        title, opacity, height: figure look.

    Returns:
        Figure: image, a heatmap ``z`` = ids mod 9 (Hp, Wp) whose hover gives row, column, patch and id,
        patch grid lines, and the borders between different ``outline`` ids.
    """
    Hp, Wp = ids.shape
    real = np.arange(Hp * Wp).reshape(Hp, Wp) if real is None else real
    base = np.stack([ids, real], -1)
    cd = base if custom is None else np.concatenate([base, custom], -1)
    heat = go.Heatmap(z=(ids % len(PALETTE)).astype(np.int8), x0=(P - 1) / 2, dx=P, y0=(P - 1) / 2, dy=P,
                      zmin=0, zmax=len(PALETTE), colorscale=_categorical(), opacity=opacity, showscale=False,
                      customdata=cd.astype(np.int32), name=what, zsmooth=False,
                      hovertemplate=(f"row %{{y:.0f}}, col %{{x:.0f}} (px)<br>patch %{{customdata[1]}} (-1 = padding)"
                                     f"<br>{what} %{{customdata[0]}}{custom_hover}<extra></extra>"))
    traces = [_image(img), heat, grid_lines(Hp, Wp, P, P, color="rgba(255,255,255,0.35)", width=0.5),
              _edges(ids if outline is None else outline, P)]
    return figure(traces, {**_axes(Hp * P, Wp * P), "showlegend": False}, title=title, height=height)


def fig_matrix(z: np.ndarray, M: int, *, title: str, ztitle: str = "value", colorscale="Viridis",
               zmin: float | None = None, zmax: float | None = None, custom: np.ndarray | None = None,
               custom_hover: str = "", fmt: str = ".4f", height: int = 420) -> go.Figure:
    """An N x N matrix over the tokens of one M x M window (N = M*M): row = query, column = key.

    Args:
        z: (N, N) values.
        M: window side (token t sits at row t // M, column t % M of the window).
        custom: (N, N, k) extra hover values, referenced as %{customdata[4]} ... in ``custom_hover``.

    Returns:
        Figure with one heatmap ``z`` (N, N); hover: query t (r, c), key t (r, c), value.
    """
    N = M * M
    t = np.arange(N)
    q = np.broadcast_to(t[:, None], (N, N))
    k = np.broadcast_to(t[None, :], (N, N))
    cd = np.stack([q // M, q % M, k // M, k % M], -1)
    if custom is not None:
        cd = np.concatenate([cd, custom], -1)
    heat = go.Heatmap(z=np.round(np.asarray(z, np.float64), 5), colorscale=colorscale, zmin=zmin, zmax=zmax,
                      customdata=cd.astype(np.int16 if custom is None else np.float32),
                      colorbar=dict(title=dict(text=ztitle), thickness=14), name=title,
                      hovertemplate=(f"query %{{y}} (r%{{customdata[0]}}, c%{{customdata[1]}})<br>key %{{x}} "
                                     f"(r%{{customdata[2]}}, c%{{customdata[3]}}){custom_hover}"
                                     f"<br>{ztitle} = %{{z:{fmt}}}<extra></extra>"))
    tick = max(1, N // 8)
    layout = {"xaxis": dict(title=dict(text="key token in the window"), dtick=tick, constrain="domain",
                            constraintoward="right", showgrid=False),
              "yaxis": dict(title=dict(text="query token"), autorange="reversed", dtick=tick, scaleanchor="x",
                            constrain="domain", showgrid=False)}
    return figure([heat], layout, title=title, height=height)


def fig_window_labels(labels: np.ndarray, window: int) -> go.Figure:
    """The region label of every token of one window (M, M): equal labels may attend to each other."""
    return heatmap(labels, xtitle="column in the window", ytitle="row in the window", ztitle="region label",
                   colorscale="Viridis", hover_fmt=".0f", height=360, title=f"Region labels inside window {window}")


def fig_reach(img: np.ndarray, first: np.ndarray, P: int, start: int, blocks: int, *,
              title: str | None = None) -> go.Figure:
    """Patches that can exchange information with ``start`` within ``blocks`` blocks.

    Args:
        img: (H, W, 3) uint8 with H = gh*P, W = gw*P.
        first: (gh, gw) int, block at which each patch is first reached (0 = start, -1 = never).
        P: patch side.
        start: the chosen patch (row-major index).
        blocks: how many blocks are shown (patches reached later are left clear).

    Returns:
        Figure: image, a heatmap ``z`` (gh, gw) = first block (NaN when not reached by ``blocks``), the
        patch grid and the chosen patch outlined; hover gives the block.
    """
    gh, gw = first.shape
    z = np.where((first >= 0) & (first <= blocks), first, np.nan).astype(np.float32)
    heat = go.Heatmap(z=z, x0=(P - 1) / 2, dx=P, y0=(P - 1) / 2, dy=P, zmin=0, zmax=max(blocks, 1),
                      colorscale="Viridis", opacity=0.6, zsmooth=False, name="reached",
                      colorbar=dict(title=dict(text="block"), dtick=1),
                      customdata=np.arange(gh * gw).reshape(gh, gw).astype(np.int32),
                      hovertemplate="patch %{customdata}<br>reached after block %{z:.0f}<extra></extra>")
    r, c = divmod(start, gw)
    box = go.Scatter(x=[c * P - 0.5, (c + 1) * P - 0.5, (c + 1) * P - 0.5, c * P - 0.5, c * P - 0.5],
                     y=[r * P - 0.5, r * P - 0.5, (r + 1) * P - 0.5, (r + 1) * P - 0.5, r * P - 0.5], mode="lines",
                     line=dict(color=QUERY_RGB, width=3), hoverinfo="skip", showlegend=False, name="patch")
    traces = [_image(img), heat, grid_lines(gh, gw, P, P, color="rgba(255,255,255,0.3)", width=0.5), box]
    return figure(traces, {**_axes(gh * P, gw * P), "showlegend": False}, title=title, height=430)


def fig_bias_lookup(table: np.ndarray, bias_row: np.ndarray, M: int, query: int, head: int) -> go.Figure:
    """Left: the ((2M-1) x (2M-1)) bias table of one head laid out by offset (dy, dx), with the M x M
    block of offsets the query uses outlined. Right: the bias the query adds to each key of the window.

    Args:
        table: (2M-1, 2M-1) biases of one head, row dy + M-1, column dx + M-1.
        bias_row: (M, M) or (M*M,) ``B[head, query]`` placed at the key positions.
        M: window side.
        query: query token (row-major in the window).
        head: head index (titles only).
    """
    S = 2 * M - 1
    bias_row = np.asarray(bias_row).reshape(M, M)
    qr, qc = divmod(query, M)
    off = np.arange(S) - (M - 1)
    dy, dx = np.meshgrid(off, off, indexing="ij")
    idx = (dy + M - 1) * S + (dx + M - 1)
    zmax = float(max(np.abs(table).max(), 1e-6))
    common = dict(colorscale="RdBu_r", zmid=0, zmin=-zmax, zmax=zmax, zsmooth=False)
    left = go.Heatmap(z=np.round(table, 4), customdata=np.stack([dy, dx, idx], -1).astype(np.int32), **common,
                      colorbar=dict(title=dict(text="bias"), x=1.0),
                      hovertemplate="offset dy=%{customdata[0]}, dx=%{customdata[1]}<br>table row %{customdata[2]}"
                                    "<br>bias %{z:.4f}<extra></extra>", name="table")
    kr, kc = np.meshgrid(np.arange(M), np.arange(M), indexing="ij")
    cd = np.stack([kr * M + kc, qr - kr, qc - kc, (qr - kr + M - 1) * S + (qc - kc + M - 1)], -1)
    right = go.Heatmap(z=np.round(bias_row, 4), xaxis="x2", yaxis="y2", customdata=cd.astype(np.int32), **common,
                       showscale=False, name="bias of the query",
                       hovertemplate="key %{customdata[0]}: offset dy=%{customdata[1]}, dx=%{customdata[2]}"
                                     "<br>table row %{customdata[3]}<br>bias %{z:.4f}<extra></extra>")
    # the offsets of query (qr, qc) to the keys: dy = qr - kr in [qr-M+1, qr] -> table rows qr .. qr+M-1
    y0, x0 = qr - (M - 1) + (M - 1), qc - (M - 1) + (M - 1)
    box = go.Scatter(x=[x0 - 0.5, x0 + M - 0.5, x0 + M - 0.5, x0 - 0.5, x0 - 0.5],
                     y=[y0 - 0.5, y0 - 0.5, y0 + M - 0.5, y0 + M - 0.5, y0 - 0.5], mode="lines",
                     line=dict(color="black", width=3), hoverinfo="skip", showlegend=False, name="used by the query")
    qbox = go.Scatter(x=[qc - 0.5, qc + 0.5, qc + 0.5, qc - 0.5, qc - 0.5],
                      y=[qr - 0.5, qr - 0.5, qr + 0.5, qr + 0.5, qr - 0.5], mode="lines", xaxis="x2", yaxis="y2",
                      line=dict(color=QUERY_RGB, width=3), hoverinfo="skip", showlegend=False, name="query")
    layout = {"xaxis": dict(domain=[0, 0.52], title=dict(text="dx + M − 1"), constrain="domain"),
              "yaxis": dict(autorange="reversed", title=dict(text="dy + M − 1"), scaleanchor="x", constrain="domain"),
              "xaxis2": dict(domain=[0.62, 0.95], title=dict(text="key column in the window"), constrain="domain"),
              "yaxis2": dict(autorange="reversed", anchor="x2", title=dict(text="key row"), scaleanchor="x2",
                             constrain="domain"),
              "showlegend": False}
    return figure([left, box, right, qbox], layout, height=380,
                  title=f"Head {head}: table ((2M−1)² = {S * S} entries) → bias of query {query} (r{qr}, c{qc})")


def _panels(img: np.ndarray, panels: list[tuple[str, list]], *, cols: int, panel_px: int = 250) -> go.Figure:
    """Image panels laid out with explicit axis domains; ``panels`` = [(title, extra traces)], the traces
    are moved onto the panel's axes."""
    H, W = img.shape[:2]
    rows = -(-len(panels) // cols)
    title_px, top, bottom = TEXT_PX + 14, 12, 5  # every title gets its own band above its panel
    panel_h = int(panel_px * min(1.5, H / W))
    plot_h = rows * (panel_h + title_px)
    gx, band, ht = 0.03, title_px / plot_h, panel_h / plot_h
    wd = (1 - gx * (cols - 1)) / cols
    traces, layout = [], {"showlegend": False, "annotations": [], "margin": dict(l=5, r=5, t=top, b=bottom)}
    for i, (title, extra) in enumerate(panels):
        ax = "" if i == 0 else str(i + 1)
        r, c = divmod(i, cols)
        xd = [max(0.0, c * (wd + gx)), min(1.0, c * (wd + gx) + wd)]
        y1 = 1 - r * (ht + band) - band
        yd = [max(0.0, y1 - ht), min(1.0, y1)]
        traces += [t.update(xaxis=f"x{ax}", yaxis=f"y{ax}") for t in [_image(img, max_px=256), *extra]]
        axes = _axes(H, W, ax, xd)
        axes[f"yaxis{ax}"]["domain"] = yd
        layout.update(axes)
        layout["annotations"].append(dict(text=title, x=(xd[0] + xd[1]) / 2, y=yd[1], xref="paper", yref="paper",
                                          yanchor="bottom", yshift=2, showarrow=False, font=dict(size=TEXT_PX - 1)))
    return figure(traces, layout, height=plot_h + top + bottom)


def fig_stages(img: np.ndarray, stages: list[dict], M: int) -> go.Figure:
    """One panel per stage: the image with that stage's token grid and its M x M windows.

    Args:
        img: (H, W, 3) uint8, the image the model saw.
        stages: dicts with ``grid`` (gh, gw), ``channels``, ``px`` (pixels per token side).
        M: window side (windows outlined every M tokens).

    Returns:
        Figure with per stage an image, an invisible hover heatmap ``z`` (gh, gw) of token indices, the token
        grid and the window borders.
    """
    panels = []
    for i, s in enumerate(stages):
        (gh, gw), p = s["grid"], s["px"]
        hover = go.Heatmap(z=np.arange(gh * gw).reshape(gh, gw), x0=(p - 1) / 2, dx=p, y0=(p - 1) / 2, dy=p,
                           opacity=0, showscale=False, name=f"stage {i}",
                           hovertemplate=f"stage {i}: token %{{z}}<br>{p}×{p} px, {s['channels']} channels<extra></extra>")
        win = (np.arange(gh)[:, None] // M) * 1000 + np.arange(gw)[None, :] // M
        panels.append((f"stage {i}: {gh}×{gw} tokens × {s['channels']} channels",
                       [hover, grid_lines(gh, gw, p, p, color="rgba(255,255,255,0.4)", width=0.5), _edges(win, p)]))
    return _panels(img, panels, cols=len(panels))


def fig_window_heads(img: np.ndarray, maps: np.ndarray, px: int, query: int | None, *, cols: int = 4,
                     what: str = "query") -> go.Figure:
    """Per head, where one query of one window looks: weights on the window's patches over the image.

    Args:
        img: (H, W, 3) uint8.
        maps: (h, gh, gw) weights, NaN outside the window (``mmviz.lessons.swin_windows.window_maps``).
        px: pixels per token side at this stage.
        query: patch index of the query (outlined), None when it is padding.
        what: names the query in the hover.

    Returns:
        Figure with per head an image and a heatmap ``z`` (gh, gw) from 0 to the head's max weight.
    """
    h, gh, gw = maps.shape
    idx = np.arange(gh * gw).reshape(gh, gw).astype(np.int32)
    panels = []
    for i in range(h):
        zmax = float(np.nanmax(maps[i])) if np.isfinite(maps[i]).any() else 1.0
        extra = [go.Heatmap(z=np.round(maps[i], 5), x0=(px - 1) / 2, dx=px, y0=(px - 1) / 2, dy=px, zmin=0,
                            zmax=max(zmax, 1e-9), colorscale="Viridis", opacity=0.75, showscale=False, zsmooth=False,
                            customdata=idx, name=f"head {i}",
                            hovertemplate=f"head {i}<br>{what} → patch %{{customdata}}<br>weight %{{z:.4f}}<extra></extra>")]
        if query is not None:
            r, c = divmod(query, gw)
            x0, y0 = c * px - 0.5, r * px - 0.5
            extra.append(go.Scatter(x=[x0, x0 + px, x0 + px, x0, x0], y=[y0, y0, y0 + px, y0 + px, y0], mode="lines",
                                    line=dict(color=QUERY_RGB, width=2), hoverinfo="skip", name="query"))
        panels.append((f"head {i} · max {zmax:.3f}", extra))
    return _panels(img, panels, cols=min(cols, h), panel_px=200)


def fig_cost(curve: dict, side: int, msa: float, wmsa: float, *, C: int, M: int) -> go.Figure:
    """Ω(MSA) and Ω(W-MSA) against the image side (log-log), the current image marked.

    Args:
        curve: ``mmviz.lessons.swin_windows.cost_curve`` output (sides, tokens, msa, wmsa).
        side: the current image's equivalent square side in pixels.
        msa, wmsa: the two costs for the current image.
        C, M: channels and window (legend).
    """
    cd = curve["tokens"].astype(np.float64)
    hov = "side %{x} px (%{customdata:,.0f} tokens)<br>%{y:.3s} multiply-adds<extra>%{fullData.name}</extra>"
    traces = [go.Scatter(x=curve["sides"], y=curve["msa"], mode="lines", name="Ω(MSA) = 4hwC² + 2(hw)²C",
                         customdata=cd, hovertemplate=hov, line=dict(color="#d62728")),
              go.Scatter(x=curve["sides"], y=curve["wmsa"], mode="lines", name="Ω(W-MSA) = 4hwC² + 2M²hwC",
                         customdata=cd, hovertemplate=hov, line=dict(color="#1f77b4")),
              go.Scatter(x=[side, side], y=[msa, wmsa], mode="markers", name="your image", marker=dict(size=11,
                         color="black", symbol="x"), hovertemplate="your image<br>%{y:.3s}<extra></extra>")]
    sides = [v for v in (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
             if min(curve["sides"]) <= v <= max(curve["sides"])] or list(curve["sides"][[0, -1]])
    # log axes with every tick numbered in full (plotly's minor log labels read "9, 100, 2, 3")
    layout = {"xaxis": dict(type="log", title=dict(text="image side (pixels, square, patch 4)"), tickmode="array",
                            tickvals=sides, ticktext=[f"{v:g}" for v in sides]),
              "yaxis": dict(type="log", title=dict(text="multiply-adds per attention layer"), dtick=1,
                            exponentformat="power", showexponent="all"),
              "legend": dict(orientation="h", y=-0.25)}
    return figure(traces, layout, title=f"One attention layer, C = {C}, M = {M}", height=400)
