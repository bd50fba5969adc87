"""Figures of the lesson "Images as tokens": NumPy arrays in, ``go.Figure`` out, hover values everywhere.

Images are 64 px: they are enlarged by pixel repetition before they are sent as JPEG (crisp in the browser) and
drawn in the tokenizer's pixel coordinates, so an invisible heatmap with one cell per code lies exactly over
the cells and carries the hover (code id, distance, probability).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from mmviz.figures.common import crisp, figure, grid_lines, image_uri, token_label

__all__ = ["MODALITY_RGB", "fig_dilemma", "fig_codes", "fig_codebook", "fig_usage", "fig_images", "fig_budget",
           "fig_frame", "fig_step_attention", "fig_top5", "fig_factorisation", "fig_cross_maps", "fig_cost",
           "fig_sequence", "fig_attention"]

MODALITY_RGB = {"text": "#1f77b4", "image": "#ff7f0e", "pad": "#c7c7c7"}
ORANGE, BLUE = "rgb(255,127,14)", "rgb(31,119,180)"


# --------------------------------------------------------------------------- shared pieces
def _image(img: np.ndarray, *, xa: str = "x", ya: str = "y", min_side: int = 320, hover: bool = True) -> go.Image:
    """An (S, S, 3) uint8 image, enlarged k x for the browser but placed in its own pixel coordinates."""
    big, k = crisp(img, min_side)
    off = -0.5 + 0.5 / k
    kw = dict(hovertemplate="pixel x=%{x:.0f}, y=%{y:.0f}<extra></extra>") if hover else dict(hoverinfo="skip")
    return go.Image(source=image_uri(big, quality=95), x0=off, dx=1 / k, y0=off, dy=1 / k, xaxis=xa, yaxis=ya,
                    name="image", **kw)


def _panels(n: int, side: int, *, gap: float = 0.04, titles: Sequence[str] = (), top: float = 1.0,
            cols: int | None = None, vgap: float = 0.1) -> dict:
    """Layout of n square image panels, ``cols`` per row (default: all in one row); pixel axes 0..side, row 0 at
    the top, no ticks; each title sits above its panel."""
    cols = cols or n
    rows = -(-n // cols)
    w = (1 - gap * (cols - 1)) / cols
    ht = (top - vgap * (rows - 1)) / rows
    layout: dict = {"showlegend": False, "annotations": [], "plot_bgcolor": "white"}
    for i in range(n):
        ax, (r, c) = "" if i == 0 else str(i + 1), divmod(i, cols)
        xd, yd = [c * (w + gap), c * (w + gap) + w], [top - (r + 1) * ht - r * vgap, top - r * (ht + vgap)]
        layout[f"xaxis{ax}"] = dict(domain=xd, range=[-0.5, side - 0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, ticks="", anchor=f"y{ax}", constrain="domain")
        layout[f"yaxis{ax}"] = dict(domain=yd, range=[side - 0.5, -0.5], showgrid=False, zeroline=False,
                                    showticklabels=False, ticks="", anchor=f"x{ax}", scaleanchor=f"x{ax}",
                                    constrain="domain", constraintoward="top")  # images right under their titles
        if i < len(titles):
            layout["annotations"].append(dict(text=titles[i], x=sum(xd) / 2, y=yd[1], xref="paper", yref="paper",
                                              xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=14)))
    return layout


def short(tok: str) -> str:
    """A token as a short label that Plotly will not read as HTML: [start], [end], [pad], [unk], #17 for code 17."""
    names = {"<|startoftext|>": "[start]", "<|endoftext|>": "[end]", "<pad>": "[pad]", "<unk>": "[unk]",
             "<start>": "[start]"}
    return names.get(tok, tok.replace("code ", "#") if tok.startswith("code ") else tok)


def _cells(z: np.ndarray, cell: int, *, custom: np.ndarray, template: str, xa: str = "x", ya: str = "y",
           opacity: float = 0.0, colorscale="Viridis", showscale: bool = False, zmin=None, zmax=None,
           cbar: str = "", name: str = "cells") -> go.Heatmap:
    """A heatmap with one cell per code over an image of ``cell``-px cells; transparent by default (hover only)."""
    return go.Heatmap(z=z, x0=(cell - 1) / 2, dx=cell, y0=(cell - 1) / 2, dy=cell, xaxis=xa, yaxis=ya,
                      opacity=opacity, colorscale=colorscale, showscale=showscale, zmin=zmin, zmax=zmax,
                      customdata=custom, hovertemplate=template + "<extra></extra>", hoverongaps=False, name=name,
                      colorbar=dict(title=dict(text=cbar), thickness=14, len=0.9))


def _box(r: int, c: int, cell: int, *, color: str = ORANGE, xa: str = "x", ya: str = "y",
         width: float = 3) -> go.Scatter:
    """The outline of grid cell (r, c)."""
    x0, y0 = c * cell - 0.5, r * cell - 0.5
    return go.Scatter(x=[x0, x0 + cell, x0 + cell, x0, x0], y=[y0, y0, y0 + cell, y0 + cell, y0], mode="lines",
                      line=dict(color=color, width=width), hoverinfo="skip", xaxis=xa, yaxis=ya, showlegend=False)


def _id_text(codes: np.ndarray, img: np.ndarray, cell: int, *, xa: str = "x", ya: str = "y",
             size: int = 15) -> go.Scatter:
    """The code id written in the middle of each cell, black on light cells and white on dark ones."""
    h, w = codes.shape
    lum = img[: h * cell, : w * cell].reshape(h, cell, w, cell, 3).mean((1, 3)) @ np.array([0.299, 0.587, 0.114])
    r, c = np.divmod(np.arange(h * w), w)
    colour = np.where(lum.flatten() > 140, "black", "white")
    return go.Scatter(x=c * cell + (cell - 1) / 2, y=r * cell + (cell - 1) / 2, mode="text",
                      text=[str(v) for v in codes.flatten()], textfont=dict(size=size, color=list(colour)),
                      hoverinfo="skip", xaxis=xa, yaxis=ya, showlegend=False)


def _grid_custom(h: int, w: int, *extra: np.ndarray) -> np.ndarray:
    """(h, w, 3 + len(extra)) customdata: raster index, row, col, then the extra (h, w) arrays."""
    idx = np.arange(h * w).reshape(h, w)
    return np.stack([idx, idx // w, idx % w, *[np.asarray(e, np.float64) for e in extra]], -1)


# --------------------------------------------------------------------------- 1. the pixel dilemma
def fig_dilemma(rows: Sequence[dict]) -> go.Figure:
    """Sequence length (log scale) of one image written pixel by pixel or code by code, for two image sizes.

    Args:
        rows: :func:`mmviz.lessons.image_tokens.pixel_dilemma` rows (size, tokens, steps, classes, bits, pairs).
    """
    traces = []
    for size, colour in zip(dict.fromkeys(r["size"] for r in rows), (BLUE, ORANGE)):
        rs = [r for r in rows if r["size"] == size]
        traces.append(go.Bar(
            y=[r["tokens"] for r in rs], x=[r["steps"] for r in rs], orientation="h", name=size, marker_color=colour,
            text=[f"{r['steps']:,}" for r in rs], textposition="outside", cliponaxis=False,
            customdata=[[r["classes"], r["bits"], r["pairs"]] for r in rs],
            hovertemplate=(f"{size}<br>%{{y}}: <b>%{{x:,}}</b> steps<br>each a choice among %{{customdata[0]:,}} "
                           "classes<br>%{customdata[1]:,.0f} bits in all<br>attention scores per layer and head: "
                           "%{customdata[2]:,}<extra></extra>")))
    hi = max(r["steps"] for r in rows)
    layout = {"barmode": "group", "xaxis": dict(type="log", title=dict(text="steps to write one image (log scale)"),
                                                range=[0, np.log10(hi) + 1.3]),
              "yaxis": dict(autorange="reversed"), "legend": dict(orientation="h", y=-0.25, x=0)}
    return figure(traces, layout, title="If every pixel were a token…", height=330)


# --------------------------------------------------------------------------- 2. tokenize your image
def fig_codes(pixels: np.ndarray, codes: np.ndarray, distance: np.ndarray, second: np.ndarray,
              heldout_share: np.ndarray) -> go.Figure:
    """Left: the image with its grid of code ids. Right: each cell's distance to its code (how well it fits).

    Args:
        pixels: (S, S, 3) uint8, the tokenizer's input.
        codes, distance, second: (h, w) ids, distance to the chosen code and to the second-nearest code.
        heldout_share: (K,) share of each code among the held-out scenes' codes.
    """
    S, (h, w) = pixels.shape[0], codes.shape
    cell = S // h
    cd = _grid_custom(h, w, codes, distance, second, 100 * heldout_share[codes])
    tpl = ("cell %{customdata[0]} (row %{customdata[1]}, col %{customdata[2]})<br><b>code %{customdata[3]:.0f}</b>"
           "<br>distance to it: %{customdata[4]:.3f}<br>to the second-nearest code: %{customdata[5]:.3f}"
           "<br>this code's share of held-out cells: %{customdata[6]:.2f}%")
    traces = [_image(pixels), grid_lines(h, w, cell, cell, color="rgba(255,255,255,0.7)"),
              _id_text(codes, pixels, cell), _cells(codes, cell, custom=cd, template=tpl),
              _image(pixels, xa="x2", ya="y2", hover=False),
              _cells(distance, cell, custom=cd, template=tpl, xa="x2", ya="y2", opacity=0.75, showscale=True,
                     colorscale="YlOrRd", zmin=0, cbar="distance", name="distance")]
    layout = _panels(2, S, gap=0.1, titles=[f"{h}×{w} = {h * w} code ids (raster order)",
                                            "distance ‖z − e_code‖ of each cell"], top=0.93)
    layout["margin"] = dict(l=5, r=5, t=35, b=5)
    return figure(traces, layout, height=420)


def fig_codebook(patches: np.ndarray, in_image: np.ndarray, heldout_share: np.ndarray, *, cols: int = 32) -> go.Figure:
    """The codebook as image patches: what the decoder paints for each code alone; the codes of the image outlined.

    Args:
        patches: (K, p, p, 3) uint8, each code decoded alone.
        in_image: (K,) how often each code occurs in the student's image.
        heldout_share: (K,) share of held-out cells.
        cols: codes per row.
    """
    K, p = patches.shape[:2]
    rows = -(-K // cols)
    pad = np.full((rows * cols - K, p, p, 3), 255, np.uint8)
    tiles = np.concatenate([patches, pad]).reshape(rows, cols, p, p, 3)
    mosaic = tiles.transpose(0, 2, 1, 3, 4).reshape(rows * p, cols * p, 3)
    ids = np.arange(rows * cols).reshape(rows, cols)
    use = np.concatenate([in_image, np.zeros(rows * cols - K)]).reshape(rows, cols)
    share = np.concatenate([100 * heldout_share, np.zeros(rows * cols - K)]).reshape(rows, cols)
    traces = [_image(mosaic, min_side=rows * p * 4, hover=False),
              _cells(ids, p, custom=np.stack([ids, use, share], -1),
                     template="<b>code %{customdata[0]}</b><br>in your image: %{customdata[1]:.0f}×"
                              "<br>share of held-out cells: %{customdata[2]:.2f}%", name="codes")]
    xs: list = []
    ys: list = []
    for k in np.flatnonzero(in_image):
        r, c = divmod(int(k), cols)
        x0, y0 = c * p - 0.5, r * p - 0.5
        xs += [x0, x0 + p, x0 + p, x0, x0, None]
        ys += [y0, y0, y0 + p, y0 + p, y0, None]
    traces.append(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=ORANGE, width=2.5), hoverinfo="skip",
                             name="in your image"))
    layout = {"xaxis": dict(range=[-0.5, cols * p - 0.5], visible=False, constrain="domain"),
              "yaxis": dict(range=[rows * p - 0.5, -0.5], visible=False, scaleanchor="x", constrain="domain"),
              "showlegend": False, "margin": dict(l=5, r=5, t=40, b=5)}
    return figure(traces, layout, title=f"The codebook: {K} codes, each decoded alone (orange: used by your image)",
                  height=int(60 + 1100 * rows / cols))


def fig_usage(in_image: np.ndarray, heldout_counts: np.ndarray, *, top: int = 64) -> go.Figure:
    """How often each code is used: held-out scenes (bars, share of cells) against the student's image (dots).

    Args:
        in_image: (K,) counts in the image.
        heldout_counts: (K,) counts on the held-out scenes.
        top: codes shown (the most used on the held-out scenes, then the image's others).
    """
    order = np.argsort(-heldout_counts, kind="stable")
    show = list(order[:top]) + [k for k in order[top:] if in_image[k]]
    share = 100 * heldout_counts / max(1, heldout_counts.sum())
    mine = 100 * in_image / max(1, in_image.sum())
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    x = [f"{k}" for k in show]
    cd = [[k, rank[k] + 1, in_image[k], share[k], mine[k]] for k in show]
    tpl = ("<b>code %{customdata[0]}</b> (rank %{customdata[1]} on the held-out scenes)<br>held-out: "
           "%{customdata[3]:.2f}% of cells<br>your image: %{customdata[2]}× (%{customdata[4]:.1f}%)<extra></extra>")
    traces = [go.Bar(x=x, y=share[show], name="held-out scenes", marker_color=BLUE, customdata=cd, hovertemplate=tpl),
              go.Scatter(x=x, y=np.where(in_image[show] > 0, mine[show], np.nan), mode="markers", name="your image",
                         marker=dict(color=ORANGE, size=10, line=dict(color="black", width=1)), customdata=cd,
                         hovertemplate=tpl)]
    layout = {"xaxis": dict(type="category", title=dict(text=f"code id (the {top} most used held-out codes, then your "
                                                              "image's others)"), tickfont=dict(size=10)),
              "yaxis": dict(type="log", dtick=1, title=dict(text="% of cells (log scale)")),
              "legend": dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right")}
    return figure(traces, layout, title="Code use", height=360)


def fig_images(images: Sequence[np.ndarray], titles: Sequence[str], *, error: np.ndarray | None = None,
               height: int = 330) -> go.Figure:
    """Images side by side with their titles; with ``error``, a last panel maps the squared error per pixel.

    Args:
        images: (S, S, 3) uint8 each.
        titles: one per panel (the error panel included).
        error: (S, S) squared error per pixel (pixels in [0, 1]).
    """
    S = images[0].shape[0]
    n = len(images) + (error is not None)
    traces: list = []
    for i, img in enumerate(images):
        ax = "" if i == 0 else str(i + 1)
        traces.append(_image(img, xa=f"x{ax}", ya=f"y{ax}", min_side=256))
        traces[-1].hovertemplate = f"{titles[i]}<br>pixel x=%{{x:.0f}}, y=%{{y:.0f}}<extra></extra>"
    if error is not None:
        traces.append(go.Heatmap(z=np.round(error, 5), xaxis=f"x{n}", yaxis=f"y{n}", colorscale="Reds", zmin=0,
                                 colorbar=dict(title=dict(text="error²"), thickness=12, len=0.85),
                                 hovertemplate="pixel x=%{x}, y=%{y}<br>squared error %{z:.4f}<extra></extra>",
                                 name="error"))
    layout = _panels(n, S, gap=0.03 if n > 3 else 0.05, titles=titles, top=0.88)
    layout["margin"] = dict(l=5, r=5, t=30, b=5)
    return figure(traces, layout, height=height)


def fig_budget(restricted: dict, coarse: dict, chosen: int) -> go.Figure:
    """Quality (PSNR) against the bits that store one image: fewer codes in the codebook, or fewer cells.

    Args:
        restricted: :func:`restrict_codebook` (sizes, psnr, bits, distinct).
        coarse: :func:`coarser_grids` (grids, psnr, bits, tokens).
        chosen: the codebook size M picked on the page (ringed).
    """
    traces = [
        go.Scatter(x=restricted["bits"], y=restricted["psnr"], mode="lines+markers+text",
                   name="keep the M most used codes",
                   text=[f"M={m}" if m in (2, 8, 32, 256) else "" for m in restricted["sizes"]],
                   textposition="top left", marker=dict(size=9),
                   line=dict(color=BLUE), customdata=np.stack([restricted["sizes"], restricted["distinct"]], -1),
                   hovertemplate="M = %{customdata[0]} codes allowed<br>%{x:.0f} bits per image<br>PSNR %{y:.2f} dB"
                                 "<br>your image uses %{customdata[1]} of them<extra></extra>"),
        go.Scatter(x=coarse["bits"], y=coarse["psnr"], mode="lines+markers+text", name="coarser grid (smaller input)",
                   text=[f"{g}×{g}" for g in coarse["grids"]], textposition="bottom center",
                   marker=dict(size=9, symbol="square"),
                   line=dict(color=ORANGE, dash="dot"), customdata=np.stack([coarse["grids"], coarse["tokens"]], -1),
                   hovertemplate="%{customdata[0]}×%{customdata[0]} grid: %{customdata[1]} codes<br>%{x:.0f} bits "
                                 "per image<br>PSNR %{y:.2f} dB<extra></extra>")]
    i = list(restricted["sizes"]).index(chosen) if chosen in list(restricted["sizes"]) else 0
    traces.append(go.Scatter(x=[restricted["bits"][i]], y=[restricted["psnr"][i]], mode="markers", hoverinfo="skip",
                             marker=dict(size=20, color="rgba(0,0,0,0)", line=dict(color=ORANGE, width=3)),
                             showlegend=False))
    bits = [int(b) for b in (*restricted["bits"], *coarse["bits"])]
    lo, hi = float(min(*restricted["psnr"], *coarse["psnr"])), float(max(*restricted["psnr"], *coarse["psnr"]))
    ticks = [2 ** k for k in range(int(np.log2(min(bits))), int(np.log2(max(bits))) + 1)]
    layout = {"xaxis": dict(type="log", title=dict(text="bits per image (log scale)"), tickvals=ticks,
                            ticktext=[str(b) for b in ticks]),
              "yaxis": dict(title=dict(text="PSNR (dB, higher = closer)"), range=[lo - 2, hi + 2.5]),
              "legend": dict(orientation="h", y=-0.3, x=0)}
    return figure(traces, layout, title="What each bit buys", height=380)


# --------------------------------------------------------------------------- 3. raster-scan generation
def fig_frame(frame: np.ndarray, codes: np.ndarray, step: int, *, current: int | None = None,
              title: str = "") -> go.Figure:
    """The image after ``step`` codes: the cells sampled so far (hover: code id), cell ``current`` outlined.

    Args:
        frame: (S, S, 3) uint8 (cells to come in grey).
        codes: (h, w) the sample's codes.
        step: codes sampled so far (0..N).
        current: raster index of the cell to outline (None: none).
    """
    S, (h, w) = frame.shape[0], codes.shape
    cell = S // h
    z = np.where((np.arange(h * w) < step).reshape(h, w), codes, np.nan)
    traces = [_image(frame, hover=False), grid_lines(h, w, cell, cell, color="rgba(255,255,255,0.35)"),
              _cells(z, cell, custom=_grid_custom(h, w, codes),
                     template="cell %{customdata[0]} (row %{customdata[1]}, col %{customdata[2]})<br><b>code "
                              "%{customdata[3]:.0f}</b>")]
    if current is not None:
        traces.append(_box(current // w, current % w, cell))
    layout = _panels(1, S)
    layout["margin"] = dict(l=5, r=5, t=40, b=5)
    return figure(traces, layout, title=title or f"after {step} of {h * w} codes", height=400)


def fig_step_attention(tokens: Sequence[str], caption: np.ndarray, grid: np.ndarray, row: int, col: int) -> go.Figure:
    """Where the new image token looks: its attention over the caption tokens (bars) and over the earlier codes
    (the grid below, in image layout; the cell being chosen outlined, the cells to come blank). One colour scale.

    Args:
        tokens: (Lc,) caption tokens.
        caption: (Lc,) weights on them.
        grid: (h, w) weights on the earlier codes (NaN where no code exists yet).
        row, col: the cell being chosen.
    """
    h, w = grid.shape
    hi = max(float(np.nanmax(caption)), float(np.nanmax(grid)) if np.isfinite(grid).any() else 0.0, 1e-6)
    labels = [f"{i} {short(t)}" for i, t in enumerate(tokens)]
    traces = [
        go.Bar(x=labels, y=np.round(caption, 4), marker=dict(color=caption, colorscale="Blues", cmin=0, cmax=hi,
                                                              line=dict(color="rgb(90,90,90)", width=0.5)),
               hovertemplate="caption token %{x}<br>weight %{y:.4f}<extra></extra>", name="caption"),
        go.Heatmap(z=np.round(grid, 4), xaxis="x2", yaxis="y2", colorscale="Blues", zmin=0, zmax=hi, hoverongaps=False,
                   colorbar=dict(title=dict(text="weight"), thickness=12, len=0.55, y=0.28),
                   hovertemplate="earlier code at row %{y}, col %{x}<br>weight %{z:.4f}<extra></extra>", name="codes"),
        _box(row, col, 1, xa="x2", ya="y2")]
    layout = {"xaxis": dict(domain=[0, 1], anchor="y", type="category", tickangle=-45, tickfont=dict(size=12)),
              "yaxis": dict(domain=[0.68, 1.0], anchor="x", range=[0, hi * 1.1], title=dict(text="on the caption")),
              "xaxis2": dict(domain=[0.15, 0.85], range=[-0.5, w - 0.5], anchor="y2", constrain="domain", dtick=1,
                             title=dict(text="on the earlier codes (column)")),
              "yaxis2": dict(domain=[0, 0.5], range=[h - 0.5, -0.5], anchor="x2", scaleanchor="x2", constrain="domain",
                             dtick=1, title=dict(text="row")),
              "showlegend": False, "plot_bgcolor": "rgb(240,240,240)", "margin": dict(l=5, r=5, t=40, b=5)}
    return figure(traces, layout, title=f"Where the token at row {row}, col {col} looks", height=560)


def fig_top5(top_ids: Sequence[int], top_p: Sequence[float], code: int, p: float) -> go.Figure:
    """The five most likely next codes and the one drawn (orange; added when it was not among the five)."""
    ids, ps = [int(i) for i in top_ids], [float(q) for q in top_p]
    if code not in ids:
        ids, ps = ids + [code], ps + [p]
    colours = [ORANGE if i == code else BLUE for i in ids]
    return figure([go.Bar(x=[f"code {i}" for i in ids], y=ps, marker_color=colours, text=[f"{q:.3f}" for q in ps],
                          textposition="outside", cliponaxis=False,
                          hovertemplate="%{x}<br>p = %{y:.4f}<extra></extra>", name="p")],
                  {"yaxis": dict(title=dict(text="p(next code)"), range=[0, min(1.05, max(ps) * 1.25 + 0.02)]),
                   "xaxis": dict(type="category")}, title="Top-5 next codes (orange: drawn)", height=330)


def fig_factorisation(p: np.ndarray, codes: np.ndarray, step: int | None = None) -> go.Figure:
    """log p of every drawn code (bars) and the running sum (line): the sample's log-likelihood, factor by factor.

    Args:
        p: (N,) probability of each drawn code.
        codes: (h, w) the codes.
        step: a step to mark (1-based), or None.
    """
    lp = np.log(np.clip(p, 1e-30, None))
    i = np.arange(1, len(p) + 1)
    cd = np.stack([codes.flatten(), p, np.cumsum(lp)], -1)
    tpl = ("step %{x}: <b>code %{customdata[0]:.0f}</b><br>p = %{customdata[1]:.4f}, log p = %{y:.3f}"
           "<br>sum so far %{customdata[2]:.2f}<extra></extra>")
    colours = [ORANGE if step is not None and k == step else BLUE for k in i]
    traces = [go.Bar(x=i, y=lp, marker_color=colours, customdata=cd, hovertemplate=tpl, name="log p(code_i | …)"),
              go.Scatter(x=i, y=np.cumsum(lp), mode="lines", yaxis="y2", line=dict(color="black"), customdata=cd,
                         hovertemplate=tpl.replace("log p = %{y:.3f}", "log p = %{customdata[1]:.4f}"),
                         name="running sum")]
    layout = {"xaxis": dict(title=dict(text="step i (raster order)")),
              "yaxis": dict(title=dict(text="log p(code_i | caption, code_<i)")),
              "yaxis2": dict(title=dict(text="Σ log p so far"), overlaying="y", side="right", showgrid=False,
                             nticks=5),
              "legend": dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right")}
    return figure(traces, layout, title="Every factor of p(image | caption)", height=340)


def fig_cross_maps(images: Sequence[np.ndarray], names: Sequence[str], cross: np.ndarray, tokens: Sequence[str],
                   grid: tuple[int, int]) -> go.Figure:
    """Parti's cross-attention as maps: for each caption token, how much every image token looked at it.

    Args:
        images: (S, S, 3) uint8 images drawn first (e.g. what each model generated).
        names: their titles.
        cross: (N, Lc) each image token's cross-attention over the caption tokens.
        tokens: (n,) the caption tokens to map (the first n columns of ``cross``).
        grid: (h, w).
    """
    h, w = grid
    n, m = len(tokens), len(images)
    S = images[0].shape[0]
    maps = np.asarray(cross)[:, :n].T.reshape(n, h, w)
    hi = float(maps.max()) if maps.size else 1.0
    traces: list = [_image(img, xa="x" if i == 0 else f"x{i + 1}", ya="y" if i == 0 else f"y{i + 1}", hover=False)
                    for i, img in enumerate(images)]
    for j, tok in enumerate(tokens):
        ax = str(m + j + 1)
        traces.append(go.Heatmap(
            z=np.round(maps[j], 4), xaxis=f"x{ax}", yaxis=f"y{ax}", colorscale="Blues", zmin=0, zmax=hi,
            showscale=j == n - 1, customdata=_grid_custom(h, w), colorbar=dict(title=dict(text="weight"), thickness=12),
            hovertemplate=f"image token %{{customdata[0]}} (row %{{y}}, col %{{x}})<br>→ {short(tok)}: %{{z:.4f}}"
                          "<extra></extra>", name=short(tok)))
    cols = min(m + n, 7)
    rows = -(-(m + n) // cols)
    layout = _panels(m + n, S, gap=0.02, titles=list(names) + [short(t) for t in tokens], top=0.95, cols=cols,
                     vgap=0.12 / rows)
    for j in range(n):
        ax = str(m + j + 1)
        layout[f"xaxis{ax}"]["range"] = [-0.5, w - 0.5]
        layout[f"yaxis{ax}"]["range"] = [h - 0.5, -0.5]
    layout["margin"] = dict(l=5, r=5, t=30, b=5)
    return figure(traces, layout, height=int(40 + rows * 1100 / cols))


def fig_cost(costs: dict[str, dict]) -> go.Figure:
    """Multiply-adds of each generation step, with and without the KV cache (log scale), per model.

    Args:
        costs: model name -> :func:`cost_per_step` result.
    """
    traces = []
    for (name, c), colour in zip(costs.items(), (BLUE, ORANGE)):
        i = np.arange(1, len(c["cache"]) + 1)
        for key, dash in (("cache", "solid"), ("no_cache", "dot")):
            label = f"{name}, {'KV cache' if key == 'cache' else 'no cache'}"
            traces.append(go.Scatter(x=i, y=c[key], mode="lines", name=label, line=dict(color=colour, dash=dash),
                                     hovertemplate=f"{label}<br>step %{{x}}: %{{y:,}} multiply-adds<extra></extra>"))
    layout = {"xaxis": dict(title=dict(text="step (code being written)")),
              "yaxis": dict(type="log", dtick=1, tickformat="~s", title=dict(text="multiply-adds (log scale)")),
              "legend": dict(orientation="h", y=-0.25, x=0)}
    return figure(traces, layout, title="Cost of each step", height=380)


# --------------------------------------------------------------------------- 5. one sequence
def fig_sequence(labels: Sequence[str], ids: Sequence[int], modality: Sequence[str], *, per_row: int = 19) -> go.Figure:
    """The mixed sequence as a ribbon of tokens coloured by modality (text, image, padding), in reading order.

    Args:
        labels: (T,) what each token is ("red", "code 17").
        ids: (T,) token ids in the shared vocabulary.
        modality: (T,) "text" or "image".
        per_row: tokens per row.
    """
    T = len(labels)
    rows = -(-T // per_row)
    kind = ["pad" if lab == "<pad>" else m for lab, m in zip(labels, modality)]
    code = {"text": 0, "image": 1, "pad": 2}
    z = np.full((rows, per_row), np.nan)
    text = np.full((rows, per_row), "", dtype=object)
    cd = np.full((rows, per_row, 3), "", dtype=object)
    for t in range(T):
        r, c = divmod(t, per_row)
        z[r, c] = code[kind[t]]
        text[r, c] = token_label(short(labels[t]), 9)
        cd[r, c] = [str(t), short(labels[t]), f"{ids[t]} ({kind[t]})"]
    scale = [[0, MODALITY_RGB["text"]], [0.5, MODALITY_RGB["image"]], [1, MODALITY_RGB["pad"]]]
    trace = go.Heatmap(z=z, text=text, texttemplate="%{text}", textfont=dict(size=12, color="white"), zmin=0, zmax=2,
                       colorscale=scale, showscale=False, xgap=2, ygap=2, customdata=cd, hoverongaps=False,
                       hovertemplate="position %{customdata[0]}: <b>%{customdata[1]}</b><br>token id %{customdata[2]}"
                                     "<extra></extra>", name="tokens")
    legend = [go.Scatter(x=[None], y=[None], mode="markers", marker=dict(size=12, color=c, symbol="square"), name=n)
              for n, c in (("text token", MODALITY_RGB["text"]), ("image code", MODALITY_RGB["image"]),
                           ("[pad]", MODALITY_RGB["pad"]))]
    layout = {"xaxis": dict(visible=False, range=[-0.5, per_row - 0.5]),
              "yaxis": dict(visible=False, autorange="reversed"),
              "legend": dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"), "plot_bgcolor": "white"}
    return figure([trace, *legend], layout, title=f"One sequence of {T} tokens, read left to right, row by row",
                  height=int(90 + 42 * rows))


def fig_attention(attn: np.ndarray, q_labels: Sequence[str], k_labels: Sequence[str] | None = None, *,
                  mask: np.ndarray, title: str, split: int | None = None, height: int | None = None) -> go.Figure:
    """An attention matrix under its mask: the weights where a query may look, grey where the mask forbids it.

    The axes are the tokens (numbered, so two equal tokens stay two columns); the hover names both and the weight.

    Args:
        attn: (Q, K) weights (rows sum to 1 over the allowed keys).
        q_labels, k_labels: (Q,), (K,) token labels (k_labels default: q_labels).
        mask: (Q, K) bool, True = may attend.
        title: figure title.
        split: a position where text ends and the image begins (a line on both axes), or None.
    """
    k_labels = list(q_labels) if k_labels is None else list(k_labels)
    qs = [f"{i} {short(t)}" for i, t in enumerate(q_labels)]
    ks = [f"{j} {short(t)}" for j, t in enumerate(k_labels)]
    mask = np.asarray(mask, bool)
    z = np.where(mask, np.round(np.asarray(attn, np.float64), 4), np.nan)
    top = float(np.quantile(z[mask], 0.99)) if mask.any() else 1.0  # a few weights of 1 would wash out the rest
    traces = [go.Heatmap(z=z, x=ks, y=qs, colorscale="Blues", zmin=0, zmax=max(top, 1e-6), hoverongaps=False,
                         name="attention",
                         colorbar=dict(title=dict(text="weight"), thickness=12, len=0.8),
                         hovertemplate="query %{y} → key %{x}<br>weight %{z:.4f}<extra></extra>"),
              go.Heatmap(z=np.where(mask, np.nan, 1.0), x=ks, y=qs, showscale=False, hoverongaps=False, name="masked",
                         colorscale=[[0, "rgb(225,225,225)"], [1, "rgb(225,225,225)"]],
                         hovertemplate="query %{y} → key %{x}<br>masked: −∞ before the softmax<extra></extra>")]
    shapes = []
    if split is not None:
        for axis in ("x", "y"):
            line = dict(type="line", line=dict(color=ORANGE, width=2), xref="x", yref="y")
            shapes.append({**line, "x0": split - 0.5, "x1": split - 0.5, "y0": -0.5, "y1": len(qs) - 0.5} if axis == "x"
                          else {**line, "y0": split - 0.5, "y1": split - 0.5, "x0": -0.5, "x1": len(ks) - 0.5})
    n = max(len(qs), len(ks))
    tick = dict(size=12 if n <= 20 else 9)
    layout = {"xaxis": dict(type="category", tickangle=-60, tickfont=tick, title=dict(text="key (is looked at)")),
              "yaxis": dict(type="category", autorange="reversed", tickfont=tick, title=dict(text="query (looks)")),
              "shapes": shapes, "plot_bgcolor": "white"}
    return figure(traces, layout, title=title, height=height or int(min(820, 200 + 11 * n)))
